/**
 * Every default of the configuration in one table, units in the names, and the one list of
 * secret fields that redaction (logs, UI) reads.
 */

/** Defaults applied under the config file, environment and flags (docs/configuration.md). */
export const DEFAULTS = {
  connection: {
    name: 'mde',
    description: '',
    frequencyMinutes: 60,
    /** HTTPS port of the Defender API host. */
    hostPort: 443,
  },
  configuration: {
    name: 'default',
    description: '',
    cloud: 'commercial',
  },
  http: {
    connectTimeoutMs: 10_000,
    // Advanced-hunting queries may run 200 s before the first byte (mde-api.md §2.3).
    headersTimeoutMs: 210_000,
    /** Longest silence between two body chunks. */
    bodyTimeoutMs: 120_000,
    // The IBM connector's peers abort above 5 min; a longer wait defers the run (B05).
    maxRetryWaitSeconds: 300,
    retryBudget: 20,
  },
  sync: {
    pageSize: 10_000,
    overlapHours: 24,
    fullReconcileHours: 24,
    inactiveGraceDays: 30,
    missingGraceRuns: 2,
    includeUnmanaged: true,
    includeAlerts: true,
    includeVulnerabilities: true,
    includeUsers: true,
    // Below the 100,000-row cap of one hunting answer, with head-room for growth.
    huntingMaxRows: 90_000,
  },
  target: {
    kind: 'embedded',
    dbPath: './data/mde-car.db',
    car: {
      /** Records per `POST /imports`; the CAR service accepts at most 2,000. */
      pageSize: 2_000,
      timeoutMs: 60_000,
    },
  },
  log: { level: 'info' },
} as const;

/** The largest page the Defender list endpoints accept (`$top`). */
export const MAX_PAGE_SIZE = 10_000;

/**
 * Secret fields by path; `[]` means every element of an array. Redaction and the web UI read
 * this list; no other place decides what is secret.
 */
export const SECRET_FIELDS = [
  'connection.configurations[].clientSecret',
  'connection.configurations[].certificatePassword',
  'target.car.password',
  'target.car.token',
] as const;

/** The last segment of every secret path, for matching one configuration object. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(
  SECRET_FIELDS.map((path) => path.slice(path.lastIndexOf('.') + 1)),
);
