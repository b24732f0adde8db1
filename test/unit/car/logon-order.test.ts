import { describe, expect, it } from 'vitest';
import { mapLogonRows } from '../../../src/car/map-logons.ts';
import type { GraphBatch } from '../../../src/car/types.ts';
import type { LogonRow } from '../../../src/mde/types.ts';
import { testContext, vertex } from './helpers.ts';

const D1 = 'aaaa0000000000000000000000000000000001';
const D2 = 'aaaa0000000000000000000000000000000002';
const ACCOUNT = 'contoso\\jolsen';

const newer: LogonRow = {
  DeviceId: D1,
  AccountDomain: 'contoso',
  AccountName: 'jolsen',
  LastSeen: '2025-05-31T01:13:58Z',
  LogonType: 'Interactive',
  IsLocalAdmin: false,
};
const older: LogonRow = {
  DeviceId: D2,
  AccountDomain: 'contoso',
  AccountName: 'jolsen',
  LastSeen: '2025-03-01T00:48:06Z',
  LogonType: 'Network',
  IsLocalAdmin: true,
};

/** What a store holding the batches in order keeps: vertex properties merged, edges replaced. */
function applied(batches: GraphBatch[]): {
  account: unknown;
  lastAccess: unknown;
  devices: string[];
} {
  let account: Record<string, unknown> = {};
  let lastAccess: unknown;
  const devices = new Set<string>();
  for (const batch of batches) {
    const v = vertex(batch, 'account', ACCOUNT);
    if (v) account = { ...account, ...(v.properties as Record<string, unknown>) };
    for (const e of batch.edges.user_account ?? []) lastAccess = e.last_access_time;
    for (const e of batch.edges.asset_account ?? []) devices.add(String(e._from_external_id));
  }
  return { account, lastAccess, devices: [...devices].sort() };
}

describe('logged-on users read in several answers', () => {
  it('keeps the newest sign-in of a shared account whatever order the answers come in', () => {
    const orders: LogonRow[][][] = [
      [[newer], [older]],
      [[older], [newer]],
      [[newer, older]],
      [[older, newer]],
    ];
    const results = orders.map((answers) => {
      const ctx = testContext({ accountsSeen: new Map() });
      return applied(answers.map((rows) => mapLogonRows(rows, ctx).batch));
    });
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]).toMatchObject({
      account: { lastSeen: '2025-05-31T01:13:58Z', logonType: 'Interactive', isLocalAdmin: false },
      lastAccess: Date.parse('2025-05-31T01:13:58Z'),
      devices: [D1, D2],
    });
  });

  it('still links the device of an older sign-in to the account', () => {
    const ctx = testContext({ accountsSeen: new Map() });
    mapLogonRows([newer], ctx);
    const { batch } = mapLogonRows([older], ctx);
    expect(vertex(batch, 'account', ACCOUNT)).toBeUndefined();
    expect(batch.edges.user_account ?? []).toEqual([]);
    expect((batch.edges.asset_account ?? []).map((e) => e._from_external_id)).toEqual([D2]);
  });
});
