/**
 * Error bodies in the three dialects the simulator speaks: Defender
 * (`{"error":{"code","message","target"}}`, mde-api.md §3.2), Entra ID STS (§1.3) and Graph
 * (§2.9). The correlation ids are fresh per response, like the real services'.
 */
import { randomUUID } from 'node:crypto';
import { formatEntraTimestamp } from '../time-text.ts';
import { odataJson, plainJson, type SimResponse } from './respond.ts';

export function mdeError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  const response = odataJson(status, { error: { code, message, target: randomUUID() } });
  Object.assign(response.headers, headers);
  return response;
}

/** Plain-JSON variant used by the advanced-hunting endpoint. */
export function huntingError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  return plainJson(status, { error: { code, message, target: randomUUID() } }, headers);
}

export function graphError(
  status: number,
  code: string,
  message: string,
  nowMs: number,
): SimResponse {
  const requestId = randomUUID();
  return plainJson(status, {
    error: {
      code,
      message,
      innerError: {
        date: new Date(nowMs).toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': requestId,
      },
    },
  });
}

/** An Entra STS error: `AADSTSnnnn: text` plus the trace lines, with status and `error_codes`. */
export function entraError(
  status: number,
  error: string,
  aadCode: number,
  text: string,
  nowMs: number,
): SimResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = formatEntraTimestamp(nowMs);
  return plainJson(status, {
    error,
    error_description: `AADSTS${aadCode}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [aadCode],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadCode}`,
  });
}
