/**
 * Prometheus metrics of the service (text exposition format 0.0.4): runs by outcome, run
 * durations, Defender API calls by endpoint family, throttle waits, HTTP requests, and the last
 * success of each configuration. Counters count since the process started, as Prometheus
 * expects; the last-success gauge comes from the stored status, so it survives restarts.
 */
import type { RunSummary } from '../sync/types.ts';
import type { ConnectionStatus } from '../runner/types.ts';

// Seconds; a sync of a small tenant takes under a second, a large full import minutes.
const DURATION_BUCKETS_SECONDS = [0.5, 1, 5, 15, 30, 60, 120, 300, 900, 1800];

/** Collects counters from finished runs and HTTP requests. */
export class Metrics {
  private readonly runs = new Map<string, number>();
  private readonly apiCalls = new Map<string, number>();
  private readonly requests = new Map<string, number>();
  private readonly buckets = DURATION_BUCKETS_SECONDS.map(() => 0);
  private durationCount = 0;
  private durationSumSeconds = 0;
  private throttleWaits = 0;
  private throttleWaitSeconds = 0;

  /** Adds one finished run. */
  recordRun(summary: RunSummary): void {
    increment(this.runs, summary.outcome);
    const seconds = summary.durationMs / 1000;
    this.durationCount += 1;
    this.durationSumSeconds += seconds;
    DURATION_BUCKETS_SECONDS.forEach((bound, index) => {
      if (seconds <= bound) this.buckets[index] = (this.buckets[index] ?? 0) + 1;
    });
    for (const [family, calls] of Object.entries(summary.apiCalls))
      increment(this.apiCalls, family, calls);
    this.throttleWaits += summary.throttleWaits;
    this.throttleWaitSeconds += summary.throttleWaitMs / 1000;
  }

  recordRequest(method: string, status: number): void {
    increment(this.requests, `${method}|${status}`);
  }

  /** The exposition text, with the status gauges of `statuses`. */
  render(statuses: ConnectionStatus[]): string {
    const lines: string[] = [];
    family(lines, 'mde_car_runs_total', 'counter', 'Sync runs finished, by outcome.');
    for (const [outcome, count] of this.runs)
      lines.push(`mde_car_runs_total{outcome="${esc(outcome)}"} ${count}`);

    family(lines, 'mde_car_run_duration_seconds', 'histogram', 'Duration of finished sync runs.');
    DURATION_BUCKETS_SECONDS.forEach((bound, index) => {
      lines.push(`mde_car_run_duration_seconds_bucket{le="${bound}"} ${this.buckets[index] ?? 0}`);
    });
    lines.push(`mde_car_run_duration_seconds_bucket{le="+Inf"} ${this.durationCount}`);
    lines.push(`mde_car_run_duration_seconds_sum ${this.durationSumSeconds}`);
    lines.push(`mde_car_run_duration_seconds_count ${this.durationCount}`);

    family(
      lines,
      'mde_car_api_calls_total',
      'counter',
      'Defender API calls made by sync runs, by endpoint family.',
    );
    for (const [name, count] of this.apiCalls)
      lines.push(`mde_car_api_calls_total{family="${esc(name)}"} ${count}`);

    family(
      lines,
      'mde_car_throttle_waits_total',
      'counter',
      'Waits caused by Defender throttling (429).',
    );
    lines.push(`mde_car_throttle_waits_total ${this.throttleWaits}`);
    family(
      lines,
      'mde_car_throttle_wait_seconds_total',
      'counter',
      'Time spent waiting on Defender throttling.',
    );
    lines.push(`mde_car_throttle_wait_seconds_total ${this.throttleWaitSeconds}`);

    family(
      lines,
      'mde_car_http_requests_total',
      'counter',
      'HTTP requests served, by method and status.',
    );
    for (const [key, count] of this.requests) {
      const [method, status] = key.split('|');
      lines.push(
        `mde_car_http_requests_total{method="${esc(method ?? '')}",status="${esc(status ?? '')}"} ${count}`,
      );
    }
    renderStatus(lines, statuses);
    return `${lines.join('\n')}\n`;
  }
}

function renderStatus(lines: string[], statuses: ConnectionStatus[]): void {
  family(
    lines,
    'mde_car_last_success_timestamp_seconds',
    'gauge',
    'When the last sync of a configuration succeeded (Unix time).',
  );
  for (const connection of statuses) {
    for (const cfg of connection.configurations) {
      if (!cfg.lastSuccessAt) continue;
      const labels = `connection="${esc(connection.connection)}",configuration="${esc(cfg.configuration)}"`;
      lines.push(
        `mde_car_last_success_timestamp_seconds{${labels}} ${Date.parse(cfg.lastSuccessAt) / 1000}`,
      );
    }
  }
  family(
    lines,
    'mde_car_configuration_state',
    'gauge',
    'Status of each configuration: 1 for its current state.',
  );
  for (const connection of statuses) {
    for (const cfg of connection.configurations) {
      const labels = `connection="${esc(connection.connection)}",configuration="${esc(cfg.configuration)}",state="${cfg.state}"`;
      lines.push(`mde_car_configuration_state{${labels}} 1`);
    }
  }
}

function family(lines: string[], name: string, type: string, help: string): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function esc(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
