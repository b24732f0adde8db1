/**
 * `POST /api/advancedqueries/run` (mde-api.md §2.3): the body key `Query` is case-sensitive,
 * the KQL engine evaluates it over the tenant's tables, and the answer is
 * `{"Stats", "Schema":[{Name, Type}], "Results":[...]}` with .NET type names, datetimes with 7
 * fractional digits, dynamic columns as JSON strings and 64-bit integers written exactly.
 */
import { formatTicks, parseMdeTime } from '../../mde/time.ts';
import { executeKql, KqlError, type KqlResult, type KqlType } from '../kql/index.ts';
import type { SimContext, SimRequest } from '../context.ts';
import { huntingError } from '../http/errors.ts';
import { markBigInt, stringifyWithBigInts, unmarkBigInts } from '../http/json-bigint.ts';
import { PLAIN_JSON, type SimResponse } from '../http/respond.ts';
import { HUNTING_ROLES, type Route } from './table.ts';

/** Row limit of one answer (run-advanced-query-api.md). */
export const HUNTING_MAX_ROWS = 100_000;
const RESULT_SIZE_MESSAGE =
  'Query execution has exceeded the allowed result size. Optimize your query by limiting the number of results and try again';

/** Kusto type → the .NET name the service writes in `Schema` (api-power-bi.md type map). */
const DOTNET_TYPES: Record<KqlType, string> = {
  string: 'String',
  datetime: 'DateTime',
  long: 'Int64',
  int: 'Int32',
  real: 'Double',
  bool: 'Boolean',
  dynamic: 'Object',
  guid: 'Guid',
  timespan: 'TimeSpan',
};

function readQuery(req: SimRequest): string | undefined {
  const fromGet = req.method === 'GET' ? req.url.searchParams.get('key') : null;
  if (fromGet !== null) return fromGet;
  try {
    const body = JSON.parse(req.body) as unknown;
    const query =
      body && typeof body === 'object' ? (body as Record<string, unknown>).Query : undefined;
    return typeof query === 'string' ? query : undefined;
  } catch {
    return undefined;
  }
}

function runQuery(ctx: SimContext, req: SimRequest): SimResponse {
  const query = readQuery(req);
  // Body parameter names are case-sensitive: `{"query": …}` is refused (mde-api.md §1.5).
  if (query === undefined)
    return huntingError(400, 'InvalidRequestBody', 'Request body is incorrect');
  const started = performance.now();
  let result: KqlResult;
  try {
    result = executeKql(query, ctx.tenant.tables, {
      now: new Date(ctx.simNowMs()),
      maxRows: HUNTING_MAX_ROWS,
    });
  } catch (err) {
    if (!(err instanceof KqlError)) throw err;
    if (err.kind === 'limit') return huntingError(400, 'BadRequest', RESULT_SIZE_MESSAGE);
    return huntingError(400, 'BadRequest', err.message);
  }
  if (result.rows.length > HUNTING_MAX_ROWS)
    return huntingError(400, 'BadRequest', RESULT_SIZE_MESSAGE);
  return {
    status: 200,
    headers: { 'Content-Type': PLAIN_JSON },
    body: wireText(result, performance.now() - started),
  };
}

/**
 * The answer's JSON text, the same as `stringifyWithBigInts(toWire(…))` but faster on large
 * answers: the result's rows (fresh objects the engine made for this answer) take their wire
 * values in place, bigints marked, so plain `JSON.stringify` writes the text. An answer with a
 * value of an unexpected shape (an object outside a dynamic column) takes the general path.
 */
export function wireText(result: KqlResult, elapsedMs: number): string {
  if (hasUnusualValue(result)) return stringifyWithBigInts(toWire(result, elapsedMs));
  const columns = result.columns;
  for (const row of result.rows)
    for (const c of columns) row[c.name] = fastWireValue(row[c.name], c.type);
  return unmarkBigInts(JSON.stringify(envelope(result, elapsedMs, result.rows)));
}

function hasUnusualValue(result: KqlResult): boolean {
  // A repeated column name would convert one value twice in place.
  if (new Set(result.columns.map((c) => c.name)).size !== result.columns.length) return true;
  const plain = result.columns.filter((c) => c.type !== 'datetime' && c.type !== 'dynamic');
  for (const row of result.rows) {
    for (const c of plain) {
      const value = row[c.name];
      if (typeof value === 'object' && value !== null) return true;
    }
  }
  return false;
}

/** The wire form of a result. */
export function toWire(result: KqlResult, elapsedMs: number): unknown {
  const columns = result.columns;
  const rows = result.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const c of columns) out[c.name] = wireValue(row[c.name], c.type);
    return out;
  });
  return envelope(result, elapsedMs, rows);
}

function envelope(result: KqlResult, elapsedMs: number, rows: unknown[]): unknown {
  const columns = result.columns;
  return {
    Stats: {
      ExecutionTime: Math.round(elapsedMs) / 1000,
      resource_usage: {
        cache: { memory: null, disk: null },
        cpu: { user: '00:00:00', kernel: '00:00:00', 'total cpu': '00:00:00' },
        memory: { peak_per_node: 0 },
      },
      dataset_statistics: [{ table_row_count: result.rows.length, table_size: 0 }],
    },
    Schema: columns.map((c) => ({ Name: c.name, Type: DOTNET_TYPES[c.type] ?? 'Object' })),
    Results: rows,
  };
}

/** `wireValue` with bigints marked, canonical datetimes passed through unparsed. */
function fastWireValue(value: unknown, type: KqlType): unknown {
  if (type === 'datetime')
    return typeof value === 'string' && isPlainDatetime(value) ? value : wireValue(value, type);
  if (type === 'dynamic') return wireValue(value, type);
  return typeof value === 'bigint' ? markBigInt(value) : wireValue(value, type);
}

/** The number written by the digits of `s` from `from` (inclusive) to `to` (exclusive). */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * True for `YYYY-MM-DDTHH:MM:SS.fffffffZ` naming a real instant from 1970 on: parsing such a
 * value and writing it with 7 digits gives the same text back, so the wire can skip both.
 */
function isPlainDatetime(s: string): boolean {
  if (s.length !== 28 || s.charCodeAt(27) !== 90 || s.charCodeAt(19) !== 46) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return false;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || digits(s, 20, 27) < 0) return false;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return false;
  const [h, m, sec] = [digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19)];
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return false;
  return day <= 28 || day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function wireValue(value: unknown, type: KqlType): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'datetime') {
    const parsed = parseMdeTime(value instanceof Date ? value.toISOString() : String(value));
    return parsed ? formatTicks(parsed.ticks) : null;
  }
  // Dynamic values travel as JSON text inside the JSON answer (mde-api.md §6 Q21).
  if (type === 'dynamic') return typeof value === 'string' ? value : stringifyWithBigInts(value);
  return value;
}

export const HUNTING_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/advancedqueries\/run\/?$/i,
    api: 'mde',
    family: 'hunting',
    statsFamily: 'hunting',
    roles: HUNTING_ROLES,
    handle: runQuery,
  },
  {
    method: 'GET',
    pattern: /^\/api\/advancedqueries\/?$/i,
    api: 'mde',
    family: 'hunting',
    statsFamily: 'hunting',
    roles: HUNTING_ROLES,
    handle: runQuery,
  },
];
