/** The configuration module's public surface. */
export { loadConfig, type LoadConfigInput } from './load.ts';
export { validateConnection, validateAppConfig, type ValidationContext } from './validate.ts';
export { redactConfig, REDACTED } from './redact.ts';
export { DEFAULTS, SECRET_FIELDS, MAX_PAGE_SIZE } from './defaults.ts';
export { BINDINGS } from './bindings.ts';
export { profileEndpoints, allowedApiHosts, CLOUD_NAMES, REGIONS } from './clouds.ts';
export type * from './types.ts';
