/**
 * What every mapping function needs besides the records: the CAR source and report of the run,
 * the report timestamp, the unmanaged-device policy, and hints the sync collects across
 * batches (machine merges, machine host names).
 */

export interface MappingContext {
  /** CAR source key (the connection name), written on every edge. */
  source: string;
  /** CAR report `_key` of this run, written on every edge. */
  reportKey: string;
  /** Report timestamp (epoch ms), written on every edge as `timestamp`. */
  timestampMs: number;
  /** Keep devices that are not onboarded (no EDR); false skips them as `unmanaged` (B19). */
  includeUnmanaged: boolean;
  /**
   * Merged machine id → surviving machine id (B13). The sync keeps one map per run;
   * `mapMachines` adds every merge it sees, so alerts mapped later link to the survivor.
   */
  mergedInto?: Map<string, string>;
  /**
   * Machine id → hostname key, so logged-on users link to the host name (account_hostname).
   * `mapMachines` fills it when present.
   */
  hostnames?: Map<string, string>;
  /**
   * Account external id → the newest `lastSeen` (epoch ms) written for it in this run. Each
   * device reports its own last sign-in of a shared account, and the answers arrive in an
   * order the query split decides; with this map an older sighting no longer overwrites the
   * account's newest one. Absent: every sighting is written as it comes.
   */
  accountsSeen?: Map<string, number>;
}

/** The machine id that represents `id` in the graph: its survivor when it was merged (B13). */
export function redirectMachineId(ctx: MappingContext, id: string): string {
  let current = id;
  // Merges can chain (a → b → c); the guard stops a malformed cycle from looping forever.
  for (let hops = 0; hops < 8; hops += 1) {
    const next = ctx.mergedInto?.get(current);
    if (next === undefined || next === current) return current;
    current = next;
  }
  return current;
}

/** True when the machine id was merged into another one. */
export function isMergedMachine(ctx: MappingContext, id: string): boolean {
  return redirectMachineId(ctx, id) !== id;
}
