/**
 * The route table of the HTTP API. Handlers stay thin: they read params and body, call the
 * runner or the search provider, and return JSON; validation lives in the runner and error
 * mapping in http-errors.ts. openapi.ts describes each of these routes (a test compares them).
 */
import { ConnectorError } from '../errors.ts';
import type { SearchKind, SearchResult } from '../car/search-types.ts';
import type { Runner } from '../runner/runner.ts';
import type { Metrics } from './metrics.ts';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import type { RequestContext, Route } from './router.ts';

/** Answers a Data Explorer search: the same result `mde-car search` prints. */
export type SearchProvider = (
  kind: SearchKind,
  value: string,
) => Promise<SearchResult> | SearchResult;

export interface RouteDeps {
  runner: Runner;
  search: SearchProvider;
  metrics: Metrics;
  /** Facts for /healthz, e.g. the version. */
  version: string;
}

const SEARCH_KINDS: SearchKind[] = ['ip', 'host', 'mac'];

/** Every route of the API. */
export function buildRoutes(deps: RouteDeps): Route[] {
  const { runner } = deps;
  const ok = (json: unknown, status = 200) => ({ status, json });
  const conn = (ctx: RequestContext) => ctx.params.connection ?? '';
  const cfg = (ctx: RequestContext) => ctx.params.configuration ?? '';

  return [
    {
      method: 'GET',
      path: '/healthz',
      needsToken: false,
      handler: () => ok({ status: 'ok', version: deps.version }),
    },
    {
      method: 'GET',
      path: '/metrics',
      needsToken: false,
      handler: () => ({
        status: 200,
        raw: deps.metrics.render(runner.status()),
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
      }),
    },
    {
      method: 'GET',
      path: '/openapi.json',
      needsToken: false,
      handler: () => ok(OPENAPI_DOCUMENT),
    },
    // A cheap authenticated call so the UI can tell a person at once whether a token is right.
    {
      method: 'POST',
      path: '/api/session',
      needsToken: true,
      handler: () => ok({ authenticated: true }),
    },

    {
      method: 'GET',
      path: '/api/connections',
      needsToken: false,
      handler: () => ok(runner.listConnections()),
    },
    {
      method: 'POST',
      path: '/api/connections',
      needsToken: true,
      handler: async (ctx) => ok(runner.createConnection(await ctx.readBody()), 201),
    },
    {
      method: 'GET',
      path: '/api/connections/{connection}',
      needsToken: false,
      handler: (ctx) => ok(runner.getConnection(conn(ctx))),
    },
    {
      method: 'PUT',
      path: '/api/connections/{connection}',
      needsToken: true,
      handler: async (ctx) => ok(runner.updateConnection(conn(ctx), await ctx.readBody())),
    },
    {
      method: 'DELETE',
      path: '/api/connections/{connection}',
      needsToken: true,
      handler: (ctx) => {
        runner.deleteConnection(conn(ctx));
        return ok({ deleted: conn(ctx) });
      },
    },
    {
      method: 'GET',
      path: '/api/connections/{connection}/configurations',
      needsToken: false,
      handler: (ctx) => ok(runner.getConnection(conn(ctx)).configurations),
    },
    {
      method: 'POST',
      path: '/api/connections/{connection}/configurations',
      needsToken: true,
      handler: async (ctx) => ok(runner.createConfiguration(conn(ctx), await ctx.readBody()), 201),
    },
    {
      method: 'GET',
      path: '/api/connections/{connection}/configurations/{configuration}',
      needsToken: false,
      handler: (ctx) => ok(runner.getConfiguration(conn(ctx), cfg(ctx))),
    },
    {
      method: 'PUT',
      path: '/api/connections/{connection}/configurations/{configuration}',
      needsToken: true,
      handler: async (ctx) =>
        ok(runner.updateConfiguration(conn(ctx), cfg(ctx), await ctx.readBody())),
    },
    {
      method: 'DELETE',
      path: '/api/connections/{connection}/configurations/{configuration}',
      needsToken: true,
      handler: (ctx) => {
        runner.deleteConfiguration(conn(ctx), cfg(ctx));
        return ok({ deleted: cfg(ctx) });
      },
    },
    { method: 'GET', path: '/api/status', needsToken: false, handler: () => ok(runner.status()) },
    {
      method: 'GET',
      path: '/api/connections/{connection}/status',
      needsToken: false,
      handler: (ctx) => ok(runner.connectionStatus(conn(ctx))),
    },
    {
      method: 'POST',
      path: '/api/connections/{connection}/run',
      needsToken: true,
      handler: (ctx) => ok(runner.runNow(conn(ctx)), 202),
    },
    {
      method: 'POST',
      path: '/api/connections/{connection}/configurations/{configuration}/run',
      needsToken: true,
      handler: (ctx) => ok(runner.runNow(conn(ctx), cfg(ctx)), 202),
    },
    {
      method: 'GET',
      path: '/api/runs',
      needsToken: false,
      handler: (ctx) => ok(runner.listRuns(runsFilter(ctx.query))),
    },
    {
      method: 'GET',
      path: '/api/search',
      needsToken: false,
      handler: async (ctx) => ok(await search(deps, ctx.query)),
    },
  ];
}

function runsFilter(query: URLSearchParams): {
  connection?: string;
  configuration?: string;
  limit?: number;
} {
  const limitText = query.get('limit');
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new ConnectorError(
      'INPUT_INVALID',
      `limit ${JSON.stringify(limitText)} is not allowed; it must be a whole number from 1 to 500`,
      {
        details: { field: 'limit' },
      },
    );
  }
  return {
    ...(query.get('connection') ? { connection: query.get('connection') ?? '' } : {}),
    ...(query.get('configuration') ? { configuration: query.get('configuration') ?? '' } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

async function search(deps: RouteDeps, query: URLSearchParams): Promise<SearchResult> {
  const given = SEARCH_KINDS.filter((kind) => query.has(kind));
  const kind = given[0];
  if (given.length !== 1 || kind === undefined) {
    throw new ConnectorError(
      'INPUT_INVALID',
      'give exactly one of ip=, host= or mac=, e.g. /api/search?ip=10.0.0.5',
      {
        details: { field: 'query' },
      },
    );
  }
  const value = (query.get(kind) ?? '').trim();
  if (value === '') {
    throw new ConnectorError('INPUT_INVALID', `${kind}= is empty; give the value to search for`, {
      details: { field: kind },
    });
  }
  return deps.search(kind, value);
}
