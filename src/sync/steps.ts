/**
 * Runs the read phases in order, from the start or from a deferred run's resume point (B05).
 * An optional part that answers 403 is turned off for the rest of the run and reported once
 * (B11); every other error ends the run (the caller decides partial, failed or deferred).
 */
import type { PageCursor } from '../mde/api.ts';
import type { ResumePoint } from '../targets/target.ts';
import { flushWrites, PHASES, type Phase, type RunContext } from './context.ts';
import { isGraphAuthFailure, isPermissionDenied, reasonOf } from './errors.ts';
import type { PartitionState } from './partitions.ts';
import { syncHunting } from './phases/hunting.ts';
import type { HuntingPhase } from './queries.ts';
import {
  syncAlerts,
  syncGraphUsers,
  syncLogonUsersPerMachine,
  syncVulnerabilityList,
} from './phases/lists.ts';
import { syncMachines } from './phases/machines.ts';

interface PhaseResume {
  cursor?: PageCursor;
  partition?: PartitionState;
}

/** Runs every enabled read phase, starting at the resume point's phase when given. */
export async function runReadPhases(ctx: RunContext, resume?: ResumePoint): Promise<void> {
  const first = resume ? Math.max(0, PHASES.indexOf(resume.phase as Phase)) : 0;
  for (let i = first; i < PHASES.length; i += 1) {
    const phase = PHASES[i] as Phase;
    const from: PhaseResume | undefined = i === first && resume ? resumeOf(resume) : undefined;
    await runPhase(ctx, phase, from);
    // A write failure is never taken for the next phase's (a 403 there turns only it off).
    await flushWrites(ctx);
  }
}

async function runPhase(
  ctx: RunContext,
  phase: Phase,
  from: PhaseResume | undefined,
): Promise<void> {
  const step = stepFor(ctx, phase);
  if (!step) return;
  if (phase === 'machines') return step(from);
  try {
    await step(from);
  } catch (err) {
    const isGraphLoss = phase === 'graphUsers' && isGraphAuthFailure(err);
    if (!isPermissionDenied(err) && !isGraphLoss) throw err;
    const reason = `turned off after ${isGraphLoss ? 'a Graph sign-in failure' : 'a 403'}: ${reasonOf(err)}`;
    ctx.summary.disable(phase, reason);
    ctx.state.disabledMidRun.push(phase);
    ctx.log.warn({ part: phase, err }, 'sync part turned off: permission denied');
  }
}

/** The function that runs a phase under the current plan, or undefined when it is off. */
function stepFor(
  ctx: RunContext,
  phase: Phase,
): ((from: PhaseResume | undefined) => Promise<void>) | undefined {
  const parts = ctx.parts;
  if (ctx.state.disabledMidRun.includes(phase)) return undefined;
  switch (phase) {
    case 'machines':
      return (from) => syncMachines(ctx, from?.cursor, huntingAfter(ctx, phase));
    case 'network':
      return parts.network === 'hunting'
        ? (from) => syncHunting(ctx, 'network', from?.partition, huntingAfter(ctx, phase))
        : undefined;
    case 'users':
      if (parts.users === 'hunting') {
        return (from) => syncHunting(ctx, 'users', from?.partition, huntingAfter(ctx, phase));
      }
      return parts.users === 'perMachine' ? () => syncLogonUsersPerMachine(ctx) : undefined;
    case 'vulnerabilities':
      if (parts.vulnerabilities === 'hunting') {
        return (from) =>
          syncHunting(ctx, 'vulnerabilities', from?.partition, huntingAfter(ctx, phase));
      }
      return parts.vulnerabilities === 'bulkList'
        ? (from) => syncVulnerabilityList(ctx, from?.cursor)
        : undefined;
    case 'alerts':
      return parts.alerts === 'on' ? (from) => syncAlerts(ctx, from?.cursor) : undefined;
    case 'graphUsers':
      // The directory has no lastSeen to filter on; it is read in full imports (daily) only.
      return parts.graphUsers === 'on' && ctx.mode === 'full'
        ? () => syncGraphUsers(ctx)
        : undefined;
  }
}

/**
 * The next phase that will run after `phase`, when it is a hunting phase: it may then ask its
 * first query while `phase` writes its last page or answer.
 */
function huntingAfter(ctx: RunContext, phase: Phase): HuntingPhase | undefined {
  for (const next of PHASES.slice(PHASES.indexOf(phase) + 1)) {
    if (!stepFor(ctx, next)) continue;
    const isHunting = next === 'network' || next === 'users' || next === 'vulnerabilities';
    return isHunting && ctx.parts[next] === 'hunting' ? next : undefined;
  }
  return undefined;
}

function resumeOf(resume: ResumePoint): PhaseResume {
  const partition = resume.state?.partition as PartitionState | undefined;
  return {
    ...(resume.cursor ? { cursor: resume.cursor } : {}),
    ...(partition ? { partition } : {}),
  };
}
