/**
 * Readers of the non-connection sections of the configuration (http, sync, target, log),
 * applying the defaults of ./defaults.ts. Used by ./validate.ts.
 */
import type {
  AppConfig,
  CarConfig,
  HttpConfig,
  SyncConfig,
  TargetConfig,
  TargetKind,
} from './types.ts';
import { DEFAULTS, MAX_PAGE_SIZE } from './defaults.ts';
import { FieldReader, join, type RawObject } from './fields.ts';

const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'silent'] as const;
const TARGET_KINDS: readonly TargetKind[] = ['embedded', 'car', 'files'];

/** The `http` section: timeouts, CA file, throttling ceiling and retry budget. */
export function readHttp(r: FieldReader, obj: RawObject): HttpConfig {
  const key = 'http';
  r.knownKeys(
    obj,
    [
      'connectTimeoutMs',
      'headersTimeoutMs',
      'bodyTimeoutMs',
      'caFile',
      'maxRetryWaitSeconds',
      'retryBudget',
    ],
    key,
  );
  const caFile = r.string(obj, 'caFile', key);
  return {
    connectTimeoutMs: r.integer(obj, 'connectTimeoutMs', key, DEFAULTS.http.connectTimeoutMs, 1),
    headersTimeoutMs: r.integer(obj, 'headersTimeoutMs', key, DEFAULTS.http.headersTimeoutMs, 1),
    bodyTimeoutMs: r.integer(obj, 'bodyTimeoutMs', key, DEFAULTS.http.bodyTimeoutMs, 1),
    ...(caFile === undefined ? {} : { caFile }),
    maxRetryWaitSeconds: r.integer(
      obj,
      'maxRetryWaitSeconds',
      key,
      DEFAULTS.http.maxRetryWaitSeconds,
      0,
    ),
    retryBudget: r.integer(obj, 'retryBudget', key, DEFAULTS.http.retryBudget, 0),
  };
}

/** The `sync` section: paging, overlap, lifecycle graces and include switches. */
export function readSync(r: FieldReader, obj: RawObject): SyncConfig {
  const key = 'sync';
  const d = DEFAULTS.sync;
  r.knownKeys(obj, [...Object.keys(d), 'forceFull'], key);
  const forceFull = r.boolean(obj, 'forceFull', key, false);
  return {
    pageSize: r.integer(obj, 'pageSize', key, d.pageSize, 1, MAX_PAGE_SIZE),
    overlapHours: r.integer(obj, 'overlapHours', key, d.overlapHours, 0),
    fullReconcileHours: r.integer(obj, 'fullReconcileHours', key, d.fullReconcileHours, 1),
    inactiveGraceDays: r.integer(obj, 'inactiveGraceDays', key, d.inactiveGraceDays, 0),
    missingGraceRuns: r.integer(obj, 'missingGraceRuns', key, d.missingGraceRuns, 1),
    includeUnmanaged: r.boolean(obj, 'includeUnmanaged', key, d.includeUnmanaged),
    includeAlerts: r.boolean(obj, 'includeAlerts', key, d.includeAlerts),
    includeVulnerabilities: r.boolean(obj, 'includeVulnerabilities', key, d.includeVulnerabilities),
    includeUsers: r.boolean(obj, 'includeUsers', key, d.includeUsers),
    huntingMaxRows: r.integer(obj, 'huntingMaxRows', key, d.huntingMaxRows, 1, 100_000),
    ...(forceFull ? { forceFull } : {}),
  };
}

/** The `target` section, with the CAR credentials required when the kind is `car`. */
export function readTarget(r: FieldReader, obj: RawObject): TargetConfig {
  const key = 'target';
  r.knownKeys(obj, ['kind', 'dbPath', 'car', 'outDir'], key);
  const kind = r.oneOf(obj, 'kind', key, TARGET_KINDS, DEFAULTS.target.kind);
  const outDir = r.string(obj, 'outDir', key);
  if (kind === 'files' && outDir === undefined) r.fail(join(key, 'outDir'), undefined, '');
  return {
    kind,
    dbPath: r.string(obj, 'dbPath', key) ?? DEFAULTS.target.dbPath,
    car: readCar(r, r.object(obj.car, 'target.car') ?? {}, kind === 'car'),
    ...(outDir === undefined ? {} : { outDir }),
  };
}

function readCar(r: FieldReader, obj: RawObject, isTarget: boolean): CarConfig {
  const key = 'target.car';
  r.knownKeys(
    obj,
    ['url', 'key', 'password', 'token', 'urlForToken', 'pageSize', 'timeoutMs'],
    key,
  );
  const url = r.url(obj, 'url', key, ['https', 'http']);
  const carKey = r.string(obj, 'key', key);
  const password = r.string(obj, 'password', key, { secret: true });
  const token = r.string(obj, 'token', key, { secret: true });
  const urlForToken = r.url(obj, 'urlForToken', key, ['https', 'http']);
  if (isTarget && url === undefined && obj.url === undefined)
    r.fail(join(key, 'url'), undefined, '');
  if (isTarget && token === undefined && (carKey === undefined || password === undefined)) {
    r.fail(join(key, carKey === undefined ? 'key' : 'password'), undefined, '');
  }
  return {
    ...(url === undefined ? {} : { url }),
    ...(carKey === undefined ? {} : { key: carKey }),
    ...(password === undefined ? {} : { password }),
    ...(token === undefined ? {} : { token }),
    ...(urlForToken === undefined ? {} : { urlForToken }),
    pageSize: r.integer(obj, 'pageSize', key, DEFAULTS.target.car.pageSize, 1, 2_000),
    timeoutMs: r.integer(obj, 'timeoutMs', key, DEFAULTS.target.car.timeoutMs, 1),
  };
}

/** The `log` section. */
export function readLog(r: FieldReader, obj: RawObject): AppConfig['log'] {
  r.knownKeys(obj, ['level'], 'log');
  return { level: r.oneOf(obj, 'level', 'log', LOG_LEVELS, DEFAULTS.log.level) };
}
