/**
 * The contract between the sync engine and the Defender client: what `sync` may ask of `mde`.
 * The implementation is `createDefenderClient` in ./client.ts; tests may substitute any object
 * that meets this interface, but integration tests drive the real client over HTTPS.
 */
import type {
  Alert,
  EndpointFamily,
  GraphUser,
  HuntingResult,
  LogonUser,
  Machine,
  MachineVulnerability,
} from './types.ts';

/**
 * Where a paged listing stands, serialisable as JSON so a deferred run can resume from it.
 * `nextLink` wins when present; otherwise the next request uses `skip` with the same filter.
 */
export interface PageCursor {
  nextLink?: string;
  skip?: number;
  /**
   * Alerts only: the listing restarted from this `lastUpdateTime` (offset ceiling, field fault
   * B29); the filter becomes `lastUpdateTime ge timeFloor` with `skip` counted from there.
   */
  timeFloor?: string;
}

/** One page of a listing. `cursor` is where the *next* page starts (undefined after the last). */
export interface Page<T> {
  items: T[];
  /** 1-based page number within this listing. */
  pageNumber: number;
  cursor: PageCursor | undefined;
  /** Items dropped from this page because an earlier page of the same listing had their id. */
  duplicatesDropped: number;
}

export interface ListMachinesOptions {
  /** OData filter, e.g. `lastSeen ge 2024-05-01T00:00:00Z`; built by the caller. */
  filter?: string;
  /** Rows per page; default and maximum 10,000 (`$top`). */
  pageSize?: number;
  /** Resume a deferred listing from here. */
  resume?: PageCursor;
}

/**
 * The alert cursor of field fault B07: `lastUpdateTime ge time`, and the ids already written
 * at exactly `time` are skipped. `time` is the original string (up to 7 fractional digits).
 */
export interface AlertCursor {
  time: string;
  idsAtTime: string[];
}

export interface ListAlertsOptions {
  /** Only alerts updated at or after the cursor (incremental). Absent: all alerts. */
  since?: AlertCursor;
  /** Only these statuses, e.g. ['New', 'InProgress'] for a full import. Absent: all. */
  statuses?: string[];
  pageSize?: number;
  resume?: PageCursor;
  /**
   * Newest first (`$orderby=lastUpdateTime desc`): a full import reads one such page to learn
   * the high-water mark of every status before it lists the open alerts.
   */
  newestFirst?: boolean;
}

/** A page of alerts plus the cursor to store once every alert up to here is written. */
export interface AlertPage extends Page<Alert> {
  nextCursor: AlertCursor | undefined;
}

/** Per-run counters kept by the client; the sync copies them into the run summary. */
export interface ClientStats {
  callsByFamily: Partial<Record<EndpointFamily, number>>;
  throttleWaits: number;
  throttleWaitMs: number;
  retries: number;
  bytesReceived: number;
  tokenRefreshes: number;
  /** The same counters per endpoint family (added by the client; optional for substitutes). */
  byFamily?: Partial<Record<EndpointFamily, FamilyStats>>;
  /** Listings stopped because a page repeated (mde-api.md §6 Q2). */
  pagingLoops?: number;
}

/** Counters of one endpoint family. */
export interface FamilyStats {
  calls: number;
  throttleWaits: number;
  throttleWaitMs: number;
  retries: number;
  bytesReceived: number;
  tokenRefreshes: number;
}

/** What the sync engine asks of Defender. Every method throws only `ConnectorError`s. */
export interface DefenderApi {
  /** Application roles granted in the current token (`roles` claim). */
  grantedRoles(): Promise<string[]>;

  /** All machines matching the options, one page at a time (B01, B02: $top + $skip). */
  listMachines(options?: ListMachinesOptions): AsyncIterable<Page<Machine>>;

  /** Alerts with `$expand=evidence`, ordered by `lastUpdateTime` (B07, B25, B29). */
  listAlerts(options?: ListAlertsOptions): AsyncIterable<AlertPage>;

  /** Runs one advanced-hunting query (`POST /api/advancedqueries/run`, body `{"Query"}`). */
  runHuntingQuery(query: string): Promise<HuntingResult>;

  /** Logged-on users of one machine; a 404 resolves to `undefined` (B28), not an error. */
  listLogonUsers(machineId: string): Promise<LogonUser[] | undefined>;

  /** Every (machine, software, CVE) pair: `/api/vulnerabilities/machinesVulnerabilities`. */
  listMachineVulnerabilities(options?: {
    pageSize?: number;
    resume?: PageCursor;
  }): AsyncIterable<Page<MachineVulnerability>>;

  /** Graph `/v1.0/users`, following `@odata.nextLink` (`$top` at most 999). */
  listGraphUsers(options?: { pageSize?: number }): AsyncIterable<Page<GraphUser>>;

  /** Counters since the client was created. */
  stats(): ClientStats;

  /** Closes the HTTP agent. */
  close(): Promise<void>;
}
