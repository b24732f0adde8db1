/**
 * `mde-car sync`: one full or incremental import (docs/sync.md). On a terminal people see one
 * updating progress line and a summary table; otherwise plain JSON log lines. `--json` prints
 * the summary as one JSON document on stdout. Exit codes follow src/cli/exit-codes.ts: 0 ok,
 * 10 partial or deferred, and the cause's code for a failed run.
 */
import { loadConfig } from '../../config/load.ts';
import { ConnectorError, ERROR_CODES, type ErrorCode } from '../../errors.ts';
import { createLogger, type LogLevel } from '../../log.ts';
import { formatSummary } from '../../sync/report.ts';
import { runSync } from '../../sync/run.ts';
import type { RunSummary, SyncProgress } from '../../sync/types.ts';
import { createTarget } from '../../targets/index.ts';
import { EXIT, exitCodeFor } from '../exit-codes.ts';
import type { RegisterCommand } from './types.ts';

interface SyncFlags {
  config?: string;
  json?: boolean;
  logLevel?: string;
  [flag: string]: unknown;
}

/** Flags passed through to the configuration loader as they are (camelCase keys). */
const CONFIG_FLAGS: [string, string][] = [
  ['--full', 'force a full import (default: incremental when a recent checkpoint exists)'],
  ['--db <path>', 'embedded store file (default ./data/mde-car.db)'],
  ['--target <kind>', 'where the graph goes: embedded, car or files'],
  ['--out <dir>', 'folder for --target files'],
  ['--source <name>', 'connection name, also the CAR source key'],
  ['--tenantID <uuid>', 'Entra tenant id'],
  ['--clientID <uuid>', 'Entra application (client) id'],
  ['--clientSecret <secret>', 'Entra client secret (prefer the environment or --secrets-dir)'],
  ['--subscriptionID <id>', 'Azure subscription id (recorded only)'],
  ['--car-service-url <url>', 'CAR service base URL (…/api/car/v2)'],
  ['--car-service-key <key>', 'CAR API key'],
  ['--car-service-password <password>', 'CAR API password'],
  ['--car-service-url-for-token <url>', 'CAR base URL used with a token'],
  ['--car-service-token <token>', 'CAR token'],
  ['--ca-file <path>', 'extra PEM CA bundle to trust (e.g. the simulator certificate)'],
  ['--secrets-dir <dir>', 'folder of secret files, one value per file'],
];

export const registerSync: RegisterCommand = (program, setExitCode) => {
  const command = program
    .command('sync')
    .description(
      'Import Defender machines, adapters, users, vulnerabilities and alerts into the graph.',
    )
    .option('--config <file>', 'JSON configuration file')
    .option('--json', 'print the run summary as JSON on stdout')
    .option('--log-level <level>', 'error, warn, info or debug');
  for (const [flags, help] of CONFIG_FLAGS) command.option(flags, help);
  command.action(async (flags: SyncFlags) => {
    setExitCode(await syncCommand(flags));
  });
};

async function syncCommand(flags: SyncFlags): Promise<number> {
  const isTty = process.stderr.isTTY === true && flags.json !== true;
  const early = createLogger({ level: 'warn' });
  const { config: file, json: _json, logLevel: _level, ...rest } = flags;
  const config = loadConfig({
    ...(file ? { file } : {}),
    env: process.env,
    flags: rest,
    logger: early,
  });
  const level = (flags.logLevel ?? (isTty ? 'warn' : config.log.level)) as LogLevel;
  const logger = createLogger({ level });

  const target = await createTarget(config, logger);
  const line = isTty ? new ProgressLine() : undefined;
  let summary: RunSummary;
  try {
    summary = await runSync({
      config,
      target,
      logger,
      ...(line ? { onProgress: (p: SyncProgress) => line.update(p) } : {}),
    });
  } finally {
    line?.clear();
    await target.close();
  }
  printSummary(summary, flags.json === true, isTty);
  return exitCodeForSummary(summary);
}

function printSummary(summary: RunSummary, asJson: boolean, isTty: boolean): void {
  if (asJson) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else if (isTty) process.stderr.write(`${formatSummary(summary)}\n`);
  else if (summary.outcome !== 'ok') process.stderr.write(`${outcomeLine(summary)}\n`);
}

/** The one line a person reads when a run did not end ok and no table was printed. */
export function outcomeLine(summary: RunSummary): string {
  const code = summary.errorCode === undefined ? '' : ` [${summary.errorCode}]`;
  const reason = summary.reason ?? 'see the log lines above';
  return `mde-car: sync ${summary.outcome}: ${reason}${code}`;
}

/** 0 ok; 10 partial or deferred; a failed run maps through its error code. */
export function exitCodeForSummary(summary: RunSummary): number {
  if (summary.outcome === 'ok') return EXIT.OK;
  if (summary.outcome !== 'failed') return EXIT.RECOVERABLE;
  const code = summary.errorCode;
  if (code === undefined || !(code in ERROR_CODES)) return EXIT.GENERAL_FAILURE;
  return exitCodeFor(new ConnectorError(code as ErrorCode, summary.reason ?? ''));
}

/** One stderr line rewritten in place, at most ten times a second. */
class ProgressLine {
  private lastMs = 0;

  update(progress: SyncProgress): void {
    const nowMs = Date.now();
    if (nowMs - this.lastMs < 100) return;
    this.lastMs = nowMs;
    const total = progress.total ? ` of ${progress.total.toLocaleString('en-US')}` : '';
    const message = progress.message ? ` · ${progress.message}` : '';
    const text = `sync ${progress.phase}: ${progress.done.toLocaleString('en-US')}${total}${message}`;
    process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns ?? 100) - 1)}`);
  }

  clear(): void {
    process.stderr.write('\r\x1b[K');
  }
}
