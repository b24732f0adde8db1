/** Builds a real Defender client against the scripted HTTPS test server, with recorded sleeps. */
import type { DefenderConfiguration, HttpConfig } from '../../../src/config/types.ts';
import { createDefenderClient, type DefenderClient } from '../../../src/mde/client.ts';
import { silentLogger, type Logger } from '../../../src/log.ts';
import type { HttpsTestServer } from '../../helpers/https-test-server.ts';

export const TENANT = '00000000-0000-0000-0000-000000000000';
export const CLIENT = '11111111-1111-1111-1111-111111111111';
export const SECRET = 'test-secret-value-do-not-log';

export interface ClientUnderTest {
  client: DefenderClient;
  /** Every wait the client asked for, in ms. */
  sleeps: number[];
}

export function configurationFor(
  server: HttpsTestServer,
  extra: Partial<DefenderConfiguration> = {},
): DefenderConfiguration {
  return {
    name: 'test',
    description: '',
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    cloud: 'custom',
    endpoints: {
      cloud: 'custom',
      loginUrl: server.origin,
      apiUrl: server.origin,
      apiScope: `${server.origin}/.default`,
      graphUrl: `${server.origin}`,
      graphScope: 'https://graph.mock.test/.default',
    },
    ...extra,
  };
}

export function clientFor(
  server: HttpsTestServer,
  options: {
    http?: Partial<HttpConfig>;
    configuration?: Partial<DefenderConfiguration>;
    logger?: Logger;
    now?: () => Date;
  } = {},
): ClientUnderTest {
  const sleeps: number[] = [];
  const client = createDefenderClient({
    configuration: configurationFor(server, options.configuration),
    http: {
      connectTimeoutMs: 5_000,
      headersTimeoutMs: 5_000,
      bodyTimeoutMs: 5_000,
      caFile: server.caFile,
      maxRetryWaitSeconds: 300,
      retryBudget: 10,
      ...options.http,
    },
    logger: options.logger ?? silentLogger(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...(options.now ? { now: options.now } : {}),
  });
  return { client, sleeps };
}

export async function collect<T>(pages: AsyncIterable<{ items: T[] }>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page.items);
  return out;
}
