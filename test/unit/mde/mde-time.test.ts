import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareMdeTime, formatTicks, parseMdeTime, toEpochMs } from '../../../src/mde/time.ts';

describe('parseMdeTime', () => {
  it.each([
    ['2024-03-01T10:00:00Z', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01T10:00:00.5Z', '2024-03-01T10:00:00.500Z'],
    ['2024-03-13T06:40:13.98Z', '2024-03-13T06:40:13.980Z'],
    ['2021-01-25T07:27:36.052313Z', '2021-01-25T07:27:36.052Z'],
    ['2024-03-13T06:40:13.9880000Z', '2024-03-13T06:40:13.988Z'],
    ['2018-08-02T14:55:03.7791856Z', '2018-08-02T14:55:03.779Z'],
    ['2020-12-30 14:17:26', '2020-12-30T14:17:26.000Z'],
    ['2020-11-03 10:13:34.8476880', '2020-11-03T10:13:34.847Z'],
    ['2024-05-02T11:40:00+02:00', '2024-05-02T09:40:00.000Z'],
    ['2018-08-01Z', '2018-08-01T00:00:00.000Z'],
  ])('reads %s as the UTC instant %s', (raw, iso) => {
    const parsed = parseMdeTime(raw);
    expect(parsed?.raw).toBe(raw);
    expect(new Date(parsed!.epochMs).toISOString()).toBe(iso);
  });

  it.each([null, undefined, '', 'yesterday', '2024-02-30T00:00:00Z', '2024-13-01T00:00:00Z', 42])(
    'returns undefined for %j',
    (value) => {
      expect(parseMdeTime(value)).toBeUndefined();
      expect(toEpochMs(value)).toBeUndefined();
    },
  );

  it('orders values that differ only below one millisecond', () => {
    expect(compareMdeTime('2024-05-02T09:00:00.0000001Z', '2024-05-02T09:00:00Z')).toBe(1);
    expect(compareMdeTime('2024-05-02T09:00:00.98Z', '2024-05-02T09:00:00.9800000Z')).toBe(0);
    expect(compareMdeTime(null, '2024-05-02T09:00:00Z')).toBe(-1);
  });

  it('formats ticks with seven fractional digits and round-trips them', () => {
    const parsed = parseMdeTime('2018-08-02T14:55:03.7791856Z')!;
    expect(formatTicks(parsed.ticks)).toBe('2018-08-02T14:55:03.7791856Z');
  });

  it(
    'gives the same instants under TZ=UTC and TZ=America/New_York (B22)',
    { timeout: 60_000 },
    () => {
      const script = `
      const { parseMdeTime, formatTicks } = await import('./src/mde/time.ts');
      const values = ['2023-11-14T22:13:20Z', '2020-12-30 14:17:26', '2024-07-01T03:00:00.1234567Z'];
      console.log(JSON.stringify(values.map((v) => formatTicks(parseMdeTime(v).ticks))));`;
      const run = (tz: string) =>
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          env: { ...process.env, TZ: tz },
          encoding: 'utf8',
        });
      const utc = run('UTC');
      expect(run('America/New_York')).toBe(utc);
      expect(JSON.parse(utc)[0]).toBe('2023-11-14T22:13:20.0000000Z');
    },
  );
});
