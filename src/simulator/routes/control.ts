/**
 * Control endpoints under `/_sim/` (no token): advance the simulated clock, read the state,
 * replace the scenario rules. They exist for demos and tests and are documented in
 * docs/simulator.md; the real service has nothing like them.
 */
import type { SimClock } from '../clock.ts';
import type { SimContext, SimRequest } from '../context.ts';
import { plainJson, type SimResponse } from '../http/respond.ts';
import { validateScenario, type ScenarioPlayer } from '../scenario.ts';

export interface ControlDeps {
  clock: SimClock;
  scenario: ScenarioPlayer;
  stats(): Record<string, number>;
}

function readJson(body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body || '{}') as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Answers a `/_sim/` request, or undefined for any other path. */
export function handleControl(
  ctx: SimContext,
  deps: ControlDeps,
  req: SimRequest,
): SimResponse | undefined {
  if (!req.path.toLowerCase().startsWith('/_sim/')) return undefined;
  const path = req.path.toLowerCase().replace(/\/+$/, '');
  if (path === '/_sim/state' && req.method === 'GET') return plainJson(200, state(ctx, deps));
  if (path === '/_sim/clock/advance' && req.method === 'POST') {
    const body = readJson(req.body);
    const minutes = Number(body?.minutes);
    if (!body || !Number.isFinite(minutes) || minutes < 0)
      return plainJson(400, { error: 'body must be {"minutes": N} with N >= 0' });
    const summary = deps.clock.advance(minutes * 60_000);
    return plainJson(200, { now: deps.clock.now().toISOString(), changes: summary });
  }
  if (path === '/_sim/scenario' && req.method === 'POST') {
    try {
      const scenario = validateScenario(readJson(req.body), 'POST /_sim/scenario');
      deps.scenario.replace(scenario.rules);
      return plainJson(200, { rules: scenario.rules.length });
    } catch (err) {
      return plainJson(400, { error: err instanceof Error ? err.message : String(err) });
    }
  }
  return plainJson(404, { error: `unknown control endpoint ${req.method} ${req.path}` });
}

function state(ctx: SimContext, deps: ControlDeps): Record<string, unknown> {
  const tenant = ctx.tenant;
  return {
    now: deps.clock.now().toISOString(),
    tenantId: ctx.tenantId,
    seed: tenant.seed,
    version: tenant.version,
    machines: tenant.listedEntries().length,
    vanishedMachines: tenant.machineEntries.length - tenant.listedEntries().length,
    alerts: tenant.alertEntries.length,
    users: tenant.users.length,
    quotas: ctx.quotas !== undefined,
    pageSize: ctx.pageSize,
    requests: deps.stats(),
  };
}
