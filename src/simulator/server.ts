/**
 * The HTTPS server and its request pipeline: read the body, count the call, let a scenario
 * rule answer first, then the control endpoints, Entra, and the Defender and Graph routes
 * (token check, quota, handler). Error mapping for the whole simulator lives here.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { authorize } from './auth/guard.ts';
import { handleEntra } from './auth/entra.ts';
import type { SimContext, SimRequest } from './context.ts';
import { graphError, huntingError, mdeError } from './http/errors.ts';
import { plainJson, send, type DeliveryFault, type SimResponse } from './http/respond.ts';
import { ODataQueryError } from './odata/filter.ts';
import { quotaMessage } from './quotas.ts';
import { handleControl, type ControlDeps } from './routes/control.ts';
import { GRAPH_ROUTES } from './routes/graph.ts';
import { HUNTING_ROUTES } from './routes/hunting.ts';
import { MDE_ROUTES } from './routes/mde.ts';
import { findRoute, type Route } from './routes/table.ts';
import type { ScenarioResponse } from './scenario.ts';

const ROUTES: Route[] = [...MDE_ROUTES, ...HUNTING_ROUTES, ...GRAPH_ROUTES];
/** Largest request body accepted; queries and token forms are small. */
const MAX_BODY_BYTES = 1_000_000;

export interface ServerDeps extends ControlDeps {
  count(family: string): void;
}

export function createSimulatorServer(
  ctx: SimContext,
  deps: ServerDeps,
  tls: { cert: string; key: string },
): Server {
  return createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    handle(ctx, deps, req, res).catch((err: unknown) => {
      ctx.logger.error({ err, method: req.method, url: req.url }, 'simulator request failed');
      if (!res.headersSent) send(req, res, mdeError(500, 'InternalServerError', ''));
      else res.destroy();
    });
  });
}

async function handle(
  ctx: SimContext,
  deps: ServerDeps,
  raw: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(raw);
  const url = new URL(raw.url ?? '/', ctx.baseUrl);
  const req: SimRequest = {
    method: (raw.method ?? 'GET').toUpperCase(),
    path: apiPath(url.pathname),
    url,
    headers: raw.headers,
    body,
  };
  ctx.logger.debug({ method: req.method, path: url.pathname }, 'simulator request');

  const scripted = deps.scenario.next(req.method, url.pathname, url);
  if (scripted?.delayMs) await sleep(scripted.delayMs);
  if (scripted && !scripted.passthrough) {
    deps.count('scripted');
    send(raw, res, scriptedResponse(scripted));
    return;
  }
  const fault: DeliveryFault = { truncate: scripted?.truncate, disconnect: scripted?.disconnect };
  send(raw, res, route(ctx, deps, req), fault);
}

/** `/api/v1.0/...` is the same resource as `/api/...` (mde-api.md §2). */
function apiPath(pathname: string): string {
  return pathname.replace(/^\/api\/v1\.0(?=\/|$)/i, '/api');
}

function route(ctx: SimContext, deps: ServerDeps, req: SimRequest): SimResponse {
  const control = handleControl(ctx, deps, req);
  if (control) return (deps.count('control'), control);
  const entra = handleEntra(ctx, req);
  if (entra) return (deps.count(/token\/?$/i.test(req.path) ? 'token' : 'metadata'), entra);

  const found = findRoute(ROUTES, req);
  if (!found) {
    deps.count('unknown');
    if (req.path.toLowerCase().startsWith('/v1.0/'))
      return graphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${req.path.split('/')[2] ?? ''}'.`,
        ctx.authNowMs(),
      );
    return mdeError(404, 'ResourceNotFound', `Resource ${req.url.pathname} was not found`);
  }
  const { route: r, params } = found;
  deps.count(r.statsFamily);
  const guard = authorize(ctx, req, r.api, r.roles);
  if (!guard.ok) return guard.response;

  const refusal = r.family ? ctx.quotas?.take(r.family) : undefined;
  if (refusal) {
    deps.count('throttled');
    const headers = { 'Retry-After': String(refusal.retryAfterSeconds) };
    // Advanced hunting answers `"code":"429"`; the other endpoints the documented code (Q11).
    if (r.family === 'hunting') return huntingError(429, '429', quotaMessage(refusal), headers);
    return mdeError(429, 'TooManyRequests', quotaMessage(refusal), headers);
  }
  try {
    return r.handle(ctx, req, params);
  } catch (err) {
    if (!(err instanceof ODataQueryError)) throw err;
    return r.api === 'graph'
      ? graphError(400, 'Request_BadRequest', err.message, ctx.authNowMs())
      : mdeError(400, 'ODataError', err.message);
  }
}

function scriptedResponse(step: ScenarioResponse): SimResponse {
  const body =
    step.body === undefined
      ? ''
      : typeof step.body === 'string'
        ? step.body
        : JSON.stringify(step.body);
  const base = plainJson(step.status ?? 200, null);
  return {
    status: step.status ?? 200,
    headers: { ...base.headers, ...(step.headers ?? {}) },
    body,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
