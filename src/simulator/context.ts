/**
 * What every route handler can reach: the tenant, the clocks, the token issuer, the known
 * applications, quotas and paging settings. Built once by `startSimulator`.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../log.ts';
import type { SimApplication } from './auth/applications.ts';
import type { TokenIssuer } from './auth/tokens.ts';
import type { QuotaTracker } from './quotas.ts';
import type { Tenant } from './tenant/tenant.ts';

export interface SimContext {
  /** `https://127.0.0.1:PORT`, known once the server listens. */
  baseUrl: string;
  tenant: Tenant;
  tenantId: string;
  /** The verified domain accepted in place of the tenant id. */
  tenantDomain: string;
  apps: Map<string, SimApplication>;
  tokens: TokenIssuer;
  certificatePem: string;
  tokenLifetimeSeconds: number;
  /** Wall clock plus every simulated advance: token times. */
  authNowMs(): number;
  /** The simulated clock: tenant data and `ago()` in hunting queries. */
  simNowMs(): number;
  quotas: QuotaTracker | undefined;
  /** Rows per page when a listing has no `$top` (10,000 on the real service). */
  pageSize: number;
  /** Field fault Q2: every next link repeats the first one. */
  repeatingNextLink: boolean;
  logger: Logger;
}

/** A request as the routes see it: path without the optional `/api/v1.0` version segment. */
export interface SimRequest {
  method: string;
  /** Normalised path, e.g. `/api/machines/abc/logonusers`. */
  path: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}
