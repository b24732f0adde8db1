/**
 * Helpers for the simulator's HTTPS tests: an undici Agent that trusts the simulator's CA (TLS
 * verification stays on), token requests, and JSON calls that decode compressed bodies.
 */
import { inflateSync, gunzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../../src/simulator/index.ts';

export interface Harness {
  sim: RunningSimulator;
  agent: Agent;
  close(): Promise<void>;
}

export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const sim = await startSimulator({ machines: 30, seed: 3, ...options });
  const agent = new Agent({ connect: { ca: sim.caCert }, keepAliveTimeout: 1_000 });
  return {
    sim,
    agent,
    close: async () => {
      await agent.close();
      await sim.close();
    },
  };
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export async function call(
  h: Harness,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await request(`${h.sim.url}${path}`, {
    method,
    headers,
    body: options.body,
    dispatcher: h.agent,
  });
  const raw = Buffer.from(await res.body.arrayBuffer());
  const encoding = res.headers['content-encoding'];
  const decoded =
    encoding === 'deflate' ? inflateSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
  const text = decoded.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** A v2 token for `scope` with the default application's secret. */
export async function token(
  h: Harness,
  scope = 'https://api.securitycenter.microsoft.com/.default',
  clientId = h.sim.clientId,
  secret = h.sim.clientSecret,
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
    scope,
  }).toString();
  const res = await call(h, 'POST', `/${h.sim.tenantId}/oauth2/v2.0/token`, {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (res.status !== 200) throw new Error(`token request failed with ${res.status}: ${res.text}`);
  return (res.json as { access_token: string }).access_token;
}

export function form(fields: Record<string, string>): {
  body: string;
  headers: Record<string, string>;
} {
  return {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
