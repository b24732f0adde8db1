/**
 * Measures how fast the embedded store takes a full import: synthetic machines (two adapters,
 * four IPs, two MACs, a host name and an OS each) are mapped and written in pages, as a sync
 * writes them, then a full deactivation and the lifecycle run. A measurement, not a test: the
 * `bench` command or a developer calls it and prints the figures.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapMachines } from '../../car/map-machines.ts';
import type { Logger } from '../../log.ts';
import type { Machine } from '../../mde/types.ts';
import { openEmbeddedStore } from './store.ts';
import type { EmbeddedStore } from './types.ts';

export interface WriteBenchResult {
  assets: number;
  rowsWritten: number;
  mapMs: number;
  writeMs: number;
  deactivateMs: number;
  lifecycleMs: number;
  rowsPerSecond: number;
  /** CPU time of the whole measurement (user + system), which a busy host does not inflate. */
  cpuMs: number;
  /** CPU time spent in the store's writes alone (the last pass). */
  writeCpuMs: number;
  /** Database file plus write-ahead log, in bytes, after the last pass. */
  fileBytes: number;
}

export interface WriteBenchOptions {
  assets: number;
  pageSize?: number;
  logger: Logger;
  /** Random 40-hex machine ids, as Defender's are, instead of sequential ones. */
  randomIds?: boolean;
  /** Runs writing the same machines; figures are of the last (2 measures a re-sync). */
  passes?: number;
}

/** Maps and writes `assets` synthetic machines into a fresh store in a temp folder, `passes` times. */
export async function benchmarkEmbeddedWrite(
  options: WriteBenchOptions,
): Promise<WriteBenchResult> {
  const cpuStart = process.cpuUsage();
  const dir = mkdtempSync(join(tmpdir(), 'mde-car-bench-'));
  const path = join(dir, 'bench.db');
  const store = openEmbeddedStore({ path, logger: options.logger });
  let result: Omit<WriteBenchResult, 'rowsPerSecond' | 'cpuMs' | 'fileBytes'> | undefined;
  try {
    for (let pass = 0; pass < Math.max(1, options.passes ?? 1); pass += 1) {
      result = await benchmarkPass(store, options, Date.UTC(2024, 4, 1 + pass));
    }
  } finally {
    await store.close();
  }
  const fileBytes = fileSize(path) + fileSize(`${path}-wal`);
  rmSync(dir, { recursive: true, force: true });
  const cpu = process.cpuUsage(cpuStart);
  return {
    ...result!,
    rowsPerSecond: Math.round(result!.rowsWritten / (result!.writeMs / 1000)),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    fileBytes,
  };
}

/** One run writing every machine, then deactivation and the lifecycle. */
async function benchmarkPass(
  store: EmbeddedStore,
  options: WriteBenchOptions,
  at: number,
): Promise<Omit<WriteBenchResult, 'rowsPerSecond' | 'cpuMs' | 'fileBytes'>> {
  const pageSize = options.pageSize ?? 10_000;
  const ctx = { source: 'bench', reportKey: String(at), timestampMs: at, includeUnmanaged: true };
  const result = {
    assets: options.assets,
    rowsWritten: 0,
    mapMs: 0,
    writeMs: 0,
    writeCpuUs: 0,
    deactivateMs: 0,
    lifecycleMs: 0,
  };
  await store.beginRun({
    runId: `bench-${at}`,
    source: 'bench',
    mode: 'full',
    startedAt: new Date(at),
    reportKey: ctx.reportKey,
  });
  for (let start = 0; start < options.assets; start += pageSize) {
    const count = Math.min(pageSize, options.assets - start);
    let t = performance.now();
    const machines = syntheticMachines(start, count, options.randomIds === true);
    const { batch } = mapMachines(machines, ctx);
    result.mapMs += performance.now() - t;
    t = performance.now();
    const cpu = process.cpuUsage();
    const counts = await store.write(batch);
    const spent = process.cpuUsage(cpu);
    result.writeCpuUs += spent.user + spent.system;
    result.writeMs += performance.now() - t;
    result.rowsWritten += Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  }
  let t = performance.now();
  await store.deactivateUnreported({ kind: 'full' });
  result.deactivateMs = performance.now() - t;
  t = performance.now();
  await store.applyLifecycle({
    completeListing: true,
    now: new Date(at),
    settings: { inactiveGraceDays: 30, missingGraceRuns: 2 },
  });
  result.lifecycleMs = performance.now() - t;
  await store.finishRun({ outcome: 'ok', summary: { bench: true } });
  const { writeCpuUs, ...figures } = result;
  return { ...figures, writeCpuMs: Math.round(writeCpuUs / 1000) };
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/** Deterministic machines with unique addresses: `10.x.y.z` inside, documentation IPv6. */
function syntheticMachines(start: number, count: number, randomIds: boolean): Machine[] {
  const machines: Machine[] = [];
  for (let n = start; n < start + count; n += 1) {
    // A hash stands in for Defender's random ids and stays the same from one pass to the next.
    const id = randomIds
      ? createHash('sha1').update(String(n)).digest('hex')
      : n.toString(16).padStart(40, '0');
    const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    const mac = (n + 0x020000000000).toString(16).padStart(12, '0');
    const mac2 = (n + 0x060000000000).toString(16).padStart(12, '0');
    machines.push({
      id,
      computerDnsName: `host-${n}.example.test`,
      osPlatform: n % 3 === 0 ? 'Windows11' : 'Windows10',
      version: '23H2',
      riskScore: 'Low',
      exposureLevel: 'Medium',
      deviceValue: 'Normal',
      onboardingStatus: 'Onboarded',
      healthStatus: 'Active',
      lastSeen: '2024-05-01T00:00:00.1234567Z',
      lastIpAddress: ip,
      lastExternalIpAddress: '203.0.113.7',
      ipAddresses: [
        { ipAddress: ip, macAddress: mac, type: 'Ethernet' },
        { ipAddress: `2001:db8::${n.toString(16)}`, macAddress: mac, type: 'Ethernet' },
        {
          ipAddress: `172.16.${(n >> 8) & 255}.${n & 255}`,
          macAddress: mac2,
          type: 'Wireless80211',
        },
      ],
    });
  }
  return machines;
}
