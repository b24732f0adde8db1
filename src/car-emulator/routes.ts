/**
 * The CAR endpoints the emulator serves (car-service.md §1.2; swagger3.json), each a function
 * from a parsed request to a reply. Paths are relative to `/api/car/v2` or `/api/car/v3`.
 */
import importSchema from '../car/import-schema-v2.json' with { type: 'json' };
import { validateEnvelope } from '../car/schema.ts';
import type { EdgeCollection, GraphBatch } from '../car/types.ts';
import { EDGE_COLLECTIONS, KEY_COLLECTIONS, VERTEX_COLLECTIONS } from '../car/types.ts';
import type { Logger } from '../log.ts';
import type { FaultPlan } from './faults.ts';
import type { Reply } from './http-util.ts';
import { carError, ok, queryList, queryValue } from './http-util.ts';
import type { Job, JobRegistry } from './jobs.ts';
import type { EmulatorStore } from './store-port.ts';

/** How the emulated database answers `GET /databases` (car-service.md §1.4). */
export type DatabaseState = 'ready' | 'missing' | 'no-graph' | 'no-indexes';

export interface EmulatorState {
  store: EmulatorStore;
  jobs: JobRegistry;
  faults: FaultPlan;
  logger: Logger;
  database: DatabaseState;
}

export interface RouteRequest {
  method: string;
  version: 'v2' | 'v3';
  /** Decoded path segments after the version. */
  segments: string[];
  params: Map<string, string>;
  body: unknown;
}

const VERTEX_SET: ReadonlySet<string> = new Set(VERTEX_COLLECTIONS);
const EDGE_SET: ReadonlySet<string> = new Set(EDGE_COLLECTIONS);

/** Routes a request; undefined when no endpoint matches. */
export async function route(state: EmulatorState, req: RouteRequest): Promise<Reply | undefined> {
  const [first, second, third] = req.segments;
  const key = `${req.method} ${req.version}/${first ?? ''}`;
  const count = req.segments.length;

  if (req.version === 'v3') {
    if (key === 'GET v3/health' && count === 1) return ok({ message: 'ok' });
    if (key === 'GET v3/importSchema' && count === 1) return importSchemaReply(req);
    return undefined;
  }
  if (key === 'GET v2/health' && count === 1) return ok({ message: 'ok' });
  if (first === 'databases' && count === 1) return databases(state, req);
  if (key === 'GET v2/jobstatus' && count === 2) return jobStatus(state, second as string);
  if (key === 'POST v2/imports' && count === 1) return postImport(state, req.body);
  if (key === 'GET v2/importstatus' && count === 1)
    return importStatus(state, queryList(req.params, 'ids') ?? []);
  if (key === 'GET v2/importstatus' && count === 2) return importStatus(state, [second as string]);
  if (first === 'source') return sourceRoutes(state, req, second, third);
  if (key === `PATCH v2/${first}` && count === 1 && EDGE_SET.has(first as string)) {
    return patchEdge(state, first as EdgeCollection, req);
  }
  return undefined;
}

function importSchemaReply(req: RouteRequest): Reply {
  const version = queryValue(req.params, 'version') ?? 'v2';
  if (version !== 'v2')
    return carError(404, 'schema_not_found', `no import schema ${version}; ask for version=v2`);
  return ok({ version: 'v2', schema: importSchema });
}

function databases(state: EmulatorState, req: RouteRequest): Reply | undefined {
  if (req.method === 'GET') {
    if (state.database === 'missing')
      return carError(400, 'database_not_found', 'no database for this tenant');
    return ok({ databases: [databaseInfo(state.database)] });
  }
  if (req.method !== 'POST' && req.method !== 'PATCH') return undefined;
  const job = state.jobs.submit('job', 'database', () => {
    state.database = 'ready';
  });
  return ok({ job_id: job.id });
}

function databaseInfo(database: DatabaseState): Record<string, unknown> {
  return {
    name: 'car',
    graph_name: database === 'no-graph' ? '' : 'assets',
    missing_collections: [],
    collections_without_indexes: database === 'no-indexes' ? ['asset'] : [],
    collections: [...VERTEX_COLLECTIONS, ...EDGE_COLLECTIONS],
    is_ready: database === 'ready',
  };
}

function jobStatus(state: EmulatorState, id: string): Reply {
  const job = state.jobs.get(id);
  if (job === undefined) return carError(404, 'job_not_found', `no job ${id}`);
  return ok({
    id: job.id,
    status: job.state,
    ...(job.error === undefined ? {} : { error: job.error }),
  });
}

function postImport(state: EmulatorState, body: unknown): Reply {
  const fault = state.faults.nextImportFault();
  if (fault === 'reject')
    return malformed([
      {
        keyword: 'fault',
        dataPath: '',
        schemaPath: '#',
        params: {},
        message: 'rejected by fault injection',
      },
    ]);

  const validation = validateEnvelope(body);
  if (!validation.ok) return malformed(validation.errors);
  const envelope = body as Record<string, unknown>;
  const source = (envelope.source as { _key?: unknown } | undefined)?._key;
  const reportKey = (envelope.report as { _key?: unknown } | undefined)?._key;
  if (typeof source !== 'string' || typeof reportKey !== 'string') {
    return carError(
      400,
      'data_mal_formed',
      JSON.stringify([
        {
          keyword: 'required',
          dataPath: '.source',
          schemaPath: '#/required',
          params: {},
          message: 'source._key and report._key are required',
        },
      ]),
    );
  }
  const batch = toBatch(envelope);
  if (typeof batch === 'string')
    return carError(
      400,
      'collection_not_supported',
      `the emulator does not store the ${batch} collection`,
    );

  const job: Job = state.jobs.submit('import', 'import', async () => {
    if (fault === 'fail') throw new Error('import failed by fault injection');
    await state.store.applyImport(source, reportKey, batch);
  });
  if (fault === 'forget') state.jobs.forget(job.id);
  return ok({
    id: job.id,
    job_id: job.id,
    status: 'INPROGRESS',
    message: `Check the status of the import by calling GET {api}/importstatus?ids=${job.id}`,
  });
}

function malformed(errors: unknown[]): Reply {
  return carError(400, 'data_mal_formed', JSON.stringify(errors));
}

/** The collections of an envelope as a batch, or the name of a collection the store lacks. */
function toBatch(envelope: Record<string, unknown>): GraphBatch | string {
  const batch: GraphBatch = { vertices: {}, edges: {} };
  for (const [name, value] of Object.entries(envelope)) {
    if (name === 'source' || name === 'report' || !Array.isArray(value)) continue;
    if (VERTEX_SET.has(name)) (batch.vertices as Record<string, unknown[]>)[name] = value;
    else if (EDGE_SET.has(name)) (batch.edges as Record<string, unknown[]>)[name] = value;
    else return name;
  }
  return batch;
}

function importStatus(state: EmulatorState, ids: string[]): Reply {
  if (state.faults.garblesImportStatus)
    return { status: 200, body: '<html>status unavailable</html>', raw: true };
  const lists = {
    complete_imports: [] as unknown[],
    incomplete_imports: [] as unknown[],
    notfound_imports: [] as unknown[],
    error_imports: [] as unknown[],
  };
  for (const id of ids) {
    const job = state.jobs.get(id);
    if (job === undefined || job.kind !== 'import') lists.notfound_imports.push({ id });
    else if (job.state === 'COMPLETE') lists.complete_imports.push({ id, status: 'COMPLETE' });
    else if (job.state === 'ERROR')
      lists.error_imports.push({ id, error: job.error, statusCode: job.statusCode });
    else lists.incomplete_imports.push({ id, status: 'INPROGRESS' });
  }
  return ok({
    success: lists.error_imports.length === 0 && lists.notfound_imports.length === 0,
    ...lists,
  });
}

async function sourceRoutes(
  state: EmulatorState,
  req: RouteRequest,
  source: string | undefined,
  sub: string | undefined,
): Promise<Reply | undefined> {
  const count = req.segments.length;
  if (req.method === 'PATCH' && (count === 1 || count === 2)) {
    const key = count === 2 ? source : queryValue(req.params, 'key');
    return patchSource(state, key, req.body);
  }
  if (source === undefined) return undefined;
  if (req.method === 'GET' && count === 2) {
    const modelState = await state.store.getModelState(source);
    if (modelState === undefined) return carError(404, 'source_not_found', `no source ${source}`);
    return ok({ _key: source, model_state_id: modelState });
  }
  if (sub === 'full-import-in-progress' && count === 3) return session(state, req.method, source);
  if (req.method === 'DELETE' && count === 3 && sub !== undefined)
    return deleteVertices(state, req, source, sub);
  return undefined;
}

async function patchSource(
  state: EmulatorState,
  key: string | undefined,
  body: unknown,
): Promise<Reply> {
  if (key === undefined || key === '')
    return carError(400, 'key_missing', 'give the source key as ?key=');
  const value = (body as { model_state_id?: unknown } | undefined)?.model_state_id;
  if (typeof value !== 'string')
    return carError(400, 'data_mal_formed', 'model_state_id must be a string');
  await state.store.setModelState(key, value);
  return ok({ result: 'OK' });
}

function session(state: EmulatorState, method: string, source: string): Reply | undefined {
  if (method !== 'POST' && method !== 'DELETE') return undefined;
  const job = state.jobs.submit('job', 'full-import', async () => {
    if (method === 'POST') await state.store.beginFullImportSession(source);
    else await state.store.endFullImportSession(source);
  });
  return ok({ job_id: job.id });
}

async function deleteVertices(
  state: EmulatorState,
  req: RouteRequest,
  source: string,
  collection: string,
): Promise<Reply> {
  if (!VERTEX_SET.has(collection))
    return carError(404, 'collection_not_found', `no vertex collection ${collection}`);
  const by = KEY_COLLECTIONS.has(collection) ? 'key' : 'external_id';
  const ids = queryList(req.params, by === 'key' ? 'keys' : 'external_ids');
  if (ids === undefined || ids.length === 0) {
    return carError(
      400,
      'ids_missing',
      `give ${by === 'key' ? 'keys' : 'external_ids'}=id1,id2 for ${collection}`,
    );
  }
  await state.store.deleteVertices(source, collection, ids, by);
  return ok({ result: 'OK' });
}

async function patchEdge(
  state: EmulatorState,
  collection: EdgeCollection,
  req: RouteRequest,
): Promise<Reply> {
  const source = queryValue(req.params, 'source');
  const from = queryValue(req.params, 'from');
  const to = queryValue(req.params, 'to');
  if (source === undefined || from === undefined || to === undefined) {
    return carError(400, 'query_missing', 'give source, from and to in the query');
  }
  const active = (req.body as { active?: unknown } | undefined)?.active;
  const patch = typeof active === 'boolean' ? { active } : {};
  await state.store.patchEdges(collection, source, stripPrefix(from), stripPrefix(to), patch);
  return ok({ result: 'OK' });
}

/** Accepts both `ipaddress/10.0.0.1` and `10.0.0.1` for key-based ends. */
function stripPrefix(value: string): string {
  const slash = value.indexOf('/');
  if (slash < 0) return value;
  return KEY_COLLECTIONS.has(value.slice(0, slash)) ? value.slice(slash + 1) : value;
}
