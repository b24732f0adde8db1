/**
 * `mde-car simulate`: runs the Defender simulator (docs/simulator.md) until SIGINT or SIGTERM.
 * Prints where it listens and where the profile and CA file went; the client secret is only
 * ever written to the profile file, never printed.
 */
import { ConnectorError } from '../../errors.ts';
import { createLogger } from '../../log.ts';
import { startSimulator, writeProfileFiles } from '../../simulator/index.ts';
import type { RegisterCommand } from './types.ts';

interface SimulateFlags {
  port: string;
  seed: string;
  machines: string;
  quotas: string;
  tokenLifetime: string;
  scenario?: string;
  recordings?: string;
  writeProfile?: string;
  advanceMinutes?: string;
  pageSize?: string;
  logLevel: string;
}

export const registerSimulate: RegisterCommand = (program) => {
  program
    .command('simulate')
    .description('Run a local Defender for Endpoint, Entra ID and Graph simulator over HTTPS')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--seed <n>', 'seed of the generated tenant', '1')
    .option('--machines <n>', 'machines in the tenant', '1000')
    .option('--quotas <on|off>', 'enforce the per-endpoint call quotas', 'on')
    .option('--token-lifetime <seconds>', 'lifetime of issued tokens', '3599')
    .option('--scenario <file>', 'scenario file with scripted responses and faults')
    .option(
      '--write-profile <file>',
      'write a --config profile for this simulator, and its CA certificate beside it (sim.json → sim.ca.pem)',
    )
    .option('--advance-minutes <n>', 'advance the simulated clock by N minutes at start')
    .option('--page-size <n>', 'rows per page without $top (default 10000, like the service)')
    .option('--log-level <level>', 'error, warn, info or debug', 'info')
    .action(async (flags: SimulateFlags) => {
      await runSimulate(flags);
    });
};

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new ConnectorError(
      'INPUT_INVALID',
      `--${name} ${value} is not a whole number; give e.g. --${name} 10`,
    );
  return Number(value);
}

async function runSimulate(flags: SimulateFlags): Promise<void> {
  if (flags.quotas !== 'on' && flags.quotas !== 'off') {
    throw new ConnectorError(
      'INPUT_INVALID',
      `--quotas ${flags.quotas} is not valid; use --quotas on or --quotas off`,
    );
  }
  const logger = createLogger({ level: flags.logLevel as 'info' });
  const sim = await startSimulator({
    port: integer('port', flags.port),
    seed: integer('seed', flags.seed),
    machines: integer('machines', flags.machines),
    quotas: flags.quotas === 'on',
    tokenLifetimeSeconds: integer('token-lifetime', flags.tokenLifetime),
    scenario: flags.scenario,
    recordings: flags.recordings,
    pageSize: integer('page-size', flags.pageSize),
    logger,
  });
  const advanceMinutes = integer('advance-minutes', flags.advanceMinutes);
  if (advanceMinutes) sim.clock.advance(advanceMinutes * 60_000);

  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out(`Defender simulator listening on ${sim.url}`);
  out(`  tenant id: ${sim.tenantId}`);
  out(`  client id: ${sim.clientId}`);
  out(`  machines:  ${sim.tenant.machines.length} (clock ${sim.clock.now().toISOString()})`);
  out(`  quotas:    ${flags.quotas}`);
  if (flags.writeProfile) {
    const written = writeProfileFiles(flags.writeProfile, sim.caCert, {
      url: sim.url,
      tenantId: sim.tenantId,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
    });
    out(`  profile:   ${written.profilePath} (holds the client secret; mode 0600)`);
    out(`  CA file:   ${written.caFile}`);
  } else {
    out('  the client secret is written only to a profile: use --write-profile FILE');
  }
  out('Press Ctrl+C to stop.');
  await waitForSignal();
  await sim.close();
  out('Defender simulator stopped.');
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
