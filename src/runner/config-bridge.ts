/**
 * The bridge to the configuration module: a stored connection and one configuration become the
 * object `validateConnection` (src/config) reads, so the service and `mde-car sync` resolve
 * clouds, ports and custom URLs by the same rules. Its issues come back as field errors.
 */
import { validateConnection } from '../config/index.ts';
import type { ConnectionConfig } from '../config/types.ts';
import { ConfigError } from '../errors.ts';
import { fieldErrorsToConfigError, type FieldError } from './validation.ts';
import type { ConfigurationInput, ConnectionInput } from './types.ts';

// Stands in for a stored secret while checking an edit that keeps it; never stored or sent.
const KEPT_SECRET_PLACEHOLDER = 'kept-secret';

/**
 * The validated ConnectionConfig of `connection` with the single configuration `cfg`. Without a
 * secret (an edit that keeps the stored one) a placeholder is checked instead.
 */
export function toConnectionConfig(
  connection: ConnectionInput,
  cfg: ConfigurationInput,
): ConnectionConfig {
  const isCustom = cfg.cloud === 'custom';
  const raw = {
    name: connection.name,
    description: connection.description,
    frequencyMinutes: connection.frequencyMinutes,
    hostPort: connection.hostPort,
    ...(connection.edgeGateway ? { edgeGateway: connection.edgeGateway } : {}),
    configurations: [
      {
        name: cfg.name,
        description: cfg.description,
        ...(cfg.subscriptionId ? { subscriptionId: cfg.subscriptionId } : {}),
        tenantId: cfg.tenantId,
        clientId: cfg.clientId,
        clientSecret: cfg.clientSecret ?? KEPT_SECRET_PLACEHOLDER,
        cloud: cfg.cloud,
        ...(isCustom ? customEndpoints(cfg) : {}),
      },
    ],
  };
  try {
    return validateConnection(raw, { sourceName: 'the request' });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw fieldErrorsToConfigError(issuesToFields(err), 'configuration');
  }
}

function customEndpoints(cfg: ConfigurationInput): Record<string, string | undefined> {
  return {
    loginUrl: cfg.loginUrl,
    apiUrl: cfg.apiUrl,
    graphUrl: cfg.graphUrl ?? cfg.apiUrl,
    ...(cfg.apiScope ? { apiScope: cfg.apiScope } : {}),
    ...(cfg.graphScope ? { graphScope: cfg.graphScope } : {}),
  };
}

function issuesToFields(err: ConfigError): FieldError[] {
  const issues = Array.isArray(err.details.issues)
    ? (err.details.issues as { key: string; problem: string }[])
    : [];
  if (issues.length === 0)
    return [{ field: err.key ?? 'configuration', rule: 'see message', message: err.message }];
  return issues.map(({ key, problem }) => {
    const field = key.slice(key.lastIndexOf('.') + 1);
    return { field, rule: problem, message: `${field} ${problem}` };
  });
}
