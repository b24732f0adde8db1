/**
 * Turns a stored connection and configuration into the AppConfig the sync engine takes. The
 * runner owns only the fields a person enters in the UI; everything else comes from the
 * defaults table, and every connection writes into the one embedded store the Data Explorer
 * reads.
 */
import { DEFAULTS } from '../config/defaults.ts';
import { defaultScope, profileEndpoints } from '../config/clouds.ts';
import type { AppConfig, CloudEndpoints, DefenderConfiguration } from '../config/types.ts';
import type { ConfigurationRow } from './connection-store.ts';
import type { ConnectionView } from './types.ts';

/** The sync configuration of one stored configuration; `clientSecret` is the opened secret. */
export function toAppConfig(
  connection: ConnectionView,
  row: ConfigurationRow,
  clientSecret: string,
  options: { graphDbPath: string },
): { config: AppConfig; configuration: DefenderConfiguration } {
  const configuration: DefenderConfiguration = {
    name: row.name,
    description: row.description,
    ...(row.subscription_id ? { subscriptionId: row.subscription_id } : {}),
    tenantId: row.tenant_id,
    clientId: row.client_id,
    clientSecret,
    cloud: row.cloud as DefenderConfiguration['cloud'],
    endpoints: endpointsOf(row, connection.hostPort),
  };

  const config: AppConfig = {
    connection: {
      name: connection.name,
      description: connection.description,
      frequencyMinutes: connection.frequencyMinutes,
      hostPort: connection.hostPort,
      ...(connection.edgeGateway ? { edgeGateway: connection.edgeGateway } : {}),
      configurations: [configuration],
    },
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

function endpointsOf(row: ConfigurationRow, hostPort: number): CloudEndpoints {
  if (row.cloud === 'custom') {
    const apiUrl = row.api_url ?? '';
    const graphUrl = row.graph_url ?? apiUrl;
    return {
      cloud: 'custom',
      loginUrl: row.login_url ?? '',
      apiUrl,
      apiScope: defaultScope(apiUrl),
      graphUrl,
      graphScope: defaultScope(graphUrl),
    };
  }
  const profile = profileEndpoints(row.cloud as Exclude<CloudEndpoints['cloud'], 'custom'>);
  return { ...profile, apiUrl: withPort(profile.apiUrl, hostPort) };
}

/** The connection's host port applies to the Defender API host of a named cloud profile. */
function withPort(origin: string, hostPort: number): string {
  const url = new URL(origin);
  url.port = hostPort === 443 ? '' : String(hostPort);
  return url.origin;
}
