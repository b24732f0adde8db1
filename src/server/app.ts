/**
 * Builds the HTTP service: the JSON API, /healthz, /metrics, /openapi.json and the web UI. It
 * does not listen (listen.ts does), so tests call the handler on port 0. Request logging,
 * guards and error mapping happen here once, around every route.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import type { Runner } from '../runner/runner.ts';
import { HttpError, toHttpError } from './http-errors.ts';
import { Metrics } from './metrics.ts';
import { buildRoutes, type SearchProvider } from './routes.ts';
import { Router, type HandlerResult, type Route } from './router.ts';
import { checkHost, checkOrigin, checkToken, setSecurityHeaders } from './security.ts';
import { loadStaticFiles, type StaticFile } from './static-files.ts';

// Connection and configuration bodies are a few hundred bytes; this leaves ample room.
const MAX_BODY_BYTES = 64 * 1024;

export interface ServerOptions {
  runner: Runner;
  search: SearchProvider;
  logger: Logger;
  /** The API token every change must carry. */
  token: string;
  /** Host names the server answers for (Host header); undefined accepts any. */
  allowedHosts?: ReadonlySet<string> | undefined;
  version?: string;
  /** Folder of the web UI; default src/server/ui. */
  uiDir?: string;
}

export interface BuiltServer {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  routes: Route[];
  metrics: Metrics;
}

/** Builds the request handler and its route table. */
export function buildServer(options: ServerOptions): BuiltServer {
  const metrics = new Metrics();
  options.runner.onRunFinished((summary) => metrics.recordRun(summary));
  const routes = buildRoutes({
    runner: options.runner,
    search: options.search,
    metrics,
    version: options.version ?? '0',
  });
  const router = new Router(routes);
  const files = loadStaticFiles(options.uiDir);
  const log = options.logger.child({ component: 'server' });

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const reqId = randomUUID();
    const reqLog = log.child({ reqId });
    const startedAt = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      metrics.recordRequest(req.method ?? '?', res.statusCode);
      const fields = { method: req.method, path: pathOf(req), status: res.statusCode, durationMs };
      if (res.statusCode >= 500) reqLog.error(fields, 'request failed');
      else reqLog.debug(fields, 'request completed');
    });
    handle(req, res, { options, router, files, reqId, reqLog }).catch((err: unknown) => {
      sendError(res, err, reqId, reqLog);
    });
  };
  return { handler, routes, metrics };
}

interface HandleContext {
  options: ServerOptions;
  router: Router;
  files: Map<string, StaticFile>;
  reqId: string;
  reqLog: Logger;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HandleContext,
): Promise<void> {
  setSecurityHeaders(res);
  res.setHeader('X-Request-Id', ctx.reqId);
  checkHost(req, ctx.options.allowedHosts);

  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const found = ctx.router.match(method, url.pathname);
  if (!found) {
    sendStatic(res, method, url.pathname, ctx.files);
    return;
  }

  if (found.route.needsToken) {
    checkOrigin(req);
    checkToken(req, ctx.options.token);
  }
  const result = await found.route.handler({
    req,
    res,
    params: found.params,
    query: url.searchParams,
    log: ctx.reqLog,
    reqId: ctx.reqId,
    readBody: () => readJsonBody(req),
  });
  sendResult(res, result);
}

function sendStatic(
  res: ServerResponse,
  method: string,
  pathname: string,
  files: Map<string, StaticFile>,
): void {
  const file = method === 'GET' || method === 'HEAD' ? files.get(pathname) : undefined;
  if (!file) {
    throw new HttpError(
      404,
      'NOT_FOUND',
      `nothing is served at ${pathname}; the API is described at /openapi.json`,
    );
  }
  // The UI's own files may be cached briefly; API answers stay no-store.
  res.setHeader('Cache-Control', 'no-cache');
  res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length });
  res.end(method === 'HEAD' ? undefined : file.body);
}

function sendResult(res: ServerResponse, result: HandlerResult): void {
  if ('raw' in result) {
    res.writeHead(result.status, { 'Content-Type': result.contentType });
    res.end(result.raw);
    return;
  }
  const body = JSON.stringify(result.json);
  res.writeHead(result.status, {
    'Content-Type': 'application/json; charset=utf-8',
    ...(result.headers ?? {}),
  });
  res.end(body);
}

function sendError(res: ServerResponse, err: unknown, reqId: string, reqLog: Logger): void {
  const mapped = toHttpError(err, reqId);
  if (mapped.status >= 500) reqLog.error({ err }, 'request error');
  else reqLog.debug({ code: mapped.body.error.code }, 'request refused');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(mapped.status, {
    'Content-Type': 'application/json; charset=utf-8',
    ...mapped.headers,
  });
  res.end(JSON.stringify(mapped.body));
}

/** Reads a JSON body; requiring the JSON content type also stops plain HTML form posts. */
async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(
      415,
      'INPUT_INVALID',
      'send the body as JSON with Content-Type: application/json',
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, 'INPUT_INVALID', `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'INPUT_INVALID', 'the body is not valid JSON');
  }
}

function pathOf(req: IncomingMessage): string {
  // Only the path is logged: query strings carry search values, which are kept out of logs.
  return (req.url ?? '/').split('?')[0] ?? '/';
}
