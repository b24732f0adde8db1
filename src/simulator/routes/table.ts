/**
 * The route table: which paths exist, which API and quota family each belongs to, and which
 * roles it needs (mde-api.md §2). Matching is case-insensitive like the service's routing.
 */
import type { ApiKind } from '../auth/guard.ts';
import type { SimContext, SimRequest } from '../context.ts';
import type { SimResponse } from '../http/respond.ts';
import type { QuotaFamily } from '../quotas.ts';

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  api: ApiKind;
  /** Quota family; undefined when the endpoint has no published quota. */
  family: QuotaFamily | undefined;
  /** Family name in `stats()`. */
  statsFamily: string;
  roles: readonly string[];
  handle(ctx: SimContext, req: SimRequest, params: string[]): SimResponse;
}

export const MACHINE_ROLES = ['Machine.Read.All', 'Machine.ReadWrite.All'];
export const ALERT_ROLES = ['Alert.Read.All', 'Alert.ReadWrite.All'];
export const USER_ROLES = ['User.Read.All'];
export const VULNERABILITY_ROLES = ['Vulnerability.Read.All'];
export const SOFTWARE_ROLES = ['Software.Read.All'];
export const HUNTING_ROLES = ['AdvancedQuery.Read.All'];
export const GRAPH_USER_ROLES = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

/** The first route whose method and pattern match, with its captured path segments. */
export function findRoute(
  routes: readonly Route[],
  req: SimRequest,
): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== req.method && !(route.method === 'GET' && req.method === 'HEAD')) continue;
    const m = route.pattern.exec(req.path);
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p ?? '')) };
  }
  return undefined;
}
