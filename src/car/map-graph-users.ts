/**
 * Microsoft Graph users (`/v1.0/users`, mde-api.md §2.9) → CAR user vertices with the person's
 * names, UPN, mail and job data. The user is keyed by the Entra object id (a GUID, unique in the
 * tenant), never by display name.
 */
import { BatchBuilder } from './batch-builder.ts';
import type { MappingContext } from './context.ts';
import type { MappedBatch, VertexRecord } from './types.ts';
import type { GraphUser } from '../mde/types.ts';

/** Graph user fields copied onto CAR user fields of the same meaning. */
const FIELD_MAP: [keyof GraphUser, string][] = [
  ['displayName', 'fullname'],
  ['givenName', 'given_name'],
  ['surname', 'family_name'],
  ['jobTitle', 'job_title'],
  ['mail', 'email'],
  ['userPrincipalName', 'upn'],
  ['department', 'department'],
  ['employeeId', 'employee_id'],
];

/** Maps a page of Graph users; users without an id are skipped and counted. */
export function mapGraphUsers(users: GraphUser[], ctx: MappingContext): MappedBatch {
  const builder = new BatchBuilder(ctx);
  for (const user of users) {
    if (typeof user?.id !== 'string' || user.id.trim() === '') {
      builder.skip('graphUser', 'missingId');
      continue;
    }
    builder.vertex('user', userRecord(user));
  }
  return builder.build();
}

// Limitation: Graph users are not linked to the `domain\name` accounts seen on devices, because
// Graph gives the DNS domain (contoso.com) while sign-ins give the NetBIOS domain (CONTOSO) and
// guessing one from the other would link the wrong people. The SID is kept for later matching.
function userRecord(user: GraphUser): VertexRecord {
  const record: VertexRecord = {
    external_id: user.id.trim().toLowerCase(),
    name: user.userPrincipalName ?? user.displayName ?? user.id,
    properties: {
      kind: 'entra-user',
      onPremisesSamAccountName: user.onPremisesSamAccountName ?? null,
      onPremisesDomainName: user.onPremisesDomainName ?? null,
      onPremisesSecurityIdentifier: user.onPremisesSecurityIdentifier ?? null,
    },
  };
  for (const [from, to] of FIELD_MAP) {
    const value = user[from];
    if (typeof value === 'string' && value.trim() !== '') record[to] = value;
  }
  if (typeof user.userPrincipalName === 'string') {
    record.username = user.userPrincipalName.split('@')[0];
  }
  if (typeof user.accountEnabled === 'boolean') record.active = user.accountEnabled;
  return record;
}
