/**
 * Permissions decide the plan (DESIGN.md §4, field fault B11): the roles granted in the token
 * are read once, and each optional part of the sync runs only when a role that allows it is
 * present. A missing optional role disables that part, is reported once in the summary, and
 * never stops the machines import. A 403 from an optional part mid-run disables it the same way.
 */
import type { SyncConfig } from '../config/types.ts';
import { OPTIONAL_ROLES, REQUIRED_ROLES } from '../mde/roles.ts';

/** The optional parts of a sync; machines are always read. */
export type SyncPart = 'network' | 'users' | 'vulnerabilities' | 'alerts' | 'graphUsers';

/** How each enrichment is fetched, given the roles. */
export interface PartPlan {
  /** Parts that run, with how they fetch. */
  network: 'hunting' | 'off';
  users: 'hunting' | 'perMachine' | 'off';
  vulnerabilities: 'hunting' | 'bulkList' | 'off';
  alerts: 'on' | 'off';
  graphUsers: 'on' | 'off';
  /** Why parts are off (missing role or configuration), one line each. */
  disabled: { part: SyncPart; reason: string }[];
}

const HUNTING = ['AdvancedQuery.Read.All', 'AdvancedQuery.Read'];
const ALERTS = ['Alert.Read.All', 'Alert.ReadWrite.All', 'Alert.Read', 'Alert.ReadWrite'];
const LOGON_USERS = ['User.Read.All'];
const VULNERABILITIES = ['Vulnerability.Read.All', 'Vulnerability.Read'];

/** Roles that allow reading machines (src/mde/roles.ts); without one the run cannot start. */
export const MACHINE_ROLES: readonly string[] = REQUIRED_ROLES.flatMap((rule) => rule.anyOf);

/** Graph roles that allow listing users (src/mde/roles.ts). */
export const GRAPH_USER_ROLES: readonly string[] =
  OPTIONAL_ROLES.find((rule) => rule.part === 'graphUsers')?.anyOf ?? [];

/**
 * Maps granted roles and the include switches to a plan. An empty role list means the token
 * carried no `roles` claim (or it could not be read): every part is then attempted and a 403
 * turns the part off mid-run.
 */
export function planParts(granted: string[], sync: SyncConfig): PartPlan {
  const isUnknown = granted.length === 0;
  const has = (roles: string[]): boolean => isUnknown || roles.some((r) => granted.includes(r));
  const plan: PartPlan = {
    network: 'off',
    users: 'off',
    vulnerabilities: 'off',
    alerts: 'off',
    graphUsers: 'off',
    disabled: [],
  };
  const off = (part: SyncPart, reason: string): void => {
    plan.disabled.push({ part, reason });
  };

  if (has(HUNTING)) plan.network = 'hunting';
  else off('network', missing(HUNTING, 'adapters come from the machine records only'));

  if (!sync.includeUsers) off('users', 'turned off in the configuration (sync.includeUsers)');
  else if (has(HUNTING)) plan.users = 'hunting';
  else if (has(LOGON_USERS)) plan.users = 'perMachine';
  else off('users', missing([...HUNTING, ...LOGON_USERS], 'logged-on users are not imported'));

  if (!sync.includeVulnerabilities) {
    off('vulnerabilities', 'turned off in the configuration (sync.includeVulnerabilities)');
  } else if (has(HUNTING)) plan.vulnerabilities = 'hunting';
  else if (has(VULNERABILITIES)) plan.vulnerabilities = 'bulkList';
  else off('vulnerabilities', missing([...HUNTING, ...VULNERABILITIES], 'no vulnerabilities'));

  if (!sync.includeAlerts) off('alerts', 'turned off in the configuration (sync.includeAlerts)');
  else if (has(ALERTS)) plan.alerts = 'on';
  else off('alerts', missing(ALERTS, 'alerts are not imported'));

  // Graph roles live in a separate Graph token; the caller checks them (graphPart) and a 401
  // or 403 mid-run turns the part off too.
  if (sync.includeUsers) plan.graphUsers = 'on';
  else off('graphUsers', 'turned off in the configuration (sync.includeUsers)');
  return plan;
}

/** True when the machines listing is allowed (or the roles are unknown). */
export function canReadMachines(granted: string[]): boolean {
  return granted.length === 0 || MACHINE_ROLES.some((r) => granted.includes(r));
}

function missing(roles: string[], effect: string): string {
  return `missing role ${roles.join(' or ')}: ${effect}`;
}

/** Whether Graph users can be listed, given the Graph token's roles (undefined: no token). */
export function graphPart(graphRoles: string[] | undefined): { ok: boolean; reason: string } {
  if (graphRoles === undefined) {
    return {
      ok: false,
      reason: 'no Microsoft Graph token could be obtained: directory users are not imported',
    };
  }
  if (graphRoles.length === 0 || GRAPH_USER_ROLES.some((r) => graphRoles.includes(r))) {
    return { ok: true, reason: '' };
  }
  return { ok: false, reason: missing([...GRAPH_USER_ROLES], 'directory users are not imported') };
}
