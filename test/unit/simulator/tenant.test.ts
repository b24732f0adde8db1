import { describe, expect, it } from 'vitest';
import { advanceTenant } from '../../../src/simulator/tenant/advance.ts';
import { Tenant } from '../../../src/simulator/tenant/tenant.ts';

const NOW = Date.parse('2025-06-02T12:00:00Z');
const make = (seed: number, machines: number): Tenant =>
  new Tenant({ seed, machines, nowMs: NOW, tenantId: '00000000-0000-4000-8000-000000000000' });

describe('tenant generation', () => {
  it('generates the same tenant from the same seed, record for record', () => {
    const a = make(42, 300);
    const b = make(42, 300);
    expect(JSON.stringify(a.machines)).toBe(JSON.stringify(b.machines));
    expect(JSON.stringify(a.alerts)).toBe(JSON.stringify(b.alerts));
    expect(JSON.stringify(a.users)).toBe(JSON.stringify(b.users));
    expect(
      JSON.stringify(a.tables.get('DeviceNetworkInfo')?.rows, (_k, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v,
      ),
    ).toBe(
      JSON.stringify(b.tables.get('DeviceNetworkInfo')?.rows, (_k, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v,
      ),
    );
  });

  it('generates a different tenant from another seed', () => {
    expect(make(1, 50).machines[0]?.id).not.toBe(make(2, 50).machines[0]?.id);
  });

  it('generates exactly the requested number of machines with unique ids', () => {
    const tenant = make(3, 5000);
    expect(tenant.machines).toHaveLength(5000);
    expect(new Set(tenant.machines.map((m) => m.id)).size).toBe(5000);
    expect(tenant.users.length).toBeGreaterThan(0);
  });
});

describe('the quirks of real tenants appear in a generated one', () => {
  const tenant = make(11, 5000);
  const machines = tenant.machines;
  const ips = machines.flatMap((m) => m.ipAddresses ?? []);

  it('has duplicate host names, merged records and potential duplicates (about 2%)', () => {
    const byName = new Map<string, number>();
    for (const m of machines)
      byName.set(m.computerDnsName ?? '', (byName.get(m.computerDnsName ?? '') ?? 0) + 1);
    const duplicated = [...byName.values()].filter((n) => n > 1).length;
    expect(duplicated).toBeGreaterThan(50);
    expect(duplicated).toBeLessThan(200);
    const merged = machines.filter((m) => m.mergedIntoMachineId);
    expect(merged.length).toBeGreaterThan(10);
    for (const m of merged)
      expect(machines.find((s) => s.id === m.mergedIntoMachineId)?.computerDnsName).toBe(
        m.computerDnsName,
      );
    expect(machines.some((m) => m.isPotentialDuplication)).toBe(true);
  });

  it('has null, empty, "-" , 0.0.0.0 and public lastIpAddress values', () => {
    const values = new Set(machines.map((m) => m.lastIpAddress));
    for (const odd of [null, '', '-', '0.0.0.0']) expect(values.has(odd)).toBe(true);
    expect(
      machines.some((m) => /^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(m.lastIpAddress ?? '')),
    ).toBe(true);
  });

  it('has global and link-local IPv6, APIPA, loopback and empty adapter addresses', () => {
    const addresses = ips.map((ip) => ip.ipAddress ?? '');
    expect(addresses.some((a) => a.startsWith('2001:db8:'))).toBe(true);
    expect(addresses.some((a) => a.startsWith('fe80::'))).toBe(true);
    expect(addresses.some((a) => a.startsWith('169.254.'))).toBe(true);
    expect(addresses).toContain('127.0.0.1');
    expect(addresses).toContain('::1');
    expect(addresses).toContain('');
    expect(ips.some((ip) => ip.macAddress === null)).toBe(true);
    expect(ips.some((ip) => ip.macAddress === '000000000000')).toBe(true);
  });

  it('has every health, onboarding, risk, exposure and device-value state', () => {
    const seen = (key: string): Set<unknown> => new Set(machines.map((m) => m[key]));
    for (const h of [
      'Active',
      'Inactive',
      'ImpairedCommunication',
      'NoSensorData',
      'NoSensorDataImpairedCommunication',
      'Unknown',
    ])
      expect(seen('healthStatus')).toContain(h);
    for (const o of ['Onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo'])
      expect(seen('onboardingStatus')).toContain(o);
    for (const r of ['None', 'Informational', 'Low', 'Medium', 'High', null])
      expect(seen('riskScore')).toContain(r);
    for (const e of ['None', 'Low', 'Medium', 'High', null])
      expect(seen('exposureLevel')).toContain(e);
    for (const v of ['Normal', 'Low', 'High', null]) expect(seen('deviceValue')).toContain(v);
    for (const m of machines.filter((x) => x.onboardingStatus !== 'Onboarded'))
      expect(m.riskScore).toBe('None');
  });

  it('has REST timestamps with every count of fractional digits from 0 to 7', () => {
    const digits = new Set(
      machines.map((m) => /\.(\d+)Z$/.exec(m.lastSeen ?? '')?.[1]?.length ?? 0),
    );
    expect([...digits].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('has alerts of every status and severity, some without evidence', () => {
    const statuses = new Set(tenant.alerts.map((a) => a.status));
    const severities = new Set(tenant.alerts.map((a) => a.severity));
    for (const s of ['New', 'InProgress', 'Resolved', 'Unknown']) expect(statuses).toContain(s);
    for (const s of ['UnSpecified', 'Informational', 'Low', 'Medium', 'High'])
      expect(severities).toContain(s);
    expect(tenant.alertEntries.some((e) => e.evidenceCount === 0)).toBe(true);
    expect(tenant.alertEntries.some((e) => e.evidenceCount > 0)).toBe(true);
    const alerted = new Set(tenant.alerts.map((a) => a.machineId)).size;
    expect(alerted / machines.length).toBeGreaterThan(0.1);
    expect(alerted / machines.length).toBeLessThan(0.3);
  });
});

describe('advanced-hunting tables agree with the REST records', () => {
  const tenant = make(5, 600);

  it('lists in DeviceNetworkInfo every non-empty adapter address of every machine', () => {
    const rows = tenant.tables.get('DeviceNetworkInfo')?.rows ?? [];
    const huntingIps = new Map<string, Set<string>>();
    for (const row of rows) {
      const set = huntingIps.get(row.DeviceId as string) ?? new Set<string>();
      for (const a of row.IPAddresses as { IPAddress: string }[]) set.add(a.IPAddress);
      huntingIps.set(row.DeviceId as string, set);
    }
    for (const m of tenant.machines) {
      for (const ip of m.ipAddresses ?? []) {
        if (!ip.ipAddress || (ip.type === 'SoftwareLoopback' && ip.macAddress === null)) continue;
        expect(huntingIps.get(m.id)?.has(ip.ipAddress), `${m.id} ${ip.ipAddress}`).toBe(true);
      }
    }
  });

  it('spells MACs plain, dashed, all-zero and with 16 digits, and carries ReportIds beyond 2^53', () => {
    const macs = (tenant.tables.get('DeviceNetworkInfo')?.rows ?? []).map(
      (r) => r.MacAddress as string,
    );
    expect(macs.some((m) => /^[0-9A-F]{12}$/.test(m))).toBe(true);
    expect(
      macs.some((m) => /^([0-9A-F]{2}-){5}[0-9A-F]{2}$/.test(m) && m !== '00-00-00-00-00-00'),
    ).toBe(true);
    expect(macs).toContain('00-00-00-00-00-00');
    expect(macs).toContain('00000000000000E0');
    const reportIds = (tenant.tables.get('DeviceNetworkInfo')?.rows ?? []).map((r) => r.ReportId);
    expect(reportIds.some((id) => typeof id === 'bigint' && id > 2n ** 53n)).toBe(true);
  });

  it('answers the legacy table names with the legacy column names', () => {
    const legacy = tenant.tables.get('MachineInfo');
    expect(legacy?.columns.map((c) => c.name)).toContain('MachineId');
    expect(legacy?.columns.map((c) => c.name)).toContain('EventTime');
    expect(legacy?.rows[0]).toHaveProperty('ComputerName');
    expect(tenant.tables.get('LogonEvents')?.rows.length).toBe(
      tenant.tables.get('DeviceLogonEvents')?.rows.length,
    );
    expect(tenant.tables.get('AlertEvents')?.rows.length).toBe(tenant.alerts.length);
    expect(tenant.tables.get('NoSuchTable')).toBeUndefined();
  });

  it('writes 7 fractional digits in every hunting timestamp', () => {
    const info = tenant.tables.get('DeviceInfo');
    for (const row of info?.rows ?? []) expect(row.Timestamp).toMatch(/\.\d{7}Z$/);
  });
});

describe('advancing the clock', () => {
  it('changes the tenant the same way for the same seed and interval', () => {
    const a = make(9, 2000);
    const b = make(9, 2000);
    const sa = advanceTenant(a, NOW, NOW + 3_600_000);
    const sb = advanceTenant(b, NOW, NOW + 3_600_000);
    expect(sa).toEqual(sb);
    expect(JSON.stringify(a.machines)).toBe(JSON.stringify(b.machines));
  });

  it('dates every machine an advance onboards inside the advanced interval', () => {
    const tenant = make(7, 2000);
    const before = new Set(tenant.machineEntries.map((e) => e.record.id));
    const to = NOW + 6 * 3_600_000;
    const summary = advanceTenant(tenant, NOW, to);
    const added = tenant.machineEntries.filter((e) => !before.has(e.record.id));
    expect(added.length).toBe(summary.newMachines);
    expect(added.length).toBeGreaterThan(0);
    for (const { record, lastSeenMs } of added) {
      // The text may drop sub-second digits, so it can read up to one second before the instant.
      const lastSeen = Date.parse(record.lastSeen ?? '');
      expect(lastSeenMs).toBeGreaterThan(NOW);
      expect(lastSeenMs).toBeLessThanOrEqual(to);
      expect(lastSeen).toBeGreaterThan(NOW - 1000);
      expect(lastSeen).toBeLessThanOrEqual(to);
      expect(record.firstSeen).toBe(record.lastSeen);
      expect(record.healthStatus).toBe('Active');
    }
  });

  it('moves lastSeen, replaces IPs, adds machines, resolves alerts and removes a few machines', () => {
    const tenant = make(9, 2000);
    const before = new Map(
      tenant.machines.map((m) => [m.id, { lastSeen: m.lastSeen, ip: m.lastIpAddress }]),
    );
    const openBefore = tenant.alerts.filter((a) => a.status !== 'Resolved').length;
    const summary = advanceTenant(tenant, NOW, NOW + 86_400_000);
    expect(summary.seenAgain).toBe(20);
    const moved = tenant.machines.filter(
      (m) => before.has(m.id) && before.get(m.id)?.lastSeen !== m.lastSeen,
    );
    expect(moved.length).toBe(20);
    for (const m of moved) expect(Date.parse(m.lastSeen ?? '')).toBeGreaterThan(NOW);
    expect(tenant.machines.filter((m) => !before.has(m.id)).length).toBe(summary.newMachines);
    expect(summary.newMachines).toBeGreaterThan(0);
    expect(summary.vanished).toBeGreaterThan(0);
    expect(tenant.machines.length).toBe(2000 + summary.newMachines - summary.vanished);
    expect(
      tenant.alerts.filter((a) => Date.parse(a.lastUpdateTime ?? '') > NOW).length,
    ).toBeGreaterThan(0);
    expect(tenant.alerts.filter((a) => a.status !== 'Resolved').length).toBeLessThan(
      openBefore + summary.newAlerts,
    );
  });
});
