/**
 * The closing phases of a complete run: deactivating edges the run did not report, moving
 * assets through the lifecycle (B23), and recomputing risk for the assets the run touched.
 * They run only after every read phase finished, so nothing is ever deactivated from a partial
 * listing (DESIGN.md §6).
 */
import { computeRisk } from '../../car/risk.ts';
import type { EdgeCollection, VertexRecord } from '../../car/types.ts';
import type { AssetRiskInput, DeactivationScope } from '../../targets/target.ts';
import { progress, type RunContext } from '../context.ts';

/** Asset records per risk write. */
const RISK_BATCH_SIZE = 5_000;

/** Which edge collections each part reports, for scoped deactivation. */
const PART_COLLECTIONS: Record<string, EdgeCollection[]> = {
  machines: ['asset_hostname', 'asset_ipaddress', 'asset_macaddress', 'ipaddress_macaddress'],
  network: ['asset_ipaddress', 'asset_macaddress', 'ipaddress_macaddress'],
  users: ['asset_account'],
  vulnerabilities: ['asset_application'],
};

/** Deactivates what this run did not report, within what the run read completely. */
export async function deactivateUnreported(ctx: RunContext): Promise<void> {
  for (const scope of deactivationScopes(ctx)) {
    const counts = await ctx.target.deactivateUnreported(scope);
    ctx.summary.addDeactivated(counts);
    ctx.log.info({ scope: scope.kind, deactivated: counts }, 'unreported edges deactivated');
  }
}

/**
 * A full run deactivates everything unreported. A part turned off mid-run by a 403 keeps its
 * edges: the run then deactivates only the collections it read, for the assets it listed. An
 * incremental run does the same for the assets it changed (alert edges go by status, since
 * alerts are read by cursor, not by asset). Parts off from the start (configuration, missing
 * role) are simply not reported, so a full import deactivates their edges. Users read one
 * machine at a time cover only those machines (B28: a 404 keeps the machine's users).
 */
export function deactivationScopes(ctx: RunContext): DeactivationScope[] {
  // Limitation: a run that continues a deferred one deactivates nothing, because edges written
  // before the deferral carry the earlier run's id; the next full import reconciles them.
  if (ctx.isResumed) return [];
  const offMidRun = ctx.state.disabledMidRun;
  const usersReadFor = ctx.state.usersReadFor;
  if (ctx.mode === 'full' && offMidRun.length === 0 && usersReadFor === undefined) {
    return [{ kind: 'full' }];
  }
  const assetIds = [...ctx.known];
  if (assetIds.length === 0) return [];
  const read = (part: string): boolean =>
    !offMidRun.includes(part) && !ctx.summary.disabled.some((d) => d.part === part);
  const parts = ['machines', 'network', 'vulnerabilities'].filter(read);
  if (usersReadFor === undefined && read('users')) parts.push('users');
  const collections = [...new Set(parts.flatMap((part) => PART_COLLECTIONS[part] ?? []))];
  const scopes: DeactivationScope[] = [{ kind: 'assets', assetIds, collections }];
  if (usersReadFor?.length && read('users')) {
    scopes.push({ kind: 'assets', assetIds: usersReadFor, collections: ['asset_account'] });
  }
  return scopes;
}

/** Moves assets through the lifecycle; a complete listing also counts the missing ones. */
export async function applyLifecycle(ctx: RunContext): Promise<void> {
  const result = await ctx.target.applyLifecycle({
    completeListing: ctx.mode === 'full' && ctx.state.machinesComplete && !ctx.isResumed,
    now: ctx.now(),
    settings: {
      inactiveGraceDays: ctx.config.sync.inactiveGraceDays,
      missingGraceRuns: ctx.config.sync.missingGraceRuns,
    },
  });
  ctx.summary.addLifecycle(result);
  ctx.log.info({ lifecycle: result }, 'asset lifecycle applied');
}

/**
 * Recomputes risk for every active asset (full) or the touched ones (incremental).
 * Limitation: `riskInputs` covers active assets, so an asset the lifecycle disables keeps the
 * risk last computed for it; search marks it disabled.
 */
export async function recomputeRisk(ctx: RunContext): Promise<void> {
  const inputs = await riskInputs(ctx);

  let done = 0;
  for (let i = 0; i < inputs.length; i += RISK_BATCH_SIZE) {
    const assets: VertexRecord[] = inputs.slice(i, i + RISK_BATCH_SIZE).map((input) => {
      const risk = computeRisk(input);
      const record: VertexRecord = {
        external_id: input.assetId,
        properties: { riskLevel: risk.level, riskFactors: risk.factors },
      };
      if (risk.score !== null) record.risk = risk.score;
      return record;
    });
    // Risk updates are not new graph records; they are counted apart (risk.assets).
    await ctx.target.write({ vertices: { asset: assets }, edges: {} });
    ctx.hasWritten = true;
    done += assets.length;
    progress(ctx, { phase: 'risk', done, total: inputs.length });
  }
  ctx.summary.count('risk.assets', done);
}

/**
 * A complete full import has seen every input itself (risk-ledger.ts) and asks the target
 * nothing; other runs read the inputs of the assets they touched back from the target, whose
 * graph also holds the alerts and vulnerabilities this run did not re-read.
 */
async function riskInputs(ctx: RunContext): Promise<AssetRiskInput[]> {
  const isCompleteFull =
    ctx.mode === 'full' && !ctx.isResumed && ctx.state.disabledMidRun.length === 0;
  if (isCompleteFull) return [...ctx.risk.inputs()];
  const ids = [...ctx.touched];
  if (ids.length === 0) return [];
  return ctx.target.riskInputs(ctx.config.connection.name, ids);
}
