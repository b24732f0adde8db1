/** Reading the parts of an error response the client decides on (mde-api.md §3.2, §2.9). */

/** `error.code` and `error.message` of a Defender or Graph error body, when present. */
export function errorBodyOf(text: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } | string };
    const error = parsed.error;
    if (error === undefined || error === null) return {};
    if (typeof error === 'string') return { code: error };
    const code =
      typeof error.code === 'string' || typeof error.code === 'number'
        ? String(error.code)
        : undefined;
    const message = typeof error.message === 'string' ? truncate(error.message, 300) : undefined;
    return {
      ...(code === undefined ? {} : { code }),
      ...(message === undefined ? {} : { message }),
    };
  } catch {
    return {};
  }
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or bad. */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** "token audience X, expected Y; roles: …" for a 403 (field fault B10). */
export function describeForbidden(
  audience: string | undefined,
  expected: string,
  roles: string[],
): string {
  const rolesText = roles.length > 0 ? roles.join(', ') : 'none';
  const audienceText =
    audience === undefined ? 'token audience unknown' : `token audience ${audience}`;
  const advice =
    audience !== undefined && audience.replace(/\/$/, '') !== expected.replace(/\/$/, '')
      ? 'request the token for the API resource (check apiScope and the cloud profile)'
      : 'grant the missing application permission and give admin consent';
  return `${audienceText}, expected ${expected}; roles: ${rolesText}; ${advice}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
