/**
 * The sync benchmark (`npm run bench -- --out FILE`): for each tenant size, a simulator in a
 * child process with quotas off, a fresh embedded store, a full sync, a clock advance so about
 * 1% of machines change, and an incremental sync. Targets (DESIGN.md §11): 100,000 machines in
 * under 60 s with peak RSS under 1 GB; a 1% incremental in under 5 s; API calls within 20% of
 * the minimum the page and row limits allow.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.ts';
import type { Logger } from '../src/log.ts';
import { runSync } from '../src/sync/run.ts';
import type { RunSummary } from '../src/sync/types.ts';
import { openEmbeddedStore } from '../src/targets/embedded/index.ts';
import { lifetimePeakRssMb, measure, minimumCalls, recordsPerSecond } from './measure.ts';
import { startSimulatorProcess } from './simulator-process.ts';

/** How far the clock moves between the two syncs; the simulator changes ~1% of machines a day. */
const ADVANCE_MS = 86_400_000;

export interface BenchRun {
  size: number;
  kind: 'full' | 'incremental';
  outcome: string;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  machinesRead: number;
  recordsPerSecond: number;
  apiCalls: Record<string, number>;
  minimumCalls: Record<string, number>;
  throttleWaits: number;
  /** Requests sent again after a transient failure; each is also counted in apiCalls. */
  retries: number;
}

export interface BenchReport {
  startedAt: string;
  environment: { node: string; cpus: number; cpuModel: string; memoryGb: number };
  runs: BenchRun[];
  processPeakRssMb?: number;
}

/** Runs the benchmark for each size and returns the report. */
export async function runBench(sizes: number[], logger: Logger): Promise<BenchReport> {
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1_073_741_824),
    },
    runs: [],
  };
  for (const size of sizes) report.runs.push(...(await benchSize(size, logger)));
  const peak = lifetimePeakRssMb();
  if (peak !== undefined) report.processPeakRssMb = Math.round(peak);
  return report;
}

async function benchSize(size: number, logger: Logger): Promise<BenchRun[]> {
  const dir = mkdtempSync(join(tmpdir(), `mde-car-bench-${size}-`));
  const sim = await startSimulatorProcess({
    machines: size,
    profilePath: join(dir, 'profile.json'),
  });
  const store = openEmbeddedStore({ path: join(dir, 'bench.db'), logger });
  try {
    const config = loadConfig({ file: sim.profilePath, flags: { db: join(dir, 'bench.db') } });
    const sync = (mode: 'full' | 'auto') => runSync({ config, target: store, logger, mode });
    const full = await measure(() => sync('full'));
    await sim.advanceClock(ADVANCE_MS);
    const incremental = await measure(() => sync('auto'));
    return [
      toRun(size, 'full', full, config.sync.pageSize),
      toRun(size, 'incremental', incremental, config.sync.pageSize),
    ];
  } finally {
    await store.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function toRun(
  size: number,
  kind: BenchRun['kind'],
  measured: { value: RunSummary; wallMs: number; cpuMs: number; peakRssMb: number },
  pageSize: number,
): BenchRun {
  const summary = measured.value;
  return {
    size,
    kind,
    outcome: summary.outcome,
    wallMs: Math.round(measured.wallMs),
    cpuMs: Math.round(measured.cpuMs),
    peakRssMb: Math.round(measured.peakRssMb),
    machinesRead: summary.entities.machines?.read ?? 0,
    recordsPerSecond: recordsPerSecond(summary, measured.wallMs),
    apiCalls: summary.apiCalls,
    minimumCalls: minimumCalls(summary, pageSize),
    throttleWaits: summary.throttleWaits,
    retries: summary.retries,
  };
}

/** The report as a table for the screen. */
export function formatBench(report: BenchReport): string {
  const env = report.environment;
  const lines = [
    `Sync benchmark, ${env.cpus} CPUs (${env.cpuModel}), Node ${env.node}`,
    'size     sync          wall s   cpu s  peak RSS MB  records/s  API calls (minimum)',
  ];
  for (const run of report.runs) {
    const calls = Object.entries(run.apiCalls)
      .filter(([family]) => family !== 'token')
      .map(([family, n]) => `${family} ${n} (${run.minimumCalls[family] ?? '-'})`)
      .join(', ');
    lines.push(
      [
        run.size.toLocaleString('en-US').padEnd(9),
        `${run.kind}${run.outcome === 'ok' ? '' : ` ${run.outcome}`}`.padEnd(12),
        (run.wallMs / 1000).toFixed(1).padStart(8),
        (run.cpuMs / 1000).toFixed(1).padStart(8),
        String(run.peakRssMb).padStart(13),
        String(run.recordsPerSecond).padStart(11),
        `  ${calls}${run.retries > 0 ? `; ${run.retries} retried` : ''}`,
      ].join(''),
    );
  }
  if (report.processPeakRssMb !== undefined) {
    lines.push(`process peak RSS (VmHWM): ${report.processPeakRssMb} MB`);
  }
  return lines.join('\n');
}

/** Writes the report as JSON. */
export function writeReport(path: string, report: BenchReport): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
