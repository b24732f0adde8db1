/**
 * A scripted HTTPS server on 127.0.0.1 (port 0) for integration tests of HTTP clients. It
 * serves a minimal Entra ID v2 authority (OpenID metadata that MSAL reads first, and a
 * client-credentials token endpoint issuing unsigned JWTs with configurable `aud` and `roles`)
 * and answers every other request from a script: per method and path (optionally with query
 * values), a sequence of responses of which the last repeats. It records every request.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { generateLoopbackCertificate, type TlsMaterial } from '../../src/simulator/tls.ts';

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  encoding?: 'gzip' | 'deflate' | 'deflate-raw';
  /** Holds the response back this long (to exercise client timeouts). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Bearer token sent, if any. */
  token?: string;
}

export type Responder = ScriptedResponse | ((req: RecordedRequest) => ScriptedResponse);

export interface TokenPolicy {
  /** Roles per scope resource; `default` for any other. */
  roles: string[];
  graphRoles: string[];
  /** Overrides the `aud` claim (field fault B10). */
  audience?: string;
  expiresInSeconds: number;
  /** When set, only this secret is accepted (else 401 AADSTS7000215). */
  clientSecret?: string;
}

export interface HttpsTestServer {
  origin: string;
  /** PEM file of the server's self-signed certificate, for `http.caFile`. */
  caFile: string;
  tls: TlsMaterial;
  requests: RecordedRequest[];
  tokenPolicy: TokenPolicy;
  /** Scripts `method path[?query]`: each call takes the next responder; the last repeats. */
  on(method: string, pathAndQuery: string, ...responders: Responder[]): void;
  /** API requests (not the authority) carrying tokens issued so far are refused with 401. */
  refuseIssuedTokens(): void;
  /** API requests other than to the authority; what a client really sent. */
  apiRequests(): RecordedRequest[];
  tokensIssued(): number;
  /** Forgets scripts, requests and issued tokens and restores the token policy, between tests. */
  reset(policy?: Partial<TokenPolicy>): void;
  close(): Promise<void>;
}

interface Route {
  method: string;
  path: string;
  query: URLSearchParams;
  responders: Responder[];
  calls: number;
}

/** Starts the server; call `close()` in an after hook. */
export async function startHttpsTestServer(
  policy: Partial<TokenPolicy> = {},
): Promise<HttpsTestServer> {
  const tls = generateLoopbackCertificate('https-test-server');
  const dir = mkdtempSync(join(tmpdir(), 'https-test-server-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, tls.cert);

  const routes: Route[] = [];
  const requests: RecordedRequest[] = [];
  const issued = new Set<string>();
  const refused = new Set<string>();
  const defaults: TokenPolicy = {
    roles: ['Machine.Read.All'],
    graphRoles: [],
    expiresInSeconds: 3599,
  };
  const tokenPolicy: TokenPolicy = { ...defaults, ...policy };
  let origin = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const recorded = await record(req, origin);
    requests.push(recorded);
    const authority = authorityResponse(recorded, origin, tokenPolicy, issued);
    if (authority) return send(res, authority);
    if (
      recorded.token === undefined ||
      !issued.has(recorded.token) ||
      refused.has(recorded.token)
    ) {
      return send(res, {
        status: 401,
        body: { error: { code: 'Unauthorized', message: 'Unauthorized', target: 'test' } },
      });
    }
    const response = respond(routes, recorded);
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    if (!res.destroyed) send(res, response);
  };

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    handle(req, res).catch((err: unknown) =>
      send(res, {
        status: 500,
        body: { error: { code: 'InternalServerError', message: String(err) } },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    origin,
    caFile,
    tls,
    requests,
    tokenPolicy,
    on(method, pathAndQuery, ...responders) {
      const url = new URL(pathAndQuery, 'https://placeholder');
      routes.unshift({
        method: method.toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        responders,
        calls: 0,
      });
    },
    refuseIssuedTokens() {
      for (const token of issued) refused.add(token);
    },
    apiRequests: () => requests.filter((r) => !isAuthorityPath(r.path)),
    tokensIssued: () => issued.size,
    reset(next = {}) {
      routes.length = 0;
      requests.length = 0;
      issued.clear();
      refused.clear();
      for (const key of Object.keys(tokenPolicy))
        delete (tokenPolicy as unknown as Record<string, unknown>)[key];
      Object.assign(tokenPolicy, defaults, policy, next);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function record(req: IncomingMessage, origin: string): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', origin);
  const auth = req.headers.authorization;
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    url: url.toString(),
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
    ...(auth?.startsWith('Bearer ') ? { token: auth.slice(7) } : {}),
  };
}

function respond(routes: Route[], req: RecordedRequest): ScriptedResponse {
  const candidates = routes.filter(
    (r) => r.method === req.method && r.path === req.path && queryMatches(r.query, req.query),
  );
  candidates.sort((a, b) => [...b.query.keys()].length - [...a.query.keys()].length);
  const route = candidates[0];
  if (!route)
    return {
      status: 404,
      body: {
        error: {
          code: 'ResourceNotFound',
          message: `Resource ${req.path} was not found`,
          target: 'test',
        },
      },
    };
  const responder = route.responders[Math.min(route.calls, route.responders.length - 1)];
  route.calls += 1;
  if (responder === undefined) return { status: 500 };
  return typeof responder === 'function' ? responder(req) : responder;
}

function queryMatches(wanted: URLSearchParams, got: URLSearchParams): boolean {
  for (const [key, value] of wanted) if (got.get(key) !== value) return false;
  return true;
}

function isAuthorityPath(path: string): boolean {
  return /\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token|oauth2\/token)$/.test(
    path,
  );
}

function authorityResponse(
  req: RecordedRequest,
  origin: string,
  policy: TokenPolicy,
  issued: Set<string>,
): ScriptedResponse | undefined {
  const tenant = req.path.split('/')[1] ?? 'common';
  if (req.method === 'GET' && req.path.endsWith('/v2.0/.well-known/openid-configuration')) {
    return { body: openIdMetadata(origin, tenant) };
  }
  if (req.method !== 'POST' || !req.path.endsWith('/oauth2/v2.0/token')) return undefined;
  const form = new URLSearchParams(req.body);
  const secret = form.get('client_secret');
  if (policy.clientSecret !== undefined && secret !== null && secret !== policy.clientSecret) {
    return {
      status: 401,
      body: {
        error: 'invalid_client',
        error_description:
          'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2024-01-01 00:00:00Z',
        error_codes: [7000215],
      },
    };
  }
  const resource = (form.get('scope') ?? '').replace(/\/\.default$/, '');
  const isGraph = resource.includes('graph');
  const token = fakeJwt({
    aud: policy.audience ?? resource,
    roles: isGraph ? policy.graphRoles : policy.roles,
    tid: tenant,
    appid: form.get('client_id'),
    n: issued.size,
  });
  issued.add(token);
  return {
    body: {
      token_type: 'Bearer',
      expires_in: policy.expiresInSeconds,
      ext_expires_in: policy.expiresInSeconds,
      access_token: token,
    },
  };
}

function openIdMetadata(origin: string, tenant: string): Record<string, unknown> {
  const base = `${origin}/${tenant}`;
  return {
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
  };
}

/** An unsigned JWT-shaped token: clients decode it, the test server only compares it. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part({ iat: now, nbf: now, exp: now + 3600, ...claims })}.c2lnbmF0dXJl`;
}

function send(res: ServerResponse, response: ScriptedResponse): void {
  const isText = typeof response.body === 'string';
  let body: Buffer = Buffer.from(
    response.body === undefined
      ? ''
      : isText
        ? (response.body as string)
        : JSON.stringify(response.body),
  );
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    ...response.headers,
  };
  if (response.encoding === 'gzip') body = gzipSync(body);
  if (response.encoding === 'deflate') body = deflateSync(body);
  if (response.encoding === 'deflate-raw') body = deflateRawSync(body);
  if (response.encoding !== undefined)
    headers['content-encoding'] = response.encoding === 'gzip' ? 'gzip' : 'deflate';
  res.writeHead(response.status ?? 200, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}
