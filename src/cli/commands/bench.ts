/**
 * `mde-car bench` (`npm run bench -- --out FILE`): the sync benchmark in bench/run-bench.ts.
 * It measures; it asserts nothing. Loaded on demand so other commands never load it.
 */
import { createLogger, type Logger, type LogLevel } from '../../log.ts';
import { ConnectorError } from '../../errors.ts';
import type { RegisterCommand } from './types.ts';

interface BenchFlags {
  out?: string;
  sizes: string;
  logLevel: string;
}

export const registerBench: RegisterCommand = (program) => {
  program
    .command('bench')
    .description('Measure full and incremental syncs against the simulator (quotas off).')
    .option('--out <file>', 'write the results as JSON to this file')
    .option('--sizes <list>', 'comma-separated tenant sizes in machines', '10000,100000')
    .option('--log-level <level>', 'log level of the JSON lines on stderr', 'warn')
    .action(async (flags: BenchFlags) => {
      const sizes = parseSizes(flags.sizes);
      const { runBench, formatBench, writeReport } = await loadBench();
      const logger = createLogger({ level: flags.logLevel as LogLevel });
      const report = await runBench(sizes, logger);
      process.stdout.write(`${formatBench(report)}\n`);
      if (flags.out) {
        writeReport(flags.out, report);
        process.stdout.write(`results written to ${flags.out}\n`);
      }
    });
};

/** The part of bench/run-bench.ts this command calls. */
interface BenchModule {
  runBench(sizes: number[], logger: Logger): Promise<unknown>;
  formatBench(report: unknown): string;
  writeReport(path: string, report: unknown): void;
}

/**
 * bench/ sits outside src/ (and outside the build's rootDir), so it is imported by URL; the
 * command therefore runs from a checkout (through bin/mde-car), not from dist/.
 */
async function loadBench(): Promise<BenchModule> {
  const url = new URL('../../../bench/run-bench.ts', import.meta.url);
  return (await import(url.href)) as BenchModule;
}

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new ConnectorError(
      'INPUT_INVALID',
      `--sizes "${text}" is not a list of machine counts; use e.g. 10000,100000`,
    );
  }
  return sizes;
}
