/**
 * `mde-car demo` (what `npm start` runs): the product's main job end to end, offline, in well
 * under a minute. It starts the Defender simulator in this process with a realistic tenant,
 * runs a full sync into ./data/demo.db, moves the simulator's clock six hours ahead, runs an
 * incremental sync, and prints both summaries and a Data Explorer search for an IP address.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AssetSummary, SearchResult } from '../../car/search-types.ts';
import type { AppConfig } from '../../config/types.ts';
import { validateAppConfig } from '../../config/validate.ts';
import { createLogger, type Logger } from '../../log.ts';
import type { RunningSimulator } from '../../simulator/index.ts';
import { formatSummary } from '../../sync/report.ts';
import { runSync } from '../../sync/run.ts';
import type { RunSummary } from '../../sync/types.ts';
import { openEmbeddedStore } from '../../targets/embedded/index.ts';
import type { EmbeddedStore } from '../../targets/embedded/types.ts';
import { EXIT } from '../exit-codes.ts';
import type { RegisterCommand } from './types.ts';

/** Less than the daily reconcile, so the second sync is incremental. */
const ADVANCE_MS = 6 * 3_600_000;
/** A tenant big enough to page and partition, small enough to finish in seconds. */
const DEMO_MACHINES = 2_000;
const DEMO_SEED = 7;

interface DemoFlags {
  machines?: string;
  dir?: string;
  logLevel?: string;
}

export const registerDemo: RegisterCommand = (program, setExitCode) => {
  program
    .command('demo')
    .description('Run a full and an incremental sync against the built-in simulator (offline).')
    .option('--machines <n>', 'machines in the simulated tenant', String(DEMO_MACHINES))
    .option('--dir <path>', 'folder for demo.db', './data')
    .option('--log-level <level>', 'log level of the JSON lines on stderr', 'warn')
    .action(async (flags: DemoFlags) => {
      setExitCode(await runDemo(flags));
    });
};

async function runDemo(flags: DemoFlags): Promise<number> {
  const logger = createLogger({ level: (flags.logLevel ?? 'warn') as 'warn' });
  const dir = resolve(flags.dir ?? './data');
  const machines = Number(flags.machines ?? DEMO_MACHINES);
  const dbPath = join(dir, 'demo.db');
  mkdirSync(dir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });

  const out = (text = ''): void => {
    process.stdout.write(`${text}\n`);
  };
  out(
    `Defender CAR Connector demo: a simulated tenant of ${machines.toLocaleString('en-US')} machines (offline)`,
  );
  out();

  // Loaded here, not at the top, so every other command starts without the simulator.
  const { startSimulator } = await import('../../simulator/index.ts');
  const sim = await startSimulator({
    port: 0,
    seed: DEMO_SEED,
    machines,
    quotas: true,
    logger,
  });
  let store: EmbeddedStore | undefined;
  try {
    const caFile = join(dir, 'demo-simulator-ca.pem');
    sim.writeCaFile(caFile);
    const config = demoConfig(sim, { caFile, dbPath });
    store = openEmbeddedStore({ path: dbPath, logger });
    const simNow = (): Date => sim.clock.now();

    const full = await syncOnce(config, store, logger, simNow, 'full');
    out(formatSummary(full, 'Full sync'));
    out();
    const changes = sim.clock.advance(ADVANCE_MS);
    out(
      `Simulator clock moved 6 hours ahead: ${changes.seenAgain} machines reported again ` +
        `(${changes.newIps} with a new IP), ${changes.newMachines} new, ` +
        `${changes.alertsUpdated} alerts updated, ${changes.newAlerts} new.`,
    );
    out();
    const incremental = await syncOnce(config, store, logger, simNow, 'auto');
    out(formatSummary(incremental, 'Incremental sync'));
    out();

    const ip = pickInterestingIp(store);
    if (ip) out(formatSearch(store.search('ip', ip)));
    out();
    out(
      `Graph stored in ${dbPath}. Search it yourself: npx mde-car search ${ip ?? '<ip>'} --db ${dbPath}`,
    );
    return full.outcome === 'ok' && incremental.outcome === 'ok' ? EXIT.OK : EXIT.RECOVERABLE;
  } finally {
    await store?.close();
    await sim.close();
  }
}

/** The simulator's profile, validated as a config file would be; nothing is written to disk. */
function demoConfig(sim: RunningSimulator, paths: { caFile: string; dbPath: string }): AppConfig {
  return validateAppConfig(sim.profile(paths), { sourceName: 'the demo simulator profile' });
}

function syncOnce(
  config: AppConfig,
  store: EmbeddedStore,
  logger: Logger,
  now: () => Date,
  mode: 'full' | 'auto',
): Promise<RunSummary> {
  return runSync({ config, target: store, logger, now, mode });
}

/**
 * The IP of the riskiest active asset: it shows the risk explanation. Assets are read once
 * (2,000 in the demo); a real tenant would search instead.
 */
function pickInterestingIp(store: EmbeddedStore): string | undefined {
  const assets = store
    .listVertices('asset')
    .filter((v) => !v.deleted && v.lifecycle === 'active')
    .sort((a, b) => Number(b.record.risk ?? -1) - Number(a.record.risk ?? -1));
  const edges = store.listEdges('asset_ipaddress').filter((e) => e.active);
  const byAsset = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.to.includes('%') || edge.to.includes(':')) continue;
    byAsset.set(edge.from, [...(byAsset.get(edge.from) ?? []), edge.to]);
  }
  for (const asset of assets) {
    const ips = byAsset.get(asset.id);
    if (ips?.length) return ips.find((ip) => ip.startsWith('10.')) ?? ips[0];
  }
  return undefined;
}

function formatSearch(result: SearchResult): string {
  const lines = [`Data Explorer: who holds ${result.canonical}?`];
  if (result.note) lines.push(`  note: ${result.note}`);
  if (result.current.length === 0) lines.push('  no current holder');
  for (const holder of result.current) lines.push(...formatAsset(holder.asset, 'now'));
  for (const holder of result.past.slice(0, 3)) {
    lines.push(...formatAsset(holder.asset, `until ${holder.lastSeen ?? '?'}`));
  }
  return lines.join('\n');
}

function formatAsset(asset: AssetSummary, when: string): string[] {
  const risk = asset.risk.score === null ? 'unknown' : asset.risk.score.toFixed(1);
  const lines = [
    `  ${asset.name ?? asset.externalId} (${asset.os ?? 'unknown OS'}, ${when}): ` +
      `risk ${risk} ${asset.risk.level}${asset.hasEdr ? '' : ', no EDR'}`,
  ];
  for (const factor of asset.risk.factors.filter((f) => f.contribution !== 0)) {
    const sign = factor.contribution >= 0 ? '+' : '';
    lines.push(`    ${factor.name}: ${factor.value} (${sign}${factor.contribution})`);
  }
  if (asset.openAlerts.length > 0) {
    lines.push(
      `    open alerts: ${asset.openAlerts.map((a) => `${a.title} [${a.severity ?? '?'}]`).join('; ')}`,
    );
  }
  return lines;
}
