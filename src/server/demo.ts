/**
 * The demo connection of `mde-car serve --demo`: one connection whose configuration points at
 * the built-in simulator, created when absent and re-pointed at each start (the simulator gets
 * a new port and secret every time), so a new user sees a working UI with one command.
 */
import { join } from 'node:path';
import { hasCode } from '../errors.ts';
import type { Runner } from '../runner/runner.ts';

export const DEMO_CONNECTION = 'demo';
export const DEMO_CONFIGURATION = 'simulator';
// Short enough that a visitor sees scheduled runs in the history within minutes.
const DEMO_FREQUENCY_MINUTES = 5;

/** What the demo needs of a running simulator (src/simulator `startSimulator`). */
export interface DemoSimulator {
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  writeCaFile(path: string): void | Promise<void>;
}

/** Creates or re-points the demo connection; writes the simulator's CA into the data dir. */
export async function ensureDemoConnection(
  runner: Runner,
  sim: DemoSimulator,
  dataDir: string,
): Promise<void> {
  const caFile = join(dataDir, 'simulator-ca.pem');
  await sim.writeCaFile(caFile);

  try {
    runner.getConnection(DEMO_CONNECTION);
  } catch (err) {
    if (!hasCode(err, 'NOT_FOUND')) throw err;
    runner.createConnection({
      name: DEMO_CONNECTION,
      description: 'built-in-Defender-simulator',
      frequencyMinutes: DEMO_FREQUENCY_MINUTES,
    });
  }

  const configuration = {
    name: DEMO_CONFIGURATION,
    description: 'simulated-tenant',
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    cloud: 'custom',
    loginUrl: sim.url,
    apiUrl: sim.url,
    graphUrl: sim.url,
    // The simulator checks audiences as Entra does: the commercial Defender and Graph scopes.
    apiScope: 'https://api.securitycenter.microsoft.com/.default',
    graphScope: 'https://graph.microsoft.com/.default',
    caFile,
  };
  const hasConfiguration = runner
    .getConnection(DEMO_CONNECTION)
    .configurations.some((c) => c.name === DEMO_CONFIGURATION);
  if (hasConfiguration)
    runner.updateConfiguration(DEMO_CONNECTION, DEMO_CONFIGURATION, configuration);
  else runner.createConfiguration(DEMO_CONNECTION, configuration);
}
