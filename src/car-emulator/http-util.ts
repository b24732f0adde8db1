/**
 * Small HTTP helpers of the CAR emulator: JSON answers in CAR's error shape, request bodies
 * with a size bound, and query parsing that keeps id lists split on their literal commas.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body accepted; 2,000 large records fit well inside it. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** An answer a route returns; the server writes it. */
export interface Reply {
  status: number;
  body: unknown;
  /** Send `body` as it is (a string), not as JSON. */
  raw?: boolean;
}

export function ok(body: unknown): Reply {
  return { status: 200, body };
}

/** CAR's error body: `{"errors":[{"code","message"}],"trace":"<uuid>"}` (car-service.md §1.3). */
export function carError(status: number, code: string, message: string): Reply {
  return { status, body: { errors: [{ code, message }], trace: randomUUID() } };
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  const text = reply.raw === true ? String(reply.body) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': reply.raw === true ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads the body as text; undefined when it is larger than MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Query parameters, each value as raw (still encoded) text. */
export function rawQuery(search: string): Map<string, string> {
  const params = new Map<string, string>();
  const text = search.startsWith('?') ? search.slice(1) : search;
  if (text === '') return params;
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    const name = decodeText(eq < 0 ? pair : pair.slice(0, eq));
    params.set(name, eq < 0 ? '' : pair.slice(eq + 1));
  }
  return params;
}

/** A decoded single query value. */
export function queryValue(params: Map<string, string>, name: string): string | undefined {
  const raw = params.get(name);
  return raw === undefined ? undefined : decodeText(raw);
}

/** A comma-separated id list: split on literal commas first, then each id decoded. */
export function queryList(params: Map<string, string>, name: string): string[] | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map(decodeText)
    .filter((id) => id !== '');
}

/** Decodes percent escapes and `+` as a space, as form encoding does. */
export function decodeText(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
