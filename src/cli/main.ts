/**
 * `mde-car`: the command-line entry. Parses flags, calls the layers below, and maps errors to
 * exit codes (docs/cli.md). Each command lives in ./commands/<name>.ts.
 */
import { Command, CommanderError } from 'commander';
import { ConnectorError } from '../errors.ts';
import { exitCodeFor, EXIT } from './exit-codes.ts';
import { COMMANDS } from './commands/index.ts';
import { readPackageVersion } from './version.ts';

/** Runs the CLI with `argv` (as `process.argv`) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('mde-car')
    .description(
      'Sync Microsoft Defender for Endpoint into the Connected Assets and Risk (CAR) graph.',
    )
    .version(readPackageVersion(), '-V, --version', 'print the version and exit')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  let exitCode: number = EXIT.OK;
  for (const register of COMMANDS) {
    register(program, (code) => {
      exitCode = code;
    });
  }

  try {
    await program.parseAsync(normaliseLegacyFlags(argv));
    return exitCode;
  } catch (err) {
    return reportError(err);
  }
}

/**
 * The existing connector takes single-dash long flags (`-tenantID`, `-car-service-url`);
 * commander reads those as bundles of short flags, so they are rewritten to `--` form.
 */
export function normaliseLegacyFlags(argv: string[]): string[] {
  return argv.map((arg, index) => {
    if (index < 2) return arg;
    if (/^-[a-zA-Z][a-zA-Z-]+(=.*)?$/.test(arg)) return `-${arg}`;
    return arg;
  });
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.OK;
    if (err.code === 'commander.help') return EXIT.OK;
    return EXIT.BAD_PARAMETERS;
  }
  if (err instanceof ConnectorError) {
    process.stderr.write(`mde-car: ${err.message} [${err.code}]\n`);
    return exitCodeFor(err);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`mde-car: unexpected failure: ${message}\n`);
  return EXIT.GENERAL_FAILURE;
}
