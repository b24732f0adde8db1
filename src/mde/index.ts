/** The Defender client module's public surface. */
export { createDefenderClient, type DefenderClient, type DefenderClientOptions } from './client.ts';
export {
  checkConnection,
  type ConnectionCheck,
  type CheckOptions,
  type ProbeResult,
} from './connection-check.ts';
export {
  REQUIRED_ROLES,
  OPTIONAL_ROLES,
  planFromRoles,
  type PartName,
  type RoleRule,
  type RolePlan,
} from './roles.ts';
export { QUOTAS } from './quota.ts';
export { decodeJwtClaims, rolesOf, type TokenClaims } from './jwt.ts';
export type * from './api.ts';
