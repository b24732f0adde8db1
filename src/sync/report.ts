/**
 * A run summary as a short text table for people (`mde-car sync` on a terminal, `mde-car
 * demo`). Machines read the JSON form; this one is for eyes and stays under ~25 lines.
 */
import type { RunSummary } from './types.ts';
import { sum } from './summary.ts';

const ENTITY_ORDER = ['machines', 'network', 'users', 'vulnerabilities', 'alerts', 'graphUsers'];

/** Formats a summary as aligned lines (no colours, no trailing newline). */
export function formatSummary(summary: RunSummary, title?: string): string {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const lines = [
    `${title ?? 'Sync'}: ${summary.mode} import, ${summary.outcome.toUpperCase()} in ${seconds} s`,
  ];
  if (summary.reason) lines.push(`  reason: ${summary.reason}`);

  lines.push(`  ${pad('entity', 16)}${padStart('read', 10)}${padStart('written', 10)}  skipped`);
  const names = Object.keys(summary.entities).sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
  for (const name of names) {
    const c = summary.entities[name];
    if (!c) continue;
    lines.push(
      `  ${pad(name, 16)}${padStart(num(c.read), 10)}${padStart(num(c.written), 10)}  ${skipped(c.skipped)}`,
    );
  }
  lines.push(`  graph records written: ${pairs(summary.written)}`);
  const deactivated = sum(summary.deactivated);
  if (deactivated > 0) lines.push(`  edges deactivated: ${pairs(summary.deactivated)}`);
  const life = summary.lifecycle;
  if (life.markedInactive + life.missed + life.disabled + life.reactivated > 0) {
    lines.push(
      `  lifecycle: ${life.markedInactive} marked inactive, ${life.missed} missed, ` +
        `${life.disabled} disabled, ${life.reactivated} reactivated`,
    );
  }
  lines.push(
    `  API calls: ${pairs(summary.apiCalls)}; throttle waits ${summary.throttleWaits}, ` +
      `retries ${summary.retries}, ${mb(summary.bytesReceived)} received`,
  );
  for (const off of summary.disabled) lines.push(`  off: ${off.part} (${off.reason})`);
  lines.push(`  checkpoint ${summary.checkpointAdvanced ? 'advanced' : 'kept'}`);
  return lines.join('\n');
}

function rank(name: string): number {
  const index = ENTITY_ORDER.indexOf(name);
  return index === -1 ? ENTITY_ORDER.length : index;
}

function skipped(reasons: Record<string, number>): string {
  const entries = Object.entries(reasons).filter(([, n]) => n > 0);
  if (entries.length === 0) return '-';
  return entries.map(([reason, n]) => `${reason} ${num(n)}`).join(', ');
}

function pairs(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return 'none';
  return entries.map(([name, n]) => `${name} ${num(n)}`).join(', ');
}

function num(n: number): string {
  return n.toLocaleString('en-US');
}

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

function padStart(text: string, width: number): string {
  return text.padStart(width);
}
