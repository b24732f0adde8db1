/**
 * Validation of a merged raw configuration (file, environment and flags already layered) into
 * a typed, defaulted, frozen `AppConfig`. Rules: DESIGN.md §2 (names, UUIDs, frequency, port,
 * edge gateway) and §4 (cloud profiles, base URLs cleaned to their origin: field fault B26).
 */
import { ConfigError } from '../errors.ts';
import type {
  AppConfig,
  CarConfig,
  CloudEndpoints,
  CloudName,
  ConnectionConfig,
  DefenderConfiguration,
  HttpConfig,
  SyncConfig,
  TargetConfig,
  TargetKind,
} from './types.ts';
import { DEFAULTS, MAX_PAGE_SIZE } from './defaults.ts';
import {
  CLOUD_NAMES,
  REGIONS,
  defaultScope,
  profileEndpoints,
  toOrigin,
  withPort,
} from './clouds.ts';
import { FieldReader, join, type HintFor, type RawObject } from './fields.ts';
import { deepFreeze } from './freeze.ts';

export interface ValidationContext {
  /** Where the values came from, named in messages (e.g. `./connector.json`). */
  sourceName?: string;
  /** Environment variable or flag that can also set a key. */
  hintFor?: HintFor;
  /** Receives non-fatal findings such as a cleaned base URL. */
  onWarning?: (fields: Record<string, unknown>, message: string) => void;
}

const CONNECTION_KEYS = [
  'name',
  'description',
  'frequencyMinutes',
  'hostPort',
  'edgeGateway',
  'configurations',
] as const;
const CONFIGURATION_KEYS = [
  'name',
  'description',
  'subscriptionId',
  'tenantId',
  'clientId',
  'clientSecret',
  'certificatePath',
  'certificatePassword',
  'cloud',
  'region',
  'loginUrl',
  'apiUrl',
  'graphUrl',
  'apiScope',
  'graphScope',
] as const;
const URL_KEYS = ['loginUrl', 'apiUrl', 'graphUrl'] as const;
const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'silent'] as const;
const TARGET_KINDS: readonly TargetKind[] = ['embedded', 'car', 'files'];

/** Validates a connection as posted by a user or read from a file; throws `ConfigError`. */
export function validateConnection(
  input: unknown,
  context: ValidationContext = {},
): ConnectionConfig {
  const reader = new FieldReader();
  const connection = readConnection(reader, input, 'connection', context);
  throwIfIssues(reader, context);
  return deepFreeze(connection);
}

/** Validates the whole merged configuration and applies the defaults; throws `ConfigError`. */
export function validateAppConfig(input: unknown, context: ValidationContext = {}): AppConfig {
  const reader = new FieldReader();
  const root = reader.object(input, 'config') ?? {};
  reader.knownKeys(root, ['connection', 'http', 'sync', 'target', 'log'], '');

  const config: AppConfig = {
    connection: readConnection(reader, root.connection, 'connection', context),
    http: readHttp(reader, reader.object(root.http, 'http') ?? {}),
    sync: readSync(reader, reader.object(root.sync, 'sync') ?? {}),
    target: readTarget(reader, reader.object(root.target, 'target') ?? {}),
    log: readLog(reader, reader.object(root.log, 'log') ?? {}),
  };
  throwIfIssues(reader, context);
  return deepFreeze(config);
}

function readConnection(
  r: FieldReader,
  input: unknown,
  key: string,
  context: ValidationContext,
): ConnectionConfig {
  const obj = r.object(input, key) ?? {};
  r.knownKeys(obj, CONNECTION_KEYS, key);
  const hostPort = r.integer(obj, 'hostPort', key, DEFAULTS.connection.hostPort, 1, 65_535);
  const edgeGateway = r.url(obj, 'edgeGateway', key, ['http', 'https']);

  const configurations: DefenderConfiguration[] = [];
  const list = obj.configurations;
  if (!Array.isArray(list) || list.length === 0) {
    r.fail(join(key, 'configurations'), list, 'is not a non-empty array of configurations');
  } else {
    list.forEach((item, index) => {
      const path = `${key}.configurations[${index}]`;
      configurations.push(readConfiguration(r, item, path, hostPort, context));
    });
    reportDuplicateNames(r, configurations, key);
  }

  return {
    name: r.name(obj, 'name', key, DEFAULTS.connection.name),
    description: r.name(obj, 'description', key, DEFAULTS.connection.description, true),
    frequencyMinutes: r.integer(
      obj,
      'frequencyMinutes',
      key,
      DEFAULTS.connection.frequencyMinutes,
      1,
    ),
    hostPort,
    ...(edgeGateway === undefined ? {} : { edgeGateway }),
    configurations,
  };
}

function readConfiguration(
  r: FieldReader,
  input: unknown,
  key: string,
  hostPort: number,
  context: ValidationContext,
): DefenderConfiguration {
  const obj = r.object(input, key) ?? {};
  r.knownKeys(obj, CONFIGURATION_KEYS, key);
  const clientSecret = r.string(obj, 'clientSecret', key, { secret: true });
  const certificatePath = r.string(obj, 'certificatePath', key);
  const certificatePassword = r.string(obj, 'certificatePassword', key, { secret: true });
  if (clientSecret === undefined && certificatePath === undefined) {
    r.fail(join(key, 'clientSecret'), undefined, '');
  }
  if (clientSecret !== undefined && certificatePath !== undefined) {
    r.fail(
      join(key, 'certificatePath'),
      certificatePath,
      'is set together with clientSecret; keep only one of them',
    );
  }
  const subscriptionId = r.string(obj, 'subscriptionId', key);
  if (subscriptionId !== undefined) r.uuid(obj, 'subscriptionId', key);

  const cloudGiven = r.oneOf(obj, 'cloud', key, CLOUD_NAMES);
  const hasUrls = URL_KEYS.some((name) => obj[name] !== undefined);
  const cloud: CloudName = cloudGiven ?? (hasUrls ? 'custom' : DEFAULTS.configuration.cloud);
  const region = r.oneOf(obj, 'region', key, REGIONS);
  if (region !== undefined && cloud !== 'commercial') {
    r.fail(join(key, 'region'), region, `applies only to cloud "commercial", not "${cloud}"`);
  }

  return {
    name: r.name(obj, 'name', key, DEFAULTS.configuration.name),
    description: r.name(obj, 'description', key, DEFAULTS.configuration.description, true),
    ...(subscriptionId === undefined ? {} : { subscriptionId }),
    tenantId: r.uuid(obj, 'tenantId', key),
    clientId: r.uuid(obj, 'clientId', key),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...(certificatePath === undefined ? {} : { certificatePath }),
    ...(certificatePassword === undefined ? {} : { certificatePassword }),
    cloud,
    ...(region === undefined ? {} : { region }),
    endpoints: readEndpoints(r, obj, key, cloud, hostPort, context),
  };
}

function readEndpoints(
  r: FieldReader,
  obj: RawObject,
  key: string,
  cloud: CloudName,
  hostPort: number,
  context: ValidationContext,
): CloudEndpoints {
  if (cloud !== 'custom') {
    for (const name of [...URL_KEYS, 'apiScope', 'graphScope'] as const) {
      if (obj[name] !== undefined)
        r.fail(
          join(key, name),
          obj[name],
          `is given but cloud is "${cloud}"; set cloud to "custom" to give hosts explicitly`,
        );
    }
    const region =
      cloud === 'commercial' ? (obj.region as (typeof REGIONS)[number] | undefined) : undefined;
    const profile = profileEndpoints(cloud, REGIONS.includes(region as never) ? region : undefined);
    return { ...profile, apiUrl: withPort(profile.apiUrl, hostPort) };
  }

  const origin = (name: (typeof URL_KEYS)[number]): string => {
    const value = r.string(obj, name, key, { required: true });
    if (value === undefined) return '';
    try {
      const cleaned = toOrigin(value);
      if (cleaned.wasCleaned) {
        context.onWarning?.(
          { key: join(key, name), value, cleaned: cleaned.origin },
          'base URL path removed',
        );
      }
      return cleaned.origin;
    } catch {
      r.fail(join(key, name), value, 'is not an https URL of the form https://host[:port]');
      return '';
    }
  };
  const loginUrl = origin('loginUrl');
  const apiUrl = withPortSafe(origin('apiUrl'), hostPort);
  const graphUrl = origin('graphUrl');
  return {
    cloud,
    loginUrl,
    apiUrl,
    apiScope: r.string(obj, 'apiScope', key) ?? (apiUrl ? defaultScope(apiUrl) : ''),
    graphUrl,
    graphScope: r.string(obj, 'graphScope', key) ?? (graphUrl ? defaultScope(graphUrl) : ''),
  };
}

function withPortSafe(origin: string, hostPort: number): string {
  return origin === '' ? origin : withPort(origin, hostPort);
}

function reportDuplicateNames(
  r: FieldReader,
  configurations: DefenderConfiguration[],
  key: string,
): void {
  const seen = new Set<string>();
  configurations.forEach((configuration, index) => {
    if (seen.has(configuration.name)) {
      r.fail(
        `${key}.configurations[${index}].name`,
        configuration.name,
        'is used by another configuration of this connection',
      );
    }
    seen.add(configuration.name);
  });
}

function readHttp(r: FieldReader, obj: RawObject): HttpConfig {
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

function readSync(r: FieldReader, obj: RawObject): SyncConfig {
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

function readTarget(r: FieldReader, obj: RawObject): TargetConfig {
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

function readLog(r: FieldReader, obj: RawObject): AppConfig['log'] {
  r.knownKeys(obj, ['level'], 'log');
  return { level: r.oneOf(obj, 'level', 'log', LOG_LEVELS, DEFAULTS.log.level) };
}

function throwIfIssues(reader: FieldReader, context: ValidationContext): void {
  if (reader.issues.length === 0) return;
  const where = context.sourceName ?? 'the config file';
  const lines = reader.issues.map((issue) => {
    const alternative = context.hintFor?.(issue.key);
    return `${issue.key} ${issue.text}; set it in ${where}${alternative ? ` or ${alternative}` : ''}`;
  });
  throw new ConfigError(lines.join('\n'), {
    key: reader.issues[0]?.key,
    details: { issues: reader.issues.map((issue) => ({ key: issue.key, problem: issue.text })) },
  });
}
