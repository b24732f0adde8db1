/**
 * Sends @azure/identity's (MSAL's) requests through our transport, so token requests trust the
 * same extra CA and use the same proxy as API calls (DESIGN.md §10). Implements the
 * `HttpClient` shape of @azure/core-rest-pipeline without depending on that package directly.
 */
import type { ClientSecretCredentialOptions } from '@azure/identity';
import type { Transport } from './http.ts';

type HttpClient = NonNullable<ClientSecretCredentialOptions['httpClient']>;
type PipelineRequest = Parameters<HttpClient['sendRequest']>[0];
type PipelineResponse = Awaited<ReturnType<HttpClient['sendRequest']>>;
type HttpHeaders = PipelineResponse['headers'];

export interface IdentityHttpHooks {
  /** Called once per token-endpoint or metadata request, with the bytes received. */
  onResponse?: (wireBytes: number) => void;
  /** Called with a transport failure, so the caller can report a network error, not an auth one. */
  onNetworkError?: (err: unknown) => void;
}

/** An `HttpClient` for @azure/identity that sends through `transport`. */
export function identityHttpClient(
  transport: Transport,
  hooks: IdentityHttpHooks = {},
): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) headers[name] = value;
      const body = typeof request.body === 'string' ? request.body : undefined;
      try {
        const response = await transport.send({
          method: request.method === 'POST' ? 'POST' : 'GET',
          url: request.url,
          headers,
          ...(body === undefined ? {} : { body }),
        });
        hooks.onResponse?.(response.wireBytes);
        return {
          request,
          status: response.status,
          headers: headerBag(response.headers),
          bodyAsText: response.text,
        };
      } catch (err) {
        hooks.onNetworkError?.(err);
        throw err;
      }
    },
  };
}

function headerBag(initial: Record<string, string>): HttpHeaders {
  const map = new Map(Object.entries(initial).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    get: (name) => map.get(name.toLowerCase()),
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => void map.set(name.toLowerCase(), String(value)),
    delete: (name) => void map.delete(name.toLowerCase()),
    toJSON: () => Object.fromEntries(map),
    [Symbol.iterator]: () => map.entries(),
  };
}
