/**
 * Database readiness before a run, following car-service.md §1.4: a 400 from `GET /databases`
 * means there is no database yet (create it), a database without a graph gets one, and missing
 * indexes are added; each change is a job that must complete.
 */
import { CarImportError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { displayUrl } from './http.ts';
import type { CarApi } from './car-api.ts';
import { waitForJob } from './import-status.ts';

export type DatabaseState = 'READY' | 'NEWLY_CREATED';

interface DatabaseInfo {
  is_ready?: unknown;
  graph_name?: unknown;
  collections_without_indexes?: unknown;
  missing_collections?: unknown;
}

/** Makes sure CAR's database can take imports; throws CAR_UNAVAILABLE when it cannot. */
export async function ensureDatabaseReady(api: CarApi, logger: Logger): Promise<DatabaseState> {
  const res = await api.http.send('GET', { path: 'databases' });
  if (res.status === 400) {
    logger.info({}, 'car database missing; creating it');
    await runDatabaseJob(api, 'POST', undefined, 'create the database');
    return 'NEWLY_CREATED';
  }
  const databases = (res.body as { databases?: unknown } | undefined)?.databases;
  if (res.status !== 200 || !Array.isArray(databases)) {
    throw new CarImportError(
      'CAR_UNAVAILABLE',
      `CAR answered HTTP ${res.status} to GET ${displayUrl(res.url)} instead of the database ` +
        'list; check that the URL ends in /api/car/v2 and the service is healthy',
      { status: res.status, details: { url: displayUrl(res.url), body: res.text.slice(0, 300) } },
    );
  }

  const db = (databases[0] ?? {}) as DatabaseInfo;
  if (db.is_ready === true) return 'READY';
  if (db.graph_name === '') {
    await runDatabaseJob(api, 'PATCH', { graph_name: 'assets' }, 'create the graph');
    return 'NEWLY_CREATED';
  }
  const withoutIndexes = Array.isArray(db.collections_without_indexes)
    ? db.collections_without_indexes
    : [];
  if (withoutIndexes.length > 0) {
    await runDatabaseJob(
      api,
      'PATCH',
      { collections_without_indexes: withoutIndexes },
      'add indexes',
    );
    return 'NEWLY_CREATED';
  }
  // Limitation: like the existing connector, a database that is not ready but names nothing to
  // fix (for example only missing_collections) is used as it is; CAR offers no call to fix it.
  logger.warn({ missingCollections: db.missing_collections }, 'car database not ready; continuing');
  return 'READY';
}

async function runDatabaseJob(
  api: CarApi,
  method: 'POST' | 'PATCH',
  body: unknown,
  purpose: string,
): Promise<void> {
  const res = await api.http.send(method, { path: 'databases', body });
  const jobId = (res.body as { job_id?: unknown } | undefined)?.job_id;
  if (res.status < 200 || res.status >= 300 || typeof jobId !== 'string') {
    throw new CarImportError(
      'CAR_UNAVAILABLE',
      `CAR could not ${purpose} (HTTP ${res.status} from ${displayUrl(res.url)}); ` +
        'ask the QRadar Suite administrator to check the CAR database',
      { status: res.status, details: { body: res.text.slice(0, 300) } },
    );
  }
  await waitForJob(api.http, jobId, purpose, api.timing);
}
