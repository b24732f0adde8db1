/**
 * Loads the configuration once at start: defaults < config file < environment < secret files
 * < flags (docs/configuration.md). Nothing else in the product reads `process.env`; the CLI
 * passes it in. The result is validated, deep-frozen, and logged once with secrets redacted.
 */
import { readFileSync, readdirSync, accessSync, constants as fsConstants } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, ConnectorError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { AppConfig } from './types.ts';
import { BINDINGS, SECRETS_DIR_ENV, SECRETS_DIR_FLAG, hintFor, type RawPath } from './bindings.ts';
import { validateAppConfig } from './validate.ts';
import { redactConfig } from './redact.ts';

export interface LoadConfigInput {
  /** Path of the JSON config file (`--config FILE`). */
  file?: string;
  env?: Record<string, string | undefined>;
  /** camelCase flag values as the CLI parsed them. */
  flags?: Record<string, unknown>;
  logger?: Logger;
  /** Base for relative paths given in the environment or flags; default `process.cwd()`. */
  cwd?: string;
}

type Raw = Record<string, unknown>;

const GETTING_STARTED =
  'no configuration given: pass --config FILE, or set MDE_TENANT_ID, MDE_CLIENT_ID and ' +
  'MDE_CLIENT_SECRET. To try the connector locally, run `mde-car simulate --write-profile sim.json` ' +
  'and then use `--config sim.json`';

/** Loads, layers, validates and freezes the configuration; throws `ConfigError` or `CONFIG_FILE_UNREADABLE`. */
export function loadConfig(input: LoadConfigInput): AppConfig {
  const cwd = input.cwd ?? process.cwd();
  const env = input.env ?? {};
  const flags = input.flags ?? {};

  const fileLayer = input.file === undefined ? {} : readConfigFile(resolve(cwd, input.file));
  const envLayer = layerFrom((names) => firstValue(env, names), cwd);
  const secretsDir = stringOf(flags[SECRETS_DIR_FLAG]) ?? nonEmpty(env[SECRETS_DIR_ENV]);
  const secretsLayer =
    secretsDir === undefined ? {} : layerFrom(secretFileReader(resolve(cwd, secretsDir)), cwd);
  const flagLayer = flagsLayer(flags, cwd);

  const merged = [envLayer, secretsLayer, flagLayer].reduce<Raw>(
    (acc, layer) => mergeRaw(acc, layer),
    fileLayer,
  );
  if (input.file === undefined && !hasCredentials(merged)) throw new ConfigError(GETTING_STARTED);
  inferTargetKind(merged);

  const config = validateAppConfig(merged, {
    sourceName: input.file ?? 'a config file (--config)',
    hintFor,
    onWarning: (fields, message) => input.logger?.warn(fields, message),
  });
  assertFilesReadable(config, input.file);
  input.logger?.info({ config: redactConfig(config) }, 'configuration loaded');
  return config;
}

function readConfigFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConnectorError(
      'CONFIG_FILE_UNREADABLE',
      `config file ${path} cannot be read; check the path given to --config`,
      { cause: err },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConnectorError(
      'CONFIG_FILE_UNREADABLE',
      `config file ${path} is not valid JSON (${reason}); fix the file`,
      { cause: err },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConnectorError(
      'CONFIG_FILE_UNREADABLE',
      `config file ${path} does not hold a JSON object; see docs/configuration.md`,
    );
  }
  resolveFilePaths(parsed as Raw, dirname(path));
  return parsed as Raw;
}

/** Relative paths in a file mean "next to this file", so a profile can be moved with its CA. */
function resolveFilePaths(raw: Raw, base: string): void {
  const fix = (holder: unknown, key: string): void => {
    if (holder === null || typeof holder !== 'object') return;
    const record = holder as Raw;
    const value = record[key];
    if (typeof value === 'string' && value !== '' && !isAbsolute(value))
      record[key] = resolve(base, value);
  };
  fix(raw.http, 'caFile');
  fix(raw.target, 'dbPath');
  fix(raw.target, 'outDir');
  const configurations = (raw.connection as Raw | undefined)?.configurations;
  if (Array.isArray(configurations)) configurations.forEach((c) => fix(c, 'certificatePath'));
}

function layerFrom(read: (names: readonly string[]) => string | undefined, cwd: string): Raw {
  const layer: Raw = {};
  for (const binding of BINDINGS) {
    const value = read(binding.env);
    if (value !== undefined)
      setPath(layer, binding.path, binding.isPath ? resolve(cwd, value) : value);
  }
  return layer;
}

function flagsLayer(flags: Record<string, unknown>, cwd: string): Raw {
  const layer: Raw = {};
  for (const binding of BINDINGS) {
    const value = binding.flag === undefined ? undefined : flags[binding.flag];
    if (value === undefined || value === null || value === '') continue;
    const resolved = binding.isPath && typeof value === 'string' ? resolve(cwd, value) : value;
    setPath(layer, binding.path, resolved);
  }
  return layer;
}

function firstValue(
  env: Record<string, string | undefined>,
  names: readonly string[],
): string | undefined {
  for (const name of names) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) return value;
  }
  return undefined;
}

// Limitation: the IBM connector's secret files are JWE tokens decrypted with a key in
// /etc/secrets/.jwk; here each file holds the plain value, so the folder must be protected.
function secretFileReader(dir: string): (names: readonly string[]) => string | undefined {
  let files: Set<string>;
  try {
    files = new Set(readdirSync(dir));
  } catch (err) {
    throw new ConfigError(
      `secrets folder ${dir} cannot be read; check --secretsDir or ${SECRETS_DIR_ENV}`,
      { key: SECRETS_DIR_FLAG, cause: err },
    );
  }
  return (names) => {
    const name = names.find((n) => files.has(n));
    if (name === undefined) return undefined;
    return nonEmpty(readFileSync(join(dir, name), 'utf8').replace(/\r?\n$/, ''));
  };
}

function hasCredentials(raw: Raw): boolean {
  const first = ((raw.connection as Raw | undefined)?.configurations as Raw[] | undefined)?.[0];
  if (first === undefined || first === null || typeof first !== 'object') return false;
  return ['tenantId', 'clientId', 'clientSecret', 'certificatePath'].some(
    (key) => first[key] !== undefined,
  );
}

/** A CAR URL without an explicit target means "write to CAR", as the IBM connector does. */
function inferTargetKind(raw: Raw): void {
  const target = (raw.target ?? {}) as Raw;
  if (target.kind !== undefined) return;
  if ((target.car as Raw | undefined)?.url !== undefined) raw.target = { ...target, kind: 'car' };
  else if (target.outDir !== undefined) raw.target = { ...target, kind: 'files' };
}

function assertFilesReadable(config: AppConfig, file: string | undefined): void {
  const where = file ?? 'a config file (--config)';
  const check = (key: string, path: string | undefined, hint: string): void => {
    if (path === undefined) return;
    try {
      accessSync(path, fsConstants.R_OK);
    } catch (err) {
      throw new ConfigError(
        `${key} "${path}" is not a readable file; set it in ${where} or ${hint}`,
        { key, cause: err },
      );
    }
  };
  check('http.caFile', config.http.caFile, 'MDE_CA_FILE or --caFile');
  config.connection.configurations.forEach((c, index) => {
    check(
      `connection.configurations[${index}].certificatePath`,
      c.certificatePath,
      'MDE_CERTIFICATE_PATH',
    );
  });
}

function setPath(target: Raw, path: RawPath, value: unknown): void {
  let node: Raw | unknown[] = target;
  path.forEach((part, index) => {
    const isLast = index === path.length - 1;
    const container = node as Record<string | number, unknown>;
    if (isLast) {
      container[part] = value;
      return;
    }
    if (container[part] === undefined)
      container[part] = typeof path[index + 1] === 'number' ? [] : {};
    node = container[part] as Raw;
  });
}

/** Deep merge where `over` wins; arrays merge element by element (configurations[0] from env). */
function mergeRaw(base: unknown, over: unknown): Raw {
  return mergeValue(base, over) as Raw;
}

function mergeValue(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (Array.isArray(over)) {
    const left = Array.isArray(base) ? base : [];
    const length = Math.max(left.length, over.length);
    return Array.from({ length }, (_, i) => mergeValue(left[i], over[i]));
  }
  if (isPlainObject(over) && isPlainObject(base)) {
    const out: Raw = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = mergeValue(base[key], value);
    return out;
  }
  return over;
}

function isPlainObject(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
