/**
 * Validation of connections and configurations as the product documentation states them
 * (DESIGN.md §2): names and descriptions use only letters, digits, `-`, `.` and `_`; tenant and
 * client ids are UUIDs; the frequency is a positive whole number of minutes; the host port is
 * 1–65535 (default 443); the edge gateway is an optional proxy URL. Every problem names the
 * field, the value (never a secret) and the rule, and all problems of one input are reported
 * together so a form can show each beside its field.
 */
import { ConfigError } from '../errors.ts';
import type { CloudName } from '../config/types.ts';
import type { ConfigurationInput, ConnectionInput } from './types.ts';

/** One problem with one field. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export const RULES = {
  name: "only letters, digits, '-', '.' and '_' (1 to 100 characters)",
  description: "only letters, digits, '-', '.' and '_' (may be empty, at most 500 characters)",
  uuid: 'a UUID such as 00000000-0000-0000-0000-000000000000',
  frequencyMinutes: 'a positive whole number of minutes',
  hostPort: 'a whole number from 1 to 65535',
  edgeGateway: 'an http:// or https:// proxy URL, or empty for none',
  cloud: 'one of commercial, gcc, gcc-high, dod, custom',
  customUrl: 'an https:// URL with no path (required when cloud is custom)',
  scope:
    'a token scope such as https://api.securitycenter.microsoft.com/.default (custom cloud only)',
  clientSecret: 'a non-empty secret (required when the configuration is created)',
  caFile: 'a path to a PEM file, or empty for none',
} as const;

export const DEFAULT_HOST_PORT = 443;
export const DEFAULT_FREQUENCY_MINUTES = 60;
const CLOUDS: CloudName[] = ['commercial', 'gcc', 'gcc-high', 'dod', 'custom'];
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
const DESCRIPTION_PATTERN = /^[A-Za-z0-9._-]{0,500}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ConfigError a set of field problems becomes; `details.fields` carries each one. */
export function fieldErrorsToConfigError(errors: FieldError[], what: string): ConfigError {
  const first = errors[0];
  const message =
    errors.length === 1 && first
      ? first.message
      : `the ${what} has ${errors.length} invalid fields: ${errors.map((e) => e.message).join('; ')}`;
  return new ConfigError(message, { key: first?.field, details: { fields: errors } });
}

/** Checks a connection and returns it normalised with defaults; throws CONFIG_INVALID. */
export function validateConnectionInput(input: unknown): ConnectionInput {
  const body = asObject(input, 'connection');
  const errors: FieldError[] = [];
  const check = new Checker(body, errors);

  const result: ConnectionInput = {
    name: check.pattern('name', NAME_PATTERN, RULES.name, true),
    description: check.pattern('description', DESCRIPTION_PATTERN, RULES.description, false),
    frequencyMinutes: check.integer(
      'frequencyMinutes',
      1,
      Number.MAX_SAFE_INTEGER,
      RULES.frequencyMinutes,
      DEFAULT_FREQUENCY_MINUTES,
    ),
    hostPort: check.integer('hostPort', 1, 65535, RULES.hostPort, DEFAULT_HOST_PORT),
    edgeGateway: check.url('edgeGateway', ['http:', 'https:'], RULES.edgeGateway, false, true),
  };
  // Configurations carry secrets and have their own route; silently dropping them here would
  // leave a connection that can never sync.
  if (body.configurations !== undefined) {
    errors.push({
      field: 'configurations',
      rule: 'added one by one with POST /api/connections/{name}/configurations',
      message:
        'configurations are not taken with the connection; create the connection, then add each ' +
        'configuration with POST /api/connections/{name}/configurations',
    });
  }
  if (errors.length > 0) throw fieldErrorsToConfigError(errors, 'connection');
  return result;
}

/**
 * Checks a configuration. `hasStoredSecret` is true on an edit: then an omitted or empty
 * `clientSecret` keeps the stored one instead of failing.
 */
export function validateConfigurationInput(
  input: unknown,
  options: { hasStoredSecret: boolean },
): ConfigurationInput {
  const body = asObject(input, 'configuration');
  const errors: FieldError[] = [];
  const check = new Checker(body, errors);

  const cloud = check.oneOf('cloud', CLOUDS, RULES.cloud, 'commercial');
  const isCustom = cloud === 'custom';
  const result: ConfigurationInput = {
    name: check.pattern('name', NAME_PATTERN, RULES.name, true),
    description: check.pattern('description', DESCRIPTION_PATTERN, RULES.description, false),
    subscriptionId: optional(check.pattern('subscriptionId', UUID_PATTERN, RULES.uuid, false)),
    tenantId: check.pattern('tenantId', UUID_PATTERN, RULES.uuid, true).toLowerCase(),
    clientId: check.pattern('clientId', UUID_PATTERN, RULES.uuid, true).toLowerCase(),
    clientSecret: check.secret('clientSecret', !options.hasStoredSecret),
    cloud,
    loginUrl: check.url('loginUrl', ['https:'], RULES.customUrl, isCustom, false),
    apiUrl: check.url('apiUrl', ['https:'], RULES.customUrl, isCustom, false),
    graphUrl: check.url('graphUrl', ['https:'], RULES.customUrl, false, false),
    apiScope: check.url('apiScope', ['https:', 'api:'], RULES.scope, false, true),
    graphScope: check.url('graphScope', ['https:', 'api:'], RULES.scope, false, true),
    caFile: optional(check.text('caFile', RULES.caFile)),
  };
  if (errors.length > 0) throw fieldErrorsToConfigError(errors, 'configuration');
  return result;
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

function asObject(input: unknown, what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(`the ${what} must be a JSON object with named fields`, {
      key: what,
      details: {
        fields: [{ field: what, rule: 'a JSON object', message: `${what} must be a JSON object` }],
      },
    });
  }
  return input as Record<string, unknown>;
}

/** Collects field problems while reading values, so every field is checked in one pass. */
class Checker {
  constructor(
    private readonly body: Record<string, unknown>,
    private readonly errors: FieldError[],
  ) {}

  private fail(field: string, rule: string, problem: string): void {
    this.errors.push({ field, rule, message: `${field} ${problem}; it must be ${rule}` });
  }

  private isAbsent(value: unknown): boolean {
    return value === undefined || value === null || value === '';
  }

  text(field: string, rule: string): string {
    const value = this.body[field];
    if (this.isAbsent(value)) return '';
    if (typeof value !== 'string') {
      this.fail(field, rule, `is a ${typeof value}`);
      return '';
    }
    return value.trim();
  }

  pattern(field: string, pattern: RegExp, rule: string, isRequired: boolean): string {
    const value = this.text(field, rule);
    if (value === '') {
      if (isRequired && this.isAbsent(this.body[field])) this.fail(field, rule, 'is missing');
      return '';
    }
    if (!pattern.test(value)) this.fail(field, rule, `${JSON.stringify(value)} is not allowed`);
    return value;
  }

  integer(field: string, min: number, max: number, rule: string, fallback: number): number {
    const raw = this.body[field];
    if (this.isAbsent(raw)) return fallback;
    const value = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(field, rule, `${JSON.stringify(raw)} is not allowed`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: T[], rule: string, fallback: T): T {
    const value = this.text(field, rule);
    if (value === '') return fallback;
    if (!(allowed as string[]).includes(value)) {
      this.fail(field, rule, `${JSON.stringify(value)} is not allowed`);
      return fallback;
    }
    return value as T;
  }

  url(
    field: string,
    protocols: string[],
    rule: string,
    isRequired: boolean,
    allowPath: boolean,
  ): string | undefined {
    const value = this.text(field, rule);
    if (value === '') {
      if (isRequired) this.fail(field, rule, 'is missing');
      return undefined;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.fail(field, rule, `${JSON.stringify(value)} is not a URL`);
      return undefined;
    }
    if (!protocols.includes(url.protocol)) {
      this.fail(field, rule, `${JSON.stringify(value)} uses ${url.protocol.replace(':', '')}`);
      return undefined;
    }
    if (url.username !== '' || url.password !== '') {
      // The value would be shown back in the UI; credentials in a URL would leak that way.
      this.fail(field, rule, 'contains a user name or password, which is not accepted here');
      return undefined;
    }
    if (!allowPath && url.pathname !== '/' && url.pathname !== '') {
      this.fail(field, rule, `${JSON.stringify(value)} has a path`);
      return undefined;
    }
    return allowPath ? value : url.origin;
  }

  secret(field: string, isRequired: boolean): string | undefined {
    const value = this.body[field];
    if (this.isAbsent(value)) {
      if (isRequired) this.fail(field, RULES.clientSecret, 'is missing');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(field, RULES.clientSecret, `is a ${typeof value}`);
      return undefined;
    }
    return value;
  }
}
