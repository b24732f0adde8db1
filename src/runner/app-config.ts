/**
 * Turns a stored connection and configuration into the AppConfig the sync engine takes. The
 * runner owns only the fields a person enters in the UI; everything else comes from the
 * defaults table, and every connection writes into the one embedded store the Data Explorer
 * reads.
 */
import { DEFAULTS } from '../config/defaults.ts';
import type { AppConfig, DefenderConfiguration } from '../config/types.ts';
import { toConnectionConfig } from './config-bridge.ts';
import type { ConfigurationRow } from './connection-store.ts';
import type { ConfigurationInput, ConnectionView } from './types.ts';

/** The sync configuration of one stored configuration; `clientSecret` is the opened secret. */
export function toAppConfig(
  connection: ConnectionView,
  row: ConfigurationRow,
  clientSecret: string,
  options: { graphDbPath: string },
): { config: AppConfig; configuration: DefenderConfiguration } {
  const connectionConfig = toConnectionConfig(connection, { ...rowToInput(row), clientSecret });
  const configuration = connectionConfig.configurations[0] as DefenderConfiguration;
  const config: AppConfig = {
    connection: connectionConfig,
    http: { ...DEFAULTS.http, ...(row.ca_file ? { caFile: row.ca_file } : {}) },
    sync: { ...DEFAULTS.sync },
    target: {
      kind: 'embedded',
      dbPath: options.graphDbPath,
      car: { ...DEFAULTS.target.car },
    },
    log: { level: 'info' },
  };
  return { config, configuration };
}

/** The validated input a stored row was made from. */
export function rowToInput(row: ConfigurationRow): ConfigurationInput {
  return {
    name: row.name,
    description: row.description,
    subscriptionId: row.subscription_id ?? undefined,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    clientSecret: undefined,
    cloud: row.cloud as ConfigurationInput['cloud'],
    loginUrl: row.login_url ?? undefined,
    apiUrl: row.api_url ?? undefined,
    graphUrl: row.graph_url ?? undefined,
    caFile: row.ca_file ?? undefined,
    apiScope: row.api_scope ?? undefined,
    graphScope: row.graph_scope ?? undefined,
  };
}
