/**
 * Measuring one sync: wall time, CPU time of this process, peak RSS (sampled every 50 ms, and
 * the kernel's VmHWM where /proc exists), and the fewest API calls the page and row limits
 * allow for what the run read, to set beside the calls it made.
 */
import { readFileSync } from 'node:fs';
import type { RunSummary } from '../src/sync/types.ts';

/** Rows one advanced-hunting answer may hold (mde-api.md §3.1). */
const HUNTING_ROW_LIMIT = 100_000;
const GRAPH_PAGE = 999;
const SAMPLE_MS = 50;

export interface Measured<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
}

/** Runs `work` and measures it. */
export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_MS);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  try {
    const value = await work();
    const wallMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peak / 1_048_576 };
  } finally {
    clearInterval(timer);
  }
}

/** The process's peak resident set since it started (VmHWM), in MB; undefined off Linux. */
export function lifetimePeakRssMb(): number | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    // Not Linux: the 50 ms samples are the only figure.
    return undefined;
  }
}

/**
 * The fewest calls per endpoint family for what the run read: a `$top` listing of n rows needs
 * floor(n / page) + 1 calls (the last, short page says it is the end); each hunting phase needs
 * ceil(rows / 100,000) answers (at least one); tokens one per audience.
 */
export function minimumCalls(summary: RunSummary, pageSize: number): Record<string, number> {
  const read = (entity: string): number | undefined => summary.entities[entity]?.read;
  const minimum: Record<string, number> = {};
  const machines = read('machines');
  if (machines !== undefined) minimum.machines = Math.floor(machines / pageSize) + 1;
  const alerts = read('alerts');
  if (alerts !== undefined) minimum.alerts = Math.floor(alerts / pageSize) + 1;
  const graphUsers = read('graphUsers');
  if (graphUsers !== undefined) minimum.graph = Math.floor(graphUsers / GRAPH_PAGE) + 1;
  let hunting = 0;
  for (const phase of ['network', 'users', 'vulnerabilities']) {
    const rows = read(phase);
    if (rows !== undefined) hunting += Math.max(1, Math.ceil(rows / HUNTING_ROW_LIMIT));
  }
  if (hunting > 0) minimum.hunting = hunting;
  return minimum;
}

/** Graph records written per second of wall time. */
export function recordsPerSecond(summary: RunSummary, wallMs: number): number {
  let records = 0;
  for (const n of Object.values(summary.written)) records += n;
  return wallMs > 0 ? Math.round((records / wallMs) * 1000) : 0;
}
