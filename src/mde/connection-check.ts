/**
 * The connection test (DESIGN.md §2 "Results", §8): get a token, compare the granted roles with
 * the required and optional ones, make one cheap call per endpoint family, and say in one
 * verdict whether the sync can run and which parts are disabled and why.
 */
import { ConnectorError, type ErrorCode } from '../errors.ts';
import type { DefenderApi } from './api.ts';
import { planFromRoles, type PartName } from './roles.ts';

export interface ProbeResult {
  family: string;
  ok: boolean;
  status?: number;
  code?: string;
  message: string;
}

export interface ConnectionCheck {
  /** True when the sync can run (machines readable). */
  ok: boolean;
  roles: string[];
  /** Roles of the Graph token; undefined when none could be had. */
  graphRoles?: string[];
  missingRequired: string[];
  disabledParts: { part: string; reason: string }[];
  probes: ProbeResult[];
  /** Lines a person can act on. */
  verdict: string;
  /** The code of the failure that stops the sync, for the exit code. */
  failureCode?: ErrorCode;
}

export interface CheckOptions {
  /** The tiny hunting query used as the probe. */
  huntingQuery?: string;
}

type CheckableApi = DefenderApi & { grantedGraphRoles?: () => Promise<string[]> };

const DEFAULT_HUNTING_PROBE = 'DeviceInfo | take 1 | project DeviceId';

/** Runs the connection test; never throws for Defender failures, it reports them. */
export async function checkConnection(
  api: CheckableApi,
  options: CheckOptions = {},
): Promise<ConnectionCheck> {
  const probes: ProbeResult[] = [];
  let roles: string[];
  try {
    roles = await api.grantedRoles();
    probes.push({
      family: 'token',
      ok: true,
      message: `token issued with roles: ${roles.join(', ') || 'none listed'}`,
    });
  } catch (err) {
    probes.push(failedProbe('token', err));
    return finish({
      roles: [],
      missingRequired: [],
      disabledParts: [],
      probes,
      failureCode: codeOf(err),
    });
  }

  const graphRoles = await graphRolesOf(api, probes);
  // A token without a roles claim says nothing; the probes alone then decide.
  const plan =
    roles.length === 0
      ? { missingRequired: [], disabledParts: [] }
      : planFromRoles(roles, graphRoles);
  const disabledParts: { part: string; reason: string }[] = [...plan.disabledParts];
  const isOff = (part: PartName): boolean => disabledParts.some((d) => d.part === part);

  const machineId = await probe(probes, 'machines', async () => {
    for await (const page of api.listMachines({ pageSize: 1 }))
      return { note: `${page.items.length} machine read`, id: page.items[0]?.id };
    return { note: 'no machines in the tenant' };
  });
  const disableOnForbidden = async (
    part: PartName,
    family: string,
    run: () => Promise<{ note: string }>,
  ) => {
    if (isOff(part)) return;
    await probe(probes, family, run);
    const last = probes[probes.length - 1];
    if (last && !last.ok && last.code === 'MDE_FORBIDDEN')
      disabledParts.push({ part, reason: `403 from the ${family} probe: ${last.message}` });
  };

  await disableOnForbidden('alerts', 'alerts', async () => {
    for await (const page of api.listAlerts({ pageSize: 1 }))
      return { note: `${page.items.length} alert read` };
    return { note: 'no alerts' };
  });
  if (roles.includes('AdvancedQuery.Read.All') || roles.length === 0) {
    await disableOnForbidden('network', 'hunting', async () => {
      const result = await api.runHuntingQuery(options.huntingQuery ?? DEFAULT_HUNTING_PROBE);
      return { note: `${result.Results.length} row returned` };
    });
  }
  if ((roles.includes('User.Read.All') || roles.length === 0) && machineId?.id !== undefined) {
    const id = machineId.id;
    await disableOnForbidden('users', 'logonusers', async () => ({
      note: `${(await api.listLogonUsers(id))?.length ?? 0} users read`,
    }));
  }
  if (roles.includes('Vulnerability.Read.All') || roles.length === 0) {
    await disableOnForbidden('vulnerabilities', 'vulnerabilities', async () => {
      for await (const page of api.listMachineVulnerabilities({ pageSize: 1 }))
        return { note: `${page.items.length} record read` };
      return { note: 'no vulnerability records' };
    });
  }
  if (graphRoles !== undefined) {
    await disableOnForbidden('graphUsers', 'graph', async () => {
      for await (const page of api.listGraphUsers({ pageSize: 1 }))
        return { note: `${page.items.length} user read` };
      return { note: 'no users' };
    });
  }

  const machinesProbe = probes.find((p) => p.family === 'machines');
  const failureCode =
    plan.missingRequired.length > 0
      ? 'MDE_FORBIDDEN'
      : machinesProbe?.ok
        ? undefined
        : ((machinesProbe?.code as ErrorCode | undefined) ?? 'MDE_BAD_RESPONSE');
  return finish({
    roles,
    ...(graphRoles === undefined ? {} : { graphRoles }),
    missingRequired: plan.missingRequired,
    disabledParts,
    probes,
    ...(failureCode === undefined ? {} : { failureCode }),
  });
}

async function graphRolesOf(
  api: CheckableApi,
  probes: ProbeResult[],
): Promise<string[] | undefined> {
  if (api.grantedGraphRoles === undefined) return undefined;
  try {
    const roles = await api.grantedGraphRoles();
    probes.push({
      family: 'graph-token',
      ok: true,
      message: `Graph token issued with roles: ${roles.join(', ') || 'none listed'}`,
    });
    return roles;
  } catch (err) {
    probes.push(failedProbe('graph-token', err));
    return undefined;
  }
}

async function probe<T extends { note: string }>(
  probes: ProbeResult[],
  family: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    const result = await run();
    probes.push({ family, ok: true, message: result.note });
    return result;
  } catch (err) {
    probes.push(failedProbe(family, err));
    return undefined;
  }
}

function failedProbe(family: string, err: unknown): ProbeResult {
  const status = (err as { status?: unknown }).status;
  return {
    family,
    ok: false,
    ...(typeof status === 'number' ? { status } : {}),
    ...(err instanceof ConnectorError ? { code: err.code } : {}),
    message: err instanceof Error ? err.message : String(err),
  };
}

function codeOf(err: unknown): ErrorCode {
  return err instanceof ConnectorError ? err.code : 'MDE_BAD_RESPONSE';
}

function finish(result: Omit<ConnectionCheck, 'ok' | 'verdict'>): ConnectionCheck {
  const ok = result.failureCode === undefined;
  const lines = [ok ? 'OK: the sync can run.' : 'FAILED: the sync cannot run.'];
  if (result.missingRequired.length > 0)
    lines.push(`machines disabled: ${result.missingRequired.join('; ')} missing (required)`);
  for (const part of result.disabledParts) lines.push(`${part.part} disabled: ${part.reason}`);
  for (const p of result.probes) lines.push(`${p.ok ? 'ok  ' : 'FAIL'} ${p.family}: ${p.message}`);
  return { ...result, ok, verdict: lines.join('\n') };
}
