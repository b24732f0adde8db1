/**
 * Which application roles the connector needs and what each optional one enables (DESIGN.md
 * §2, §4; field fault B11). Machines are required; every other part can be switched off by a
 * missing role without failing the machines import. Part names match src/sync/permissions.ts.
 */

export type PartName =
  'machines' | 'alerts' | 'network' | 'users' | 'vulnerabilities' | 'graphUsers';

export interface RoleRule {
  part: PartName;
  /** Any one of these roles enables the part; listed in order of preference. */
  anyOf: readonly string[];
  /** Which token carries the role. */
  token: 'defender' | 'graph';
  /** What the part imports, in user terms. */
  enables: string;
}

/** Without one of these the sync cannot run. */
export const REQUIRED_ROLES: readonly RoleRule[] = [
  {
    part: 'machines',
    anyOf: ['Machine.Read.All', 'Machine.ReadWrite.All'],
    token: 'defender',
    enables: 'machines (assets, host names, IP and MAC addresses from the machine records)',
  },
];

/** Each optional role and the part of the sync it enables; a missing one disables only that part. */
export const OPTIONAL_ROLES: readonly RoleRule[] = [
  {
    part: 'alerts',
    anyOf: ['Alert.Read.All', 'Alert.ReadWrite.All'],
    token: 'defender',
    enables: 'alerts',
  },
  {
    part: 'network',
    anyOf: ['AdvancedQuery.Read.All'],
    token: 'defender',
    enables: 'network adapters via advanced hunting',
  },
  {
    part: 'users',
    anyOf: ['User.Read.All', 'AdvancedQuery.Read.All'],
    token: 'defender',
    enables: 'logged-on users (logonusers, or DeviceLogonEvents via advanced hunting)',
  },
  {
    part: 'vulnerabilities',
    anyOf: ['Vulnerability.Read.All', 'AdvancedQuery.Read.All'],
    token: 'defender',
    enables: 'software vulnerabilities (machinesVulnerabilities, or advanced hunting)',
  },
  {
    part: 'graphUsers',
    anyOf: ['User.Read.All', 'Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
    token: 'graph',
    enables: 'directory users from Microsoft Graph',
  },
];

export interface RolePlan {
  /** Required role groups with none granted, e.g. `Machine.Read.All or Machine.ReadWrite.All`. */
  missingRequired: string[];
  disabledParts: { part: PartName; reason: string }[];
}

/**
 * Maps granted roles to missing required roles and disabled parts, without network. Pass
 * `graphRoles: undefined` when no Graph token could be had: Graph users are then disabled.
 */
export function planFromRoles(
  defenderRoles: readonly string[],
  graphRoles?: readonly string[],
): RolePlan {
  const missingRequired = REQUIRED_ROLES.filter((rule) => !hasAny(defenderRoles, rule.anyOf)).map(
    (rule) => rule.anyOf.join(' or '),
  );
  const disabledParts = OPTIONAL_ROLES.flatMap((rule) => {
    const granted = rule.token === 'graph' ? graphRoles : defenderRoles;
    if (granted !== undefined && hasAny(granted, rule.anyOf)) return [];
    const where = rule.token === 'graph' ? 'Microsoft Graph ' : '';
    const reason =
      granted === undefined
        ? 'no Microsoft Graph token could be obtained'
        : `${where}${rule.anyOf.join(' and ')} ${rule.anyOf.length > 1 ? 'are' : 'is'} missing`;
    return [{ part: rule.part, reason }];
  });
  return { missingRequired, disabledParts };
}

function hasAny(granted: readonly string[], wanted: readonly string[]): boolean {
  return wanted.some((role) => granted.includes(role));
}
