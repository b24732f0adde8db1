/**
 * The CAR REST endpoints the target uses, one method each (car-service.md §1.2). Paths and
 * query values are URL-encoded here, ids included; the existing connector sent them raw.
 */
import { CarImportError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { CarHttpClient, CarResponse } from './http.ts';
import { displayUrl, pathOf } from './http.ts';
import type { Envelope } from './envelope.ts';
import type { PendingImport, PollTiming } from './import-status.ts';
import { describeRejection, waitForImports, waitForJob } from './import-status.ts';
import { idQueryPages } from './paging.ts';

/** Collections CAR addresses by `_key` in deletes (§1.6); all others by `external_ids`. */
const KEY_DELETE_COLLECTIONS = new Set(['ipaddress', 'hostname', 'macaddress']);

/** Typed calls over one CAR service. */
export class CarApi {
  constructor(
    readonly http: CarHttpClient,
    readonly timing: PollTiming,
    private readonly logger: Logger,
  ) {}

  /** `POST /imports` of one collection; resolves with the import id CAR is processing. */
  async postImport(
    envelope: Envelope,
    collection: string,
    records: number,
  ): Promise<PendingImport> {
    const res = await this.http.send('POST', { path: 'imports', body: envelope });
    if (res.status >= 200 && res.status < 300) {
      const { id, job_id: jobId } = (res.body ?? {}) as { id?: unknown; job_id?: unknown };
      const importId = typeof id === 'string' ? id : typeof jobId === 'string' ? jobId : undefined;
      if (importId !== undefined) return { id: importId, collection, records };
    }
    throw new CarImportError(
      'CAR_IMPORT_FAILED',
      `CAR rejected the import of ${records} ${collection} record(s) (HTTP ${res.status}): ` +
        `${describeRejection(res.body, res.text)}; the checkpoint was kept`,
      {
        status: res.status,
        details: { collection, url: displayUrl(res.url), body: res.text.slice(0, 2_000) },
      },
    );
  }

  /** Waits until CAR has processed every import (see import-status.ts for what fails). */
  async waitForImports(pending: readonly PendingImport[]): Promise<void> {
    if (pending.length === 0) return;
    await waitForImports(this.http, pending, this.timing, this.logger);
  }

  /** Opens the full-import session of a source and waits for its job. */
  async openFullImport(source: string): Promise<void> {
    await this.sessionCall('POST', source, 'open full-import session');
  }

  /** Closes the full-import session of a source and waits for its job. */
  async closeFullImport(source: string): Promise<void> {
    await this.sessionCall('DELETE', source, 'close full-import session');
  }

  /** `model_state_id` of the source, or undefined when CAR has no source or no state. */
  async getModelState(source: string): Promise<string | undefined> {
    const res = await this.http.send('GET', { path: pathOf('source', source) });
    if (res.status === 404) return undefined;
    expectOk(res, `read the model state of source ${source}`);
    const value = (res.body as { model_state_id?: unknown } | undefined)?.model_state_id;
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** Writes `model_state_id` with `PATCH /source?key=`. */
  async setModelState(source: string, value: string): Promise<void> {
    const res = await this.http.send('PATCH', {
      path: 'source',
      query: { key: source },
      body: { model_state_id: value },
    });
    expectOk(res, `write the model state of source ${source}`);
  }

  /**
   * Soft-deletes vertices (`DELETE /source/{src}/{collection}`), by `keys` for key-based
   * collections and `external_ids` otherwise, in pages of bounded query length.
   */
  async deleteVertices(
    source: string,
    collection: string,
    ids: readonly string[],
  ): Promise<number> {
    const param = KEY_DELETE_COLLECTIONS.has(collection) ? 'keys' : 'external_ids';
    let pages = 0;
    for (const page of idQueryPages(ids)) {
      const res = await this.http.send('DELETE', {
        path: pathOf('source', source, collection),
        rawQuery: `${param}=${page}`,
      });
      expectOk(res, `delete ${collection} vertices of source ${source}`);
      pages++;
    }
    return pages;
  }

  /** `PATCH /{edge_collection}?source=&from=&to=`, e.g. `{ active: false }` to deactivate. */
  async patchEdge(
    collection: string,
    source: string,
    from: string,
    to: string,
    patch: Record<string, unknown>,
  ): Promise<void> {
    const res = await this.http.send('PATCH', {
      path: pathOf(collection),
      query: { source, from, to },
      body: patch,
    });
    expectOk(res, `update the ${collection} edge ${from} → ${to}`);
  }

  private async sessionCall(
    method: 'POST' | 'DELETE',
    source: string,
    purpose: string,
  ): Promise<void> {
    const res = await this.http.send(method, {
      path: pathOf('source', source, 'full-import-in-progress'),
    });
    expectOk(res, `${purpose} of source ${source}`);
    const jobId = (res.body as { job_id?: unknown } | undefined)?.job_id;
    if (typeof jobId === 'string') await waitForJob(this.http, jobId, purpose, this.timing);
  }
}

/** Throws CAR_IMPORT_FAILED for any status but 200–299. */
export function expectOk(res: CarResponse, action: string): void {
  if (res.status >= 200 && res.status < 300) return;
  throw new CarImportError(
    'CAR_IMPORT_FAILED',
    `CAR refused to ${action} (HTTP ${res.status} from ${displayUrl(res.url)}): ` +
      `${describeRejection(res.body, res.text)}`,
    { status: res.status, details: { url: displayUrl(res.url), body: res.text.slice(0, 500) } },
  );
}
