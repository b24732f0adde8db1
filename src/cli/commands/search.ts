/**
 * `mde-car search ip|host|mac <value>`: which assets hold an address or host name now and
 * before, with their risk explained, read from the embedded store. Read-only: a missing
 * database is reported (run a sync first), never created.
 */
import { createLogger } from '../../log.ts';
import { detectSearchKind, parseSearchInput, SEARCH_KINDS } from '../../car/search-input.ts';
import type { HolderRecord, SearchKind, SearchResult } from '../../car/search-types.ts';
import { openEmbeddedStore } from '../../targets/embedded/index.ts';
import { EXIT } from '../exit-codes.ts';
import type { RegisterCommand } from './types.ts';

/** Where the embedded store lives unless `--db` says otherwise (the config default). */
export const DEFAULT_DB_PATH = './data/mde-car.db';

interface SearchOptions {
  db: string;
  json?: boolean;
  source?: string;
}

export const registerSearch: RegisterCommand = (program, setExitCode) => {
  program
    .command('search')
    .description('Find the assets that hold an IP address, host name or MAC, and their risk.')
    .argument('<kind>', `what to search: ${SEARCH_KINDS.join(', ')} (may be left out)`)
    .argument('[value]', 'the address or name, in any spelling')
    .option('--db <path>', 'embedded store file', DEFAULT_DB_PATH)
    .option('--source <name>', 'only this connection (CAR source)')
    .option('--json', 'print the result as JSON')
    .action(async (first: string, second: string | undefined, options: SearchOptions) => {
      // `search 10.0.0.5` works too: a single value is searched as the kind it looks like.
      const [kind, value] =
        second === undefined ? [detectSearchKind(first), first] : [first, second];
      // Validate before opening anything, so a typo gets the input error, not a store error.
      const input = parseSearchInput(kind, value);
      const store = openEmbeddedStore({
        path: options.db,
        readonly: true,
        logger: createLogger({ level: 'warn' }),
      });
      try {
        const searchOptions = options.source === undefined ? {} : { source: options.source };
        const result = store.search(input.kind, value, searchOptions);
        process.stdout.write(
          options.json ? `${JSON.stringify(result, null, 2)}\n` : renderResult(result),
        );
        setExitCode(EXIT.OK);
      } finally {
        await store.close();
      }
    });
};

const KIND_LABEL: Record<SearchKind, string> = {
  ip: 'IP address',
  host: 'host name',
  mac: 'MAC address',
};

/** The human-readable answer: one block per asset, current holders first. */
export function renderResult(result: SearchResult): string {
  const lines: string[] = [];
  const asked = result.query.trim() === result.canonical ? '' : ` (asked as "${result.query}")`;
  lines.push(`${KIND_LABEL[result.kind]} ${result.canonical}${asked}`);
  if (result.note !== undefined) lines.push(`Note: ${result.note}`);

  lines.push('', `Current holders: ${result.current.length}`);
  for (const holder of result.current) lines.push(...renderHolder(holder, 'now'));
  lines.push('', `Past holders: ${result.past.length}`);
  for (const holder of result.past) lines.push(...renderHolder(holder, 'before'));
  return `${lines.join('\n')}\n`;
}

function renderHolder(holder: HolderRecord, when: 'now' | 'before'): string[] {
  const asset = holder.asset;
  const state = asset.lifecycle === 'active' ? '' : ` [${asset.lifecycle}]`;
  const lines = [
    '',
    `  ${asset.name ?? asset.externalId}${state}`,
    `    id:          ${asset.externalId}`,
    `    os:          ${asset.os ?? 'unknown'}`,
    `    health:      ${asset.healthStatus ?? 'unknown'}; EDR: ${asset.hasEdr ? 'yes' : 'no (not onboarded)'}`,
  ];
  if (asset.possibleDuplicateOf !== undefined) {
    lines.push(`    duplicate:   possible duplicate of ${asset.possibleDuplicateOf}`);
  }
  lines.push(...renderRisk(asset.risk));
  lines.push(
    `    host names:  ${list(asset.hostnames)}`,
    `    IPs:         ${list(asset.ipAddresses)}`,
    `    MACs:        ${list(asset.macAddresses)}`,
    `    users:       ${list(asset.users)}`,
    `    open alerts: ${list(asset.openAlerts.map((a) => `${a.title} (${a.severity ?? 'unknown'})`))}`,
    `    worst CVEs:  ${list(asset.worstVulnerabilities.map((v) => `${v.id} (${v.score ?? 'no CVSS'})`))}`,
    `    ${(when === 'now' ? 'holds it:' : 'held it:').padEnd(13)}first seen ${holder.firstSeen ?? '?'}, last seen ${holder.lastSeen ?? '?'}`,
  );
  return lines;
}

function renderRisk(risk: HolderRecord['asset']['risk']): string[] {
  const score = risk.score === null ? 'unknown' : `${risk.score}/10`;
  const lines = [`    risk:        ${score} (${risk.level})`];
  for (const factor of risk.factors) {
    const sign = factor.contribution >= 0 ? '+' : '';
    lines.push(`      ${`${sign}${factor.contribution}`.padEnd(6)} ${factor.explanation}`);
  }
  return lines;
}

function list(items: string[]): string {
  return items.length === 0 ? '-' : items.join(', ');
}
