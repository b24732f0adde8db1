/**
 * The shape of the connector's configuration after loading, validation and defaults
 * (src/config/load.ts). The JSON config file (`--config FILE`) has the same shape with every
 * field but the credentials optional. Units are in the names.
 */

export type CloudName = 'commercial' | 'gcc' | 'gcc-high' | 'dod' | 'custom';

/** Login host, API host and token scopes, fixed together by the cloud profile (DESIGN.md §4). */
export interface CloudEndpoints {
  cloud: CloudName;
  /** Origin of the Entra ID authority, e.g. `https://login.microsoftonline.com`. */
  loginUrl: string;
  /** Origin of the Defender API, e.g. `https://api.securitycenter.microsoft.com`. */
  apiUrl: string;
  /** Scope asked for Defender tokens, e.g. `https://api.securitycenter.microsoft.com/.default`. */
  apiScope: string;
  /** Origin of Microsoft Graph. */
  graphUrl: string;
  graphScope: string;
}

/**
 * One configuration of a connection (DESIGN.md §2): one Entra application in one tenant.
 * Exactly one of `clientSecret` or `certificatePath` is set.
 */
export interface DefenderConfiguration {
  name: string;
  description: string;
  subscriptionId?: string;
  tenantId: string;
  clientId: string;
  /** Secret. */
  clientSecret?: string;
  /** PEM file holding the certificate and its private key. */
  certificatePath?: string;
  /** Secret. */
  certificatePassword?: string;
  /** `commercial` (default), `gcc`, `gcc-high`, `dod` or `custom`; with `region` for commercial. */
  cloud: CloudName;
  region?: 'us' | 'eu' | 'uk' | 'au' | 'swa';
  /** Resolved from the profile; given explicitly for `custom`. */
  endpoints: CloudEndpoints;
}

export interface ConnectionConfig {
  /** Letters, digits, `-`, `.`, `_` only; also the CAR source key. */
  name: string;
  description: string;
  frequencyMinutes: number;
  /** Port of the API host (default 443). */
  hostPort: number;
  /** Optional proxy URL (the "edge gateway"). */
  edgeGateway?: string;
  configurations: DefenderConfiguration[];
}

export interface HttpConfig {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Extra PEM CA bundle trusted in addition to the system store (e.g. the simulator's). */
  caFile?: string;
  /** Longest single throttling wait; a longer `Retry-After` defers the run (B05). */
  maxRetryWaitSeconds: number;
  /** Retries for 5xx, timeouts and 429s across one run. */
  retryBudget: number;
}

export interface SyncConfig {
  /** `$top` for machines and alerts; default and maximum 10,000. */
  pageSize: number;
  /** Look-back subtracted from the machine checkpoint (B20). */
  overlapHours: number;
  /** A full import is forced when the last one is older than this. */
  fullReconcileHours: number;
  inactiveGraceDays: number;
  missingGraceRuns: number;
  /** Keep devices that are not onboarded (marked as without EDR) (B19). */
  includeUnmanaged: boolean;
  includeAlerts: boolean;
  includeVulnerabilities: boolean;
  includeUsers: boolean;
  /** Rows one advanced-hunting answer may hold before the sync splits the query further. */
  huntingMaxRows: number;
  /** Force a full import on this run (flag `--full`). */
  forceFull?: boolean;
}

export type TargetKind = 'embedded' | 'car' | 'files';

export interface CarConfig {
  /** Base URL ending in `/api/car/v2` (car-service.md §1.1). */
  url?: string;
  key?: string;
  /** Secret. */
  password?: string;
  /** Secret. */
  token?: string;
  urlForToken?: string;
  /** Records per `POST /imports` call, at most 2,000. */
  pageSize: number;
  timeoutMs: number;
}

export interface TargetConfig {
  kind: TargetKind;
  /** The embedded store (also the ledger of the CAR target). */
  dbPath: string;
  car: CarConfig;
  /** Folder for `files`. */
  outDir?: string;
}

export interface AppConfig {
  connection: ConnectionConfig;
  http: HttpConfig;
  sync: SyncConfig;
  target: TargetConfig;
  log: { level: 'error' | 'warn' | 'info' | 'debug' | 'silent' };
}
