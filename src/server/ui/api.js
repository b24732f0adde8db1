// Talks to the JSON API. The API token lives in sessionStorage (this tab only) and is sent as a
// bearer header on changes; it is never put in a cookie, the URL or the page.
const TOKEN_KEY = 'mde-car-token';

/** An API error with the server's code, message and per-field problems. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `request failed with status ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? 'UNKNOWN';
    this.fields =
      body?.error?.fields ??
      (body?.error?.field ? [{ field: body.error.field, message: body.error.message }] : []);
  }
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Takes a token from a one-time sign-in link (#token=...) and removes it from the address bar. */
export function takeTokenFromLocation() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return false;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}#connections`);
  return true;
}

/** Sends a request; JSON in and out. Throws ApiError for a non-2xx answer. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
