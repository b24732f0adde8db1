/**
 * The HTTP transport of the Defender client: one undici dispatcher with keep-alive, connect,
 * header and body timeouts, an optional proxy (the edge gateway) and an optional extra CA added
 * to the system roots. TLS verification is always on; there is no option to turn it off.
 * Bodies are decoded here (gzip, deflate, br), since Defender sends `Content-Encoding: deflate`.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import type { HttpConfig } from '../config/types.ts';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const brotliAsync = promisify(brotliDecompress);

/** Idle sockets are closed after this long; short enough that test processes exit promptly. */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  /** Decoded body text. */
  text: string;
  /** Bytes as received on the wire (before decoding). */
  wireBytes: number;
}

export interface Transport {
  send(req: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

/** Creates the transport; reads `http.caFile` once. */
export function createTransport(http: HttpConfig, edgeGateway?: string): Transport {
  const ca =
    http.caFile === undefined
      ? undefined
      : [...rootCertificates, readFileSync(http.caFile, 'utf8')];
  const tls = { ...(ca ? { ca } : {}), rejectUnauthorized: true, timeout: http.connectTimeoutMs };
  const common = {
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    headersTimeout: http.headersTimeoutMs,
    bodyTimeout: http.bodyTimeoutMs,
  };
  const dispatcher: Dispatcher =
    edgeGateway === undefined
      ? new Agent({ ...common, connect: tls })
      : new ProxyAgent({ ...common, uri: edgeGateway, requestTls: tls, proxyTls: tls });

  return {
    async send(req) {
      const response = await request(req.url, {
        method: req.method,
        headers: { 'accept-encoding': 'gzip, deflate, br', ...req.headers },
        ...(req.body === undefined ? {} : { body: req.body }),
        dispatcher,
      });
      const raw = Buffer.from(await response.body.arrayBuffer());
      const headers = flattenHeaders(response.headers);
      const decoded = await decode(raw, headers['content-encoding']);
      return {
        status: response.statusCode,
        headers,
        text: decoded.toString('utf8'),
        wireBytes: raw.length,
      };
    },
    async close() {
      await dispatcher.close();
    },
  };
}

async function decode(raw: Buffer, encoding: string | undefined): Promise<Buffer> {
  const kind = encoding?.trim().toLowerCase();
  if (raw.length === 0 || kind === undefined || kind === '' || kind === 'identity') return raw;
  if (kind === 'gzip' || kind === 'x-gzip') return gunzipAsync(raw);
  if (kind === 'br') return brotliAsync(raw);
  if (kind === 'deflate') {
    // RFC 9110 deflate is zlib-wrapped, but some servers send a raw stream; accept both.
    try {
      return await inflateAsync(raw);
    } catch {
      return inflateRawAsync(raw);
    }
  }
  throw new TypeError(`unsupported content-encoding ${kind}`);
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
