/**
 * Waiting for CAR's asynchronous imports and jobs (car-service.md §1.2–1.3), stricter than the
 * existing connector: a status body that is not the documented JSON, an id CAR lists under
 * `notfound_imports`, and an id CAR does not mention at all are failures, never successes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CarImportError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { CarHttpClient } from './http.ts';
import { displayUrl } from './http.ts';

/** Back-off of status polling: the first wait, the longest wait, and when to give up. */
export interface PollTiming {
  initialMs: number;
  maxMs: number;
  deadlineMs: number;
}

export const DEFAULT_POLL_TIMING: PollTiming = {
  initialMs: 250,
  maxMs: 10_000,
  /** CAR imports of 2,000 records normally finish in seconds; half an hour means it is stuck. */
  deadlineMs: 30 * 60_000,
};

/** An import CAR accepted and is still processing. */
export interface PendingImport {
  id: string;
  collection: string;
  records: number;
}

/** Polls `GET /importstatus?ids=` until every import completed; throws CAR_IMPORT_FAILED otherwise. */
export async function waitForImports(
  http: CarHttpClient,
  pending: readonly PendingImport[],
  timing: PollTiming,
  logger: Logger,
): Promise<void> {
  const remaining = new Map(pending.map((entry) => [entry.id, entry]));
  const deadline = Date.now() + timing.deadlineMs;

  for (
    let waitMs = timing.initialMs;
    remaining.size > 0;
    waitMs = Math.min(timing.maxMs, waitMs * 2)
  ) {
    const ids = [...remaining.keys()];
    const rawQuery = `ids=${ids.map((id) => encodeURIComponent(id)).join(',')}`;
    const res = await http.send('GET', { path: 'importstatus', rawQuery });
    const status = parseImportStatus(res.status, res.body);
    if (status === undefined) {
      throw importFailure(
        remaining.values().next().value as PendingImport,
        'its import status could not be read',
        {
          status: res.status,
          body: res.text.slice(0, 300),
          url: displayUrl(res.url),
        },
      );
    }

    for (const id of ids) {
      const entry = remaining.get(id) as PendingImport;
      const verdict = status.get(id);
      if (verdict === undefined) throw importFailure(entry, 'CAR did not report its status');
      if (verdict.state === 'error') throw importFailure(entry, `CAR reported: ${verdict.message}`);
      if (verdict.state === 'notfound')
        throw importFailure(entry, 'CAR does not know this import id');
      if (verdict.state === 'complete') remaining.delete(id);
    }

    if (remaining.size === 0) break;
    if (Date.now() + waitMs > deadline) {
      const entry = remaining.values().next().value as PendingImport;
      throw importFailure(entry, `it was still in progress after ${timing.deadlineMs} ms`);
    }
    logger.debug({ pending: remaining.size, waitMs }, 'car imports in progress');
    await sleep(waitMs);
  }
}

type Verdict =
  { state: 'complete' | 'incomplete' | 'notfound' } | { state: 'error'; message: string };

/** The verdict per import id, or undefined when the response is not a status document. */
export function parseImportStatus(
  httpStatus: number,
  body: unknown,
): Map<string, Verdict> | undefined {
  if (httpStatus !== 200 || body === null || typeof body !== 'object' || Array.isArray(body)) {
    return undefined;
  }
  const doc = body as Record<string, unknown>;
  const lists = ['complete_imports', 'incomplete_imports', 'notfound_imports', 'error_imports'];
  if (!lists.some((name) => Array.isArray(doc[name]))) return undefined;

  const verdicts = new Map<string, Verdict>();
  for (const entry of listOf(doc.incomplete_imports))
    verdicts.set(idOf(entry), { state: 'incomplete' });
  for (const entry of listOf(doc.complete_imports))
    verdicts.set(idOf(entry), completeVerdict(entry));
  for (const entry of listOf(doc.notfound_imports))
    verdicts.set(idOf(entry), { state: 'notfound' });
  for (const entry of listOf(doc.error_imports)) {
    verdicts.set(idOf(entry), { state: 'error', message: errorText(entry) });
  }
  verdicts.delete('');
  return verdicts;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function idOf(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  if (entry !== null && typeof entry === 'object') {
    const id = (entry as { id?: unknown }).id;
    if (typeof id === 'string') return id;
  }
  return '';
}

function completeVerdict(entry: unknown): Verdict {
  const status = (entry as { status?: unknown } | null)?.status;
  if (status === undefined || (typeof status === 'string' && status.toUpperCase() === 'COMPLETE')) {
    return { state: 'complete' };
  }
  return { state: 'error', message: `listed as complete with status ${JSON.stringify(status)}` };
}

function errorText(entry: unknown): string {
  if (entry === null || typeof entry !== 'object') return 'import failed';
  const { error, statusCode } = entry as { error?: unknown; statusCode?: unknown };
  const text = typeof error === 'string' ? error : JSON.stringify(error ?? entry);
  return statusCode === undefined ? text : `${text} (status ${String(statusCode)})`;
}

function importFailure(entry: PendingImport, why: string, extra: Record<string, unknown> = {}) {
  return new CarImportError(
    'CAR_IMPORT_FAILED',
    `CAR import ${entry.id} of ${entry.records} ${entry.collection} record(s) failed: ${why}; ` +
      'the checkpoint was kept, so the next run sends these records again',
    { details: { importId: entry.id, collection: entry.collection, ...extra } },
  );
}

/**
 * A readable summary of a rejected `POST /imports`: for CAR's `data_mal_formed` body (§1.3)
 * the first few schema errors, decoded from the JSON text inside `message`.
 */
export function describeRejection(body: unknown, text: string, maxErrors = 3): string {
  const first = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(first) || first.length === 0) return text.slice(0, 300) || '(empty body)';

  const error = first[0] as { code?: unknown; message?: unknown };
  if (error.code !== 'data_mal_formed' || typeof error.message !== 'string') {
    return `${String(error.code)}: ${String(error.message)}`.slice(0, 300);
  }
  let schemaErrors: unknown;
  try {
    schemaErrors = JSON.parse(error.message) as unknown;
  } catch {
    return `data_mal_formed: ${error.message.slice(0, 300)}`;
  }
  if (!Array.isArray(schemaErrors)) return `data_mal_formed: ${error.message.slice(0, 300)}`;
  const quoted = schemaErrors.slice(0, maxErrors).map((item) => {
    const { dataPath, instancePath, message } = item as Record<string, unknown>;
    return `${String(dataPath ?? instancePath ?? '')} ${String(message ?? '')}`.trim();
  });
  const more =
    schemaErrors.length > maxErrors ? ` (and ${schemaErrors.length - maxErrors} more)` : '';
  return `data_mal_formed: ${quoted.join('; ')}${more}`;
}

/** Polls `GET /jobstatus/{id}` until COMPLETE (resolves) or ERROR / non-200 (throws). */
export async function waitForJob(
  http: CarHttpClient,
  jobId: string,
  purpose: string,
  timing: PollTiming,
): Promise<void> {
  const deadline = Date.now() + timing.deadlineMs;
  for (let waitMs = timing.initialMs; ; waitMs = Math.min(timing.maxMs, waitMs * 2)) {
    const res = await http.send('GET', { path: `jobstatus/${encodeURIComponent(jobId)}` });
    const status = (res.body as { status?: unknown } | undefined)?.status;
    if (res.status === 200 && typeof status === 'string' && status.toUpperCase() === 'COMPLETE')
      return;
    if (res.status !== 200 || status === 'ERROR' || typeof status !== 'string') {
      throw new CarImportError(
        'CAR_IMPORT_FAILED',
        `CAR job ${jobId} (${purpose}) failed: HTTP ${res.status}, status ${JSON.stringify(status ?? null)}; ` +
          'check the CAR service logs and run again',
        { status: res.status, details: { jobId, purpose, body: res.text.slice(0, 300) } },
      );
    }
    if (Date.now() + waitMs > deadline) {
      throw new CarImportError(
        'CAR_IMPORT_FAILED',
        `CAR job ${jobId} (${purpose}) did not finish in ${timing.deadlineMs} ms`,
        {
          details: { jobId, purpose },
        },
      );
    }
    await sleep(waitMs);
  }
}
