/**
 * Logged-on users → user and account vertices with asset_account, user_account and
 * account_hostname edges. Fixes car-service.md §4.7: accounts are keyed by domain and name
 * (or SID), never by the bare account name, so `administrator` on 5,000 machines stays 5,000
 * different local accounts unless they really are one domain account; account_hostname points
 * at the host name through `_to_external_id`, as the import schema says (§2.3).
 */
import { BatchBuilder } from './batch-builder.ts';
import { isMergedMachine, type MappingContext } from './context.ts';
import { hostnameKey } from './normalise/hostname.ts';
import type { MappedBatch } from './types.ts';
import type { LogonRow, LogonUser } from '../mde/types.ts';
import { toEpochMs } from '../mde/time.ts';

/** One account seen on one device, whatever record it came from. */
interface AccountSighting {
  deviceId: string;
  hostname: string | undefined;
  domain: unknown;
  name: unknown;
  sid: unknown;
  firstSeen: unknown;
  lastSeen: unknown;
  details: Record<string, unknown>;
}

/**
 * The account (and user) external id: `domain\name` lower-cased, else the SID upper-cased;
 * undefined when neither is known, since a bare name would merge unrelated accounts.
 */
export function accountExternalId(
  domain: unknown,
  name: unknown,
  sid: unknown,
): string | undefined {
  const accountDomain = clean(domain);
  const accountName = clean(name);
  if (accountDomain !== undefined && accountName !== undefined) {
    return `${accountDomain}\\${accountName}`.toLowerCase();
  }
  const accountSid = clean(sid);
  if (accountSid !== undefined && /^s-\d+(-\d+)+$/i.test(accountSid))
    return accountSid.toUpperCase();
  return undefined;
}

/** Maps DeviceLogonEvents summary rows. */
export function mapLogonRows(rows: LogonRow[], ctx: MappingContext): MappedBatch {
  const builder = new BatchBuilder(ctx);
  for (const row of rows) {
    const deviceId = clean(row?.DeviceId);
    if (deviceId === undefined) {
      builder.skip('logonRow', 'missingDeviceId');
      continue;
    }
    addSighting(builder, ctx, {
      deviceId,
      hostname: ctx.hostnames?.get(deviceId) ?? hostnameKey(row.DeviceName),
      domain: row.AccountDomain,
      name: row.AccountName,
      sid: row.AccountSid,
      firstSeen: row.FirstSeen,
      lastSeen: row.LastSeen,
      details: { logonType: row.LogonType ?? null, isLocalAdmin: row.IsLocalAdmin ?? null },
    });
  }
  return builder.build();
}

/** Maps `GET /api/machines/{id}/logonusers` for one machine. */
export function mapLogonUsers(
  machineId: string,
  users: LogonUser[],
  ctx: MappingContext,
): MappedBatch {
  const builder = new BatchBuilder(ctx);
  for (const user of users) {
    const [idDomain, idName] = splitQualifiedId(user?.id);
    addSighting(builder, ctx, {
      deviceId: machineId,
      hostname: ctx.hostnames?.get(machineId),
      domain: user?.accountDomain ?? idDomain,
      name: user?.accountName ?? idName,
      sid: user?.accountSid,
      firstSeen: user?.firstSeen,
      lastSeen: user?.lastSeen,
      details: {
        logonTypes: user?.logonTypes ?? null,
        isDomainAdmin: user?.isDomainAdmin ?? null,
        isOnlyNetworkUser: user?.isOnlyNetworkUser ?? null,
      },
    });
  }
  return builder.build();
}

function addSighting(builder: BatchBuilder, ctx: MappingContext, sighting: AccountSighting): void {
  const id = accountExternalId(sighting.domain, sighting.name, sighting.sid);
  if (id === undefined) {
    builder.skip('account', 'noDomainOrSid', sighting.deviceId);
    return;
  }
  // Limitation: sign-ins recorded under a merged machine id are skipped; the survivor's own
  // records carry its current users.
  if (isMergedMachine(ctx, sighting.deviceId)) {
    builder.skip('account', 'mergedMachine', sighting.deviceId);
    return;
  }

  const device = { deviceId: sighting.deviceId, hostname: sighting.hostname };
  const lastAccess = toEpochMs(sighting.lastSeen);
  if (isOlderSighting(ctx, id, lastAccess)) {
    // The account, its user and their edge already carry a newer sign-in from this run.
    addDeviceEdges(builder, id, device);
    return;
  }
  if (lastAccess !== undefined) ctx.accountsSeen?.set(id, lastAccess);

  const properties = {
    accountName: clean(sighting.name) ?? null,
    accountDomain: clean(sighting.domain) ?? null,
    accountSid: clean(sighting.sid) ?? null,
    firstSeen: clean(sighting.firstSeen) ?? null,
    lastSeen: clean(sighting.lastSeen) ?? null,
    ...sighting.details,
  };
  builder.vertex('account', { external_id: id, name: id, active: true, properties });
  builder.vertex('user', {
    external_id: id,
    name: id,
    username: clean(sighting.name) ?? id,
    properties: { kind: 'account-holder', accountSid: properties.accountSid },
  });

  builder.edge(
    'user_account',
    id,
    id,
    true,
    lastAccess === undefined ? {} : { last_access_time: lastAccess },
  );
  addDeviceEdges(builder, id, device);
}

/** The edges that tie an account to the device it was seen on and to its host name. */
function addDeviceEdges(
  builder: BatchBuilder,
  id: string,
  device: { deviceId: string; hostname: string | undefined },
): void {
  builder.edge('asset_account', device.deviceId, id, true);
  if (device.hostname !== undefined) builder.edge('account_hostname', id, device.hostname, true);
}

/**
 * True when this run already wrote the account with a newer sign-in than `lastAccess` (a
 * sighting without a time counts as older once a timed one was written).
 */
function isOlderSighting(ctx: MappingContext, id: string, lastAccess: number | undefined): boolean {
  const newest = ctx.accountsSeen?.get(id);
  if (newest === undefined) return false;
  return lastAccess === undefined || lastAccess < newest;
}

/** `contoso\user-1` → [`contoso`, `user-1`]; anything else → [undefined, undefined]. */
function splitQualifiedId(id: unknown): [string | undefined, string | undefined] {
  if (typeof id !== 'string') return [undefined, undefined];
  const slash = id.indexOf('\\');
  if (slash <= 0 || slash === id.length - 1) return [undefined, undefined];
  return [id.slice(0, slash), id.slice(slash + 1)];
}

function clean(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === '-' ? undefined : trimmed;
}
