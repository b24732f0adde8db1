/**
 * Run in a child process by time-zone.test.ts under different TZ values: prints the host's
 * UTC offset (to prove the zone took effect) and every time-derived value the client produces.
 */
import { advanceAlertCursor, alertFilter } from '../../../src/mde/alerts.ts';
import { isoUtc, parseMdeTime } from '../../../src/mde/time.ts';

const checkpointMs = 1_700_000_000_000;
const overlapMs = 24 * 3_600_000;
const cursor = advanceAlertCursor(undefined, [
  { id: 'a', lastUpdateTime: '2023-11-14T22:13:20Z' },
  { id: 'b', lastUpdateTime: '2023-11-14T22:13:20.0000001Z' },
  { id: 'c', lastUpdateTime: '2020-12-30 14:17:26' },
]);

process.stdout.write(
  JSON.stringify({
    hostOffsetMinutes: new Date(checkpointMs).getTimezoneOffset(),
    values: {
      checkpoint: isoUtc(checkpointMs),
      machinesFrom: `lastSeen ge ${isoUtc(checkpointMs - overlapMs)}`,
      alertFilter: alertFilter(['New'], cursor?.time),
      cursor,
      tvmEpochMs: parseMdeTime('2020-12-30 14:17:26')?.epochMs,
      sevenDigitTicks: parseMdeTime('2023-11-14T20:00:00.1234567Z')?.ticks.toString(),
    },
  }),
);
