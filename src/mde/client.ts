/**
 * The Defender, Entra and Graph client (DESIGN.md §4): `createDefenderClient` implements
 * `DefenderApi` (./api.ts) over one HTTP transport, one token source and one quota pacer.
 * It logs through the given logger only and never writes to the console.
 */
import { allowedApiHosts } from '../config/clouds.ts';
import { MAX_PAGE_SIZE } from '../config/defaults.ts';
import type { DefenderConfiguration, HttpConfig } from '../config/types.ts';
import { hasCode, type ConnectorError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { alertFilter, withAlertCursor } from './alerts.ts';
import type { DefenderApi, ListAlertsOptions, ListMachinesOptions, PageCursor } from './api.ts';
import { createTransport } from './http.ts';
import { parseHuntingResult } from './hunting.ts';
import { decodeJwtClaims, rolesOf, type TokenClaims } from './jwt.ts';
import { walkPages, withQuery } from './paging.ts';
import { QuotaPacer } from './quota.ts';
import { backoffMs, Requester } from './requester.ts';
import { StatsRecorder } from './stats.ts';
import { TokenSource } from './token.ts';
import type { Alert, GraphUser, LogonUser, Machine, MachineVulnerability } from './types.ts';

export interface DefenderClientOptions {
  configuration: DefenderConfiguration;
  http: HttpConfig;
  /** Proxy URL (the connection's edge gateway). */
  edgeGateway?: string;
  logger: Logger;
  /** Injected in tests so waits are recorded instead of slept. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  random?: () => number;
}

/** `DefenderApi` plus what the connection check needs. */
export interface DefenderClient extends DefenderApi {
  /** Claims of the current Defender API token (decoded, not verified). */
  tokenClaims(): Promise<TokenClaims | undefined>;
  /** Application roles in the Graph token; throws when no Graph token can be had. */
  grantedGraphRoles(): Promise<string[]>;
}

/** Fields asked of Graph users: the defaults plus those that join to Defender accounts. */
const GRAPH_USER_FIELDS = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'jobTitle',
  'mail',
  'userPrincipalName',
  'accountEnabled',
  'department',
  'employeeId',
  'onPremisesSamAccountName',
  'onPremisesDomainName',
  'onPremisesSecurityIdentifier',
];
const GRAPH_MAX_PAGE_SIZE = 999;

/** Creates a client for one configuration; call `close()` when done. */
export function createDefenderClient(options: DefenderClientOptions): DefenderClient {
  const { configuration, http } = options;
  const endpoints = configuration.endpoints;
  const logger = options.logger.child({ component: 'mde', configuration: configuration.name });
  const now = options.now ?? (() => new Date());
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;

  const stats = new StatsRecorder();
  const transport = createTransport(http, options.edgeGateway);
  const tokens = new TokenSource({
    configuration,
    transport,
    now,
    onTokenCall: (bytes) => stats.add('token', { calls: 1, bytesReceived: bytes }),
  });
  const requester = new Requester({
    transport,
    tokens,
    pacer: new QuotaPacer(),
    stats,
    http,
    logger,
    sleep,
    now,
    random,
  });
  const apiHosts = allowedApiHosts(endpoints);
  const api = (path: string): string => `${endpoints.apiUrl}${path}`;
  const forbiddenLogonUsers: { error?: ConnectorError } = {};

  const listing = <T extends { id?: string | null }>(
    family: 'machines' | 'alerts' | 'vulnerabilities',
    path: string,
    params: (timeFloor: string | undefined) => Record<string, string | undefined>,
    pageSize: number,
    resume: PageCursor | undefined,
    restartFrom?: (item: T) => string | undefined,
  ) =>
    walkPages<T>({
      requester,
      stats,
      logger,
      family,
      scope: endpoints.apiScope,
      pageSize,
      pagesBySkip: true,
      allowedHosts: apiHosts,
      idOf: (item) => item.id ?? undefined,
      urlFor: (skip, timeFloor) =>
        withQuery(api(path), { ...params(timeFloor), $top: pageSize, $skip: skip }),
      ...(resume === undefined ? {} : { resume }),
      ...(restartFrom === undefined ? {} : { restartFrom }),
    });

  return {
    async grantedRoles() {
      return rolesOf(decodeJwtClaims(await tokens.get(endpoints.apiScope)));
    },

    async tokenClaims() {
      return decodeJwtClaims(await tokens.get(endpoints.apiScope));
    },

    async grantedGraphRoles() {
      return rolesOf(decodeJwtClaims(await tokens.get(endpoints.graphScope)));
    },

    listMachines(opts: ListMachinesOptions = {}) {
      return listing<Machine>(
        'machines',
        '/api/machines',
        () => ({ $filter: opts.filter }),
        pageSizeOf(opts.pageSize),
        opts.resume,
      );
    },

    listAlerts(opts: ListAlertsOptions = {}) {
      const params = (timeFloor: string | undefined) => ({
        $expand: 'evidence',
        $orderby: opts.newestFirst === true ? 'lastUpdateTime desc' : 'lastUpdateTime asc',
        $filter: alertFilter(opts.statuses, timeFloor ?? opts.since?.time),
      });
      // The B29 restart moves a `ge` floor forward, which only fits the ascending order.
      const restartFrom =
        opts.newestFirst === true ? undefined : (alert: Alert) => alert.lastUpdateTime ?? undefined;
      const pages = listing<Alert>(
        'alerts',
        '/api/alerts',
        params,
        pageSizeOf(opts.pageSize),
        opts.resume,
        restartFrom,
      );
      return withAlertCursor(pages, opts);
    },

    async runHuntingQuery(query: string) {
      const url = api('/api/advancedqueries/run');
      return requester.call({
        family: 'hunting',
        method: 'POST',
        url,
        scope: endpoints.apiScope,
        body: JSON.stringify({ Query: query }),
        parse: parseHuntingResult,
      });
    },

    async listLogonUsers(machineId: string) {
      if (forbiddenLogonUsers.error) throw forbiddenLogonUsers.error;
      const url = api(`/api/machines/${encodeURIComponent(machineId)}/logonusers`);
      const call = () =>
        requester.call({
          family: 'logonusers',
          method: 'GET',
          url,
          scope: endpoints.apiScope,
          parse: parseValue<LogonUser>,
        });
      try {
        return await call();
      } catch (err) {
        if (hasCode(err, 'MDE_FORBIDDEN')) forbiddenLogonUsers.error = err;
        if (!hasCode(err, 'MDE_NOT_FOUND')) throw err;
      }
      // A 404 for a machine just listed is often transient (mde-api.md Q15, field fault B28).
      await sleep(backoffMs(1, random));
      try {
        return await call();
      } catch (err) {
        if (!hasCode(err, 'MDE_NOT_FOUND')) throw err;
        logger.info({ machineId }, 'logged-on users not found twice, skipped');
        return undefined;
      }
    },

    listMachineVulnerabilities(opts: { pageSize?: number; resume?: PageCursor } = {}) {
      return listing<MachineVulnerability>(
        'vulnerabilities',
        '/api/vulnerabilities/machinesVulnerabilities',
        () => ({}),
        pageSizeOf(opts.pageSize),
        opts.resume,
      );
    },

    listGraphUsers(opts: { pageSize?: number } = {}) {
      const top = Math.min(GRAPH_MAX_PAGE_SIZE, Math.max(1, opts.pageSize ?? GRAPH_MAX_PAGE_SIZE));
      return walkPages<GraphUser>({
        requester,
        stats,
        logger,
        family: 'graph',
        scope: endpoints.graphScope,
        pageSize: top,
        pagesBySkip: false,
        allowedHosts: [new URL(endpoints.graphUrl).host],
        idOf: (user) => user.id,
        urlFor: () =>
          withQuery(`${endpoints.graphUrl}/v1.0/users`, {
            $top: top,
            $select: GRAPH_USER_FIELDS.join(','),
          }),
      });
    },

    stats() {
      const snapshot = stats.snapshot();
      return { ...snapshot, tokenRefreshes: Math.max(snapshot.tokenRefreshes, tokens.refreshes) };
    },

    async close() {
      await transport.close();
    },
  };
}

function pageSizeOf(requested: number | undefined): number {
  if (requested === undefined) return MAX_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(requested)));
}

function parseValue<T>(text: string): T[] {
  const parsed = JSON.parse(text) as { value?: unknown };
  if (!Array.isArray(parsed.value)) throw new TypeError('no "value" array');
  return parsed.value as T[];
}
