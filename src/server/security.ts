/**
 * Request guards and response headers: the API token for changes, Host and Origin checks
 * against DNS rebinding and cross-site requests, and the security headers of every response.
 * Auth uses a bearer header, never a cookie, so a foreign page cannot make the browser attach
 * it; the Origin check adds a second line for requests that come from a browser.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-errors.ts';

/** CSP without 'unsafe-inline': the UI loads only its own files and talks only to its origin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the headers every response carries. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * Rejects a Host header naming a host the server does not answer for, which is what a
 * DNS-rebinding page would send. `allowedHosts` are host names without ports.
 */
export function checkHost(
  req: IncomingMessage,
  allowedHosts: ReadonlySet<string> | undefined,
): void {
  if (allowedHosts === undefined) return;
  const host = hostNameOf(req.headers.host ?? '');
  if (!allowedHosts.has(host)) {
    throw new HttpError(
      421,
      'INPUT_INVALID',
      `this server does not answer for host ${JSON.stringify(host)}; use the address it printed at start`,
    );
  }
}

/** Changes from a browser must come from this origin (CSRF); non-browser clients send no Origin. */
export function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw new HttpError(403, 'UNAUTHORIZED', 'cross-site requests may not change anything here');
  }
  if (origin === undefined) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new HttpError(
      403,
      'UNAUTHORIZED',
      "the Origin header is not a URL; changes must come from this server's own page",
    );
  }
  if (originHost !== req.headers.host) {
    throw new HttpError(
      403,
      'UNAUTHORIZED',
      `changes from origin ${origin} are refused; use this server's own page`,
    );
  }
}

/** Checks `Authorization: Bearer <token>` in constant time. */
export function checkToken(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1] || !sameSecret(match[1], token)) {
    throw new HttpError(
      401,
      'UNAUTHORIZED',
      'this change needs the API token: send Authorization: Bearer <token> (the token is in <dataDir>/api-token)',
      {
        'WWW-Authenticate': 'Bearer realm="mde-car"',
      },
    );
  }
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never throws or leaks the length.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function hostNameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  return host.split(':')[0]?.toLowerCase() ?? '';
}

/**
 * The host names a server bound to `bindHost` answers for; undefined means any.
 * Limitation: bound to a wildcard address the server cannot know its public names, so the Host
 * check is off unless `extra` names them; the token still guards every change.
 */
export function allowedHostsFor(bindHost: string, extra: string[] = []): Set<string> | undefined {
  if ((bindHost === '0.0.0.0' || bindHost === '::') && extra.length === 0) return undefined;
  const hosts = new Set(['127.0.0.1', 'localhost', '[::1]', ...extra.map((h) => h.toLowerCase())]);
  if (bindHost !== '0.0.0.0' && bindHost !== '::')
    hosts.add(bindHost.includes(':') ? `[${bindHost}]` : bindHost);
  return hosts;
}
