/**
 * Cloud profiles: one setting fixes the login host, the Defender API host and the token scopes
 * together (DESIGN.md §4; hosts from mde-api.md §1.4). `custom` takes all three explicitly and
 * is what the simulator writes.
 */
import type { CloudEndpoints, CloudName } from './types.ts';

export type CommercialRegion = 'us' | 'eu' | 'uk' | 'au' | 'swa';

export const CLOUD_NAMES: readonly CloudName[] = ['commercial', 'gcc', 'gcc-high', 'dod', 'custom'];
export const REGIONS: readonly CommercialRegion[] = ['us', 'eu', 'uk', 'au', 'swa'];

// The commercial token audience stays the same whichever API host is called (mde-api.md Q20).
const COMMERCIAL_API_SCOPE = 'https://api.securitycenter.microsoft.com/.default';

const PROFILES: Record<Exclude<CloudName, 'custom'>, Omit<CloudEndpoints, 'cloud'>> = {
  commercial: {
    loginUrl: 'https://login.microsoftonline.com',
    apiUrl: 'https://api.securitycenter.microsoft.com',
    apiScope: COMMERCIAL_API_SCOPE,
    graphUrl: 'https://graph.microsoft.com',
    graphScope: 'https://graph.microsoft.com/.default',
  },
  gcc: {
    loginUrl: 'https://login.microsoftonline.com',
    apiUrl: 'https://api-gcc.securitycenter.microsoft.us',
    apiScope: 'https://api-gcc.securitycenter.microsoft.us/.default',
    graphUrl: 'https://graph.microsoft.com',
    graphScope: 'https://graph.microsoft.com/.default',
  },
  // Limitation: the gov token audience is not clearly documented (mde-api.md §1.4); the API
  // host is used as the scope, which public scripts use. Use `custom` to set another scope.
  'gcc-high': {
    loginUrl: 'https://login.microsoftonline.us',
    apiUrl: 'https://api-gov.securitycenter.microsoft.us',
    apiScope: 'https://api-gov.securitycenter.microsoft.us/.default',
    graphUrl: 'https://graph.microsoft.us',
    graphScope: 'https://graph.microsoft.us/.default',
  },
  dod: {
    loginUrl: 'https://login.microsoftonline.us',
    apiUrl: 'https://api-gov.securitycenter.microsoft.us',
    apiScope: 'https://api-gov.securitycenter.microsoft.us/.default',
    graphUrl: 'https://dod-graph.microsoft.us',
    graphScope: 'https://dod-graph.microsoft.us/.default',
  },
};

/** Hosts a Defender `@odata.nextLink` may point at besides the configured API host (Q20). */
const COMMERCIAL_API_HOSTS = [
  'api.securitycenter.microsoft.com',
  'api.security.microsoft.com',
  'api.securitycenter.windows.com',
  ...REGIONS.map((r) => `${r}.api.security.microsoft.com`),
  ...['us', 'eu', 'uk', 'au'].map((r) => `api-${r}.securitycenter.microsoft.com`),
];

/** The endpoints of a named profile (not `custom`); `region` picks a commercial regional host. */
export function profileEndpoints(
  cloud: Exclude<CloudName, 'custom'>,
  region?: CommercialRegion,
): CloudEndpoints {
  const profile = PROFILES[cloud];
  const apiUrl =
    cloud === 'commercial' && region
      ? `https://${region}.api.security.microsoft.com`
      : profile.apiUrl;
  return { cloud, ...profile, apiUrl };
}

/** The default scope for a resource origin: `<origin>/.default`. */
export function defaultScope(origin: string): string {
  return `${origin}/.default`;
}

/**
 * Hosts (`host[:port]`) a next link may point at for these endpoints: the configured API
 * host, and for commercial the other Defender hosts the service hands out.
 */
export function allowedApiHosts(endpoints: CloudEndpoints): string[] {
  const configured = new URL(endpoints.apiUrl).host;
  if (endpoints.cloud !== 'commercial') return [configured];
  return [configured, ...COMMERCIAL_API_HOSTS];
}

/**
 * Cleans a base URL to its origin (field fault B26: `https://host/api/alerts/` would produce
 * doubled paths). Returns the origin and whether anything was removed; throws on a value that
 * is not an absolute https URL.
 */
export function toOrigin(value: string): { origin: string; wasCleaned: boolean } {
  const url = new URL(value);
  if (url.protocol !== 'https:') throw new TypeError('not https');
  if (url.username || url.password) throw new TypeError('carries credentials');
  const wasCleaned = url.pathname !== '/' || url.search !== '' || url.hash !== '';
  return { origin: url.origin, wasCleaned };
}

/** Applies a non-default host port to an origin that names none. */
export function withPort(origin: string, hostPort: number): string {
  const url = new URL(origin);
  if (url.port !== '' || hostPort === 443) return origin;
  url.port = String(hostPort);
  return url.origin;
}
