/**
 * Writing responses the way the Defender service does (mde-api.md §1.5): OData content type
 * and `OData-Version` on the REST endpoints, plain JSON on advanced hunting, and a compressed
 * body when the client accepts one, deflate first as the real service prefers it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, deflateSync, gzipSync, type ZlibOptions } from 'node:zlib';

export const ODATA_JSON =
  'application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8';
export const PLAIN_JSON = 'application/json; charset=utf-8';

/** A response before encoding. `body` is JSON text (or any text for scripted faults). */
export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** How a passthrough response is damaged on the way out (scenario faults). */
export interface DeliveryFault {
  /** Send half the body and end the response normally: the client sees invalid JSON. */
  truncate?: boolean;
  /** Send half the body and then drop the connection. */
  disconnect?: boolean;
}

export function odataJson(status: number, payload: unknown): SimResponse {
  return {
    status,
    headers: { 'Content-Type': ODATA_JSON, 'OData-Version': '4.0' },
    body: JSON.stringify(payload),
  };
}

export function plainJson(
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'Content-Type': PLAIN_JSON, ...headers },
    body: JSON.stringify(payload),
  };
}

// The fastest level: pages of 10,000 machines compress about as well, and zlib's default level
// made compression the simulator's largest cost under a full sync.
const COMPRESSION: ZlibOptions = { level: constants.Z_BEST_SPEED };

/** Picks the content coding: deflate when accepted, else gzip, else none. */
export function chooseEncoding(acceptEncoding: string | undefined): 'deflate' | 'gzip' | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || !/^\s*q=0(\.0*)?\s*$/.test(q))
      .map(([name]) => name?.trim().toLowerCase()),
  );
  if (accepted.has('deflate')) return 'deflate';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

export function send(
  req: IncomingMessage,
  res: ServerResponse,
  response: SimResponse,
  fault: DeliveryFault = {},
): void {
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const raw = Buffer.from(response.body, 'utf8');
  const body =
    encoding === 'deflate'
      ? deflateSync(raw, COMPRESSION)
      : encoding === 'gzip'
        ? gzipSync(raw, COMPRESSION)
        : raw;
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  res.setHeader('Vary', 'Accept-Encoding');
  if (encoding) res.setHeader('Content-Encoding', encoding);

  if (fault.truncate || fault.disconnect) {
    // Chunked transfer, so the client cannot tell from a length header that the body is short.
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    if (fault.disconnect) res.socket?.destroy();
    else res.end();
    return;
  }
  // The service streams its answers (`Transfer-Encoding: chunked`, response-headers-mde.json).
  if (req.method !== 'HEAD' && body.length > 0) res.write(body);
  res.end();
}
