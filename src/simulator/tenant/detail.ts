/**
 * Per-machine details derived again on every call from the seed and the machine's index:
 * logged-on accounts, installed software and the CVEs that apply. Nothing here is stored, so
 * a 100,000-machine tenant costs memory only for its machine and alert records.
 */
import { mixSeed, Rng } from '../random.ts';
import { LOGON_TYPES, OS_PROFILES, type OsFamily } from './catalog.ts';
import { SOFTWARE } from './software-catalog.ts';
import { directoryAccount, localAccount } from './users.ts';
import type { CveEntry, MachineDetail, MachineEntry } from './types.ts';
import type { GraphUser } from '../../mde/types.ts';

const DAY_MS = 86_400_000;

export interface DetailContext {
  seed: number;
  users: readonly GraphUser[];
  cves: readonly CveEntry[];
  /** CVE indexes per software product index. */
  cvesByProduct: readonly number[][];
}

/** The family of a platform name, `windows` when unknown. */
export function osFamily(osPlatform: string | null | undefined): OsFamily {
  return OS_PROFILES.find(([p]) => p.osPlatform === osPlatform)?.[0].family ?? 'windows';
}

export function deriveDetail(ctx: DetailContext, entry: MachineEntry): MachineDetail {
  const detail: MachineDetail = { accounts: deriveAccounts(ctx, entry), software: [], cves: [] };
  const family = osFamily(entry.record.osPlatform);
  if (entry.record.onboardingStatus !== 'Onboarded' || family === 'mobile') return detail;

  const rng = new Rng(mixSeed(ctx.seed, 'software', entry.record.id));
  addSoftware(rng, family, detail);
  addCves(rng, ctx, detail);
  return detail;
}

/** Only the logged-on accounts: cheaper when nothing else is needed. */
export function deriveAccounts(ctx: DetailContext, entry: MachineEntry): MachineDetail['accounts'] {
  const detail: MachineDetail = { accounts: [], software: [], cves: [] };
  if (entry.record.onboardingStatus !== 'Onboarded') return detail.accounts;
  addAccounts(new Rng(mixSeed(ctx.seed, 'accounts', entry.record.id)), ctx, entry, detail);
  return detail.accounts;
}

function addAccounts(
  rng: Rng,
  ctx: DetailContext,
  entry: MachineEntry,
  detail: MachineDetail,
): void {
  const count = rng.int(1, 3);
  const machineSid = `S-1-5-21-${rng.int(1000000000, 2099999999)}-${rng.int(1000000000, 2099999999)}-${rng.int(100000000, 999999999)}`;
  const seen = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const useDirectory = ctx.users.length > 0 && rng.chance(0.8);
    const userIndex = rng.int(0, Math.max(0, ctx.users.length - 1));
    const user = ctx.users[userIndex];
    const account =
      useDirectory && user
        ? directoryAccount(user, userIndex, rng)
        : localAccount(rng, entry.record.computerDnsName ?? 'host', machineSid);
    const key = `${account.domain}\\${account.name}`.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const lastSeenMs = entry.lastSeenMs - rng.int(0, 3 * DAY_MS);
    const firstSeenMs = lastSeenMs - rng.int(0, 60) * DAY_MS;
    detail.accounts.push({
      account,
      logonType: rng.pick(LOGON_TYPES.slice(0, 3)),
      firstSeenMs,
      lastSeenMs,
    });
  }
}

const CANDIDATES = new Map<OsFamily, { i: number }[]>();

function candidatesFor(family: OsFamily): { i: number }[] {
  let list = CANDIDATES.get(family);
  if (!list) {
    list = SOFTWARE.map((p, i) => ({ p, i })).filter(({ p }) => p.families.includes(family));
    CANDIDATES.set(family, list);
  }
  return list;
}

function addSoftware(rng: Rng, family: OsFamily, detail: MachineDetail): void {
  const candidates = candidatesFor(family);
  const count = Math.min(candidates.length, rng.int(3, 8));
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rng.pick(candidates).i);
  for (const productIndex of [...chosen].sort((a, b) => a - b)) {
    detail.software.push({
      productIndex,
      version: rng.pick(SOFTWARE[productIndex]?.versions ?? ['1.0']),
    });
  }
}

function addCves(rng: Rng, ctx: DetailContext, detail: MachineDetail): void {
  const target = rng.int(0, 8);
  for (let attempt = 0; attempt < target * 3 && detail.cves.length < target; attempt += 1) {
    const installed = rng.pick(detail.software);
    const pool = ctx.cvesByProduct[installed.productIndex] ?? [];
    if (pool.length === 0) continue;
    const cveIndex = rng.pick(pool);
    if (detail.cves.some((c) => c.cveIndex === cveIndex)) continue;
    detail.cves.push({ cveIndex, version: installed.version });
  }
}
