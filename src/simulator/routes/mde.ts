/**
 * Defender REST endpoints over the tenant (mde-api.md §2.1, §2.2, §2.4–§2.6, §2.8): machines
 * (by id or computer name), logged-on users, vulnerabilities, software, alerts with
 * `$expand=evidence`, and the vulnerability lists.
 */
import type { SimContext, SimRequest } from '../context.ts';
import { mdeError } from '../http/errors.ts';
import { odataJson, type SimResponse } from '../http/respond.ts';
import type { AlertEntry } from '../tenant/types.ts';
import {
  ALERT_SPEC,
  contextUrl,
  listPage,
  MACHINE_SPEC,
  MACHINE_VULNERABILITY_SPEC,
  VULNERABILITY_SPEC,
} from './lists.ts';
import {
  ALERT_ROLES,
  MACHINE_ROLES,
  SOFTWARE_ROLES,
  USER_ROLES,
  VULNERABILITY_ROLES,
  type Route,
} from './table.ts';

function machineNotFound(id: string): SimResponse {
  return mdeError(404, 'ResourceNotFound', `Machine ${id} was not found`);
}

function entity(ctx: SimContext, set: string, record: object): SimResponse {
  return odataJson(200, { '@odata.context': contextUrl(ctx, `${set}/$entity`), ...record });
}

function collection(ctx: SimContext, set: string, value: unknown[]): SimResponse {
  return odataJson(200, { '@odata.context': contextUrl(ctx, set), value });
}

function wantsEvidence(req: SimRequest): boolean {
  return (req.url.searchParams.get('$expand') ?? '')
    .toLowerCase()
    .split(',')
    .some((p) => p.trim() === 'evidence');
}

function listMachines(ctx: SimContext, req: SimRequest): SimResponse {
  return listPage(ctx, req, MACHINE_SPEC, () => ctx.tenant.machines, 'Machines');
}

function getMachine(ctx: SimContext, _req: SimRequest, [id = '']: string[]): SimResponse {
  const entry = ctx.tenant.findMachine(id);
  return entry ? entity(ctx, 'Machines', entry.record) : machineNotFound(id);
}

function machineSubResource(kind: 'logonusers' | 'vulnerabilities' | 'software') {
  return (ctx: SimContext, _req: SimRequest, [id = '']: string[]): SimResponse => {
    const entry = ctx.tenant.findMachine(id);
    if (!entry) return machineNotFound(id);
    if (kind === 'logonusers') return collection(ctx, 'Users', ctx.tenant.logonUsers(entry));
    if (kind === 'software') return collection(ctx, 'Software', ctx.tenant.software(entry));
    return collection(
      ctx,
      'Collection(Analytics.Contracts.PublicAPI.PublicVulnerabilityDto)',
      ctx.tenant.machineVulnerabilities(entry),
    );
  };
}

function listAlerts(ctx: SimContext, req: SimRequest): SimResponse {
  const expand = wantsEvidence(req)
    ? (e: AlertEntry) => ctx.tenant.withEvidence(e)
    : (e: AlertEntry) => e.record;
  // Filtering and ordering work on the records; evidence is derived only for the page sent.
  return listPage(
    ctx,
    req,
    ALERT_SPEC,
    () => ctx.tenant.alerts,
    'Alerts',
    (record) => expand(ctx.tenant.alertEntryOf(record) as AlertEntry),
  );
}

function getAlert(ctx: SimContext, req: SimRequest, [id = '']: string[]): SimResponse {
  const entry = ctx.tenant.findAlert(id);
  if (!entry) return mdeError(404, 'ResourceNotFound', `Alert ${id} was not found`);
  return entity(ctx, 'Alerts', wantsEvidence(req) ? ctx.tenant.withEvidence(entry) : entry.record);
}

function listMachineVulnerabilities(ctx: SimContext, req: SimRequest): SimResponse {
  return listPage(
    ctx,
    req,
    MACHINE_VULNERABILITY_SPEC,
    () => ctx.tenant.machineVulnerabilityPairs(),
    'Collection(microsoft.windowsDefenderATP.api.PublicAssetVulnerabilityDto)',
  );
}

function listVulnerabilities(ctx: SimContext, req: SimRequest): SimResponse {
  return listPage(
    ctx,
    req,
    VULNERABILITY_SPEC,
    () => ctx.tenant.vulnerabilityList(),
    'Vulnerabilities',
  );
}

function getVulnerability(ctx: SimContext, _req: SimRequest, [id = '']: string[]): SimResponse {
  const found = ctx.tenant.vulnerabilityList().find((v) => v.id.toLowerCase() === id.toLowerCase());
  return found
    ? entity(ctx, 'Vulnerabilities', found)
    : mdeError(404, 'ResourceNotFound', `Vulnerability ${id} was not found`);
}

const mde = (
  method: 'GET' | 'POST',
  pattern: RegExp,
  family: Route['family'],
  roles: readonly string[],
  handle: Route['handle'],
): Route => ({
  method,
  pattern,
  api: 'mde',
  family,
  statsFamily: family ?? 'vulnerabilities',
  roles,
  handle,
});

// Limitation: the software-vulnerability export family (SoftwareVulnerabilitiesByMachine,
// …Export, …ChangesByMachine) and machine actions are not served; they answer 404.
export const MDE_ROUTES: Route[] = [
  mde('GET', /^\/api\/machines\/?$/i, 'machines', MACHINE_ROLES, listMachines),
  mde(
    'GET',
    /^\/api\/machines\/([^/]+)\/logonusers\/?$/i,
    'logonusers',
    USER_ROLES,
    machineSubResource('logonusers'),
  ),
  mde(
    'GET',
    /^\/api\/machines\/([^/]+)\/vulnerabilities\/?$/i,
    'vulnerabilities',
    VULNERABILITY_ROLES,
    machineSubResource('vulnerabilities'),
  ),
  mde(
    'GET',
    /^\/api\/machines\/([^/]+)\/software\/?$/i,
    'vulnerabilities',
    SOFTWARE_ROLES,
    machineSubResource('software'),
  ),
  mde('GET', /^\/api\/machines\/([^/]+)\/?$/i, 'machines', MACHINE_ROLES, getMachine),
  mde('GET', /^\/api\/alerts\/?$/i, 'alerts', ALERT_ROLES, listAlerts),
  mde('GET', /^\/api\/alerts\/([^/]+)\/?$/i, 'alerts', ALERT_ROLES, getAlert),
  mde(
    'GET',
    /^\/api\/vulnerabilities\/machinesVulnerabilities\/?$/i,
    'vulnerabilities',
    VULNERABILITY_ROLES,
    listMachineVulnerabilities,
  ),
  mde(
    'GET',
    /^\/api\/vulnerabilities\/?$/i,
    'vulnerabilities',
    VULNERABILITY_ROLES,
    listVulnerabilities,
  ),
  mde(
    'GET',
    /^\/api\/vulnerabilities\/([^/]+)\/?$/i,
    'vulnerabilities',
    VULNERABILITY_ROLES,
    getVulnerability,
  ),
];
