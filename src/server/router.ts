/**
 * A small router: a table of routes with `{param}` paths (the OpenAPI path syntax, so the
 * table and openapi.ts can be compared by a test), matched by method and path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import { HttpError } from './http-errors.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a handler receives. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  log: Logger;
  reqId: string;
  /** Parsed JSON body (changes only). */
  readBody: () => Promise<unknown>;
}

/** A JSON value to send with a status, or `raw` text with its content type. */
export type HandlerResult =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; raw: string; contentType: string };

export interface Route {
  method: Method;
  path: string;
  /** Changes need the API token; reads do not. */
  needsToken: boolean;
  handler: (ctx: RequestContext) => Promise<HandlerResult> | HandlerResult;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

/** Matches requests against the route table. */
export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(readonly routes: Route[]) {
    this.compiled = routes.map((route) => compile(route));
  }

  /** The route and its decoded params; throws 404 or 405 as an HttpError. */
  match(
    method: string,
    pathname: string,
  ): { route: Route; params: Record<string, string> } | undefined {
    const allowed: string[] = [];
    for (const route of this.compiled) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeParam(found[index + 1] ?? '');
      });
      return { route, params };
    }
    if (allowed.length > 0) {
      throw new HttpError(
        405,
        'INPUT_INVALID',
        `${method} is not allowed on ${pathname}; use ${allowed.join(' or ')}`,
        {
          Allow: allowed.join(', '),
        },
      );
    }
    return undefined;
  }
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  // Braces are not escaped, so `{name}` survives escaping and becomes one path segment.
  const escaped = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const source = escaped.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpError(
      400,
      'INPUT_INVALID',
      `the path segment ${JSON.stringify(value)} is not valid percent-encoding`,
    );
  }
}
