/**
 * Validation of a merged raw configuration (file, environment and flags already layered) into
 * a typed, defaulted, frozen `AppConfig`. Rules: DESIGN.md §2 (names, UUIDs, frequency, port,
 * edge gateway) and §4 (cloud profiles, base URLs cleaned to their origin: field fault B26).
 */
import { ConfigError } from '../errors.ts';
import type {
  AppConfig,
  CloudEndpoints,
  CloudName,
  ConnectionConfig,
  DefenderConfiguration,
} from './types.ts';
import { DEFAULTS } from './defaults.ts';
import { readHttp, readLog, readSync, readTarget } from './sections.ts';
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
