import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.ts';
import { runSync } from '../../../src/sync/run.ts';
import { MdeHttpError } from '../../../src/errors.ts';
import { kqlHash } from '../../../src/simulator/kql/hash.ts';
import { deferred, FakeApi, forbidden, machine, MemoryTarget, testConfig } from './doubles.ts';

const NOW = new Date('2024-05-02T12:30:00Z');

function run(api: FakeApi, target: MemoryTarget, sync = {}, at = NOW) {
  return runSync({
    config: testConfig(sync),
    target,
    api,
    logger: silentLogger(),
    now: () => at,
  });
}

function tenant(count: number): FakeApi {
  const api = new FakeApi();
  for (let i = 1; i <= count; i += 1)
    api.machines.push(machine(i, `2024-05-01T0${i % 10}:00:00.1234567Z`));
  return api;
}

describe('runSync with a full import', () => {
  it('writes every machine page and stores the highest lastSeen as the original string', async () => {
    const api = tenant(25);
    const target = new MemoryTarget();
    const summary = await run(api, target, { pageSize: 10 });

    expect(summary).toMatchObject({ outcome: 'ok', mode: 'full', checkpointAdvanced: true });
    expect(summary.entities.machines).toMatchObject({ read: 25, written: 25 });
    expect(summary.apiCalls.machines).toBe(3);
    expect(target.checkpoint?.machinesLastSeen).toBe('2024-05-01T09:00:00.1234567Z');
    expect(target.checkpoint?.lastFullAt).toBe(NOW.toISOString());
    expect(target.deactivations).toEqual([{ kind: 'full' }]);
  });

  it('asks advanced hunting a few times, not once per machine', async () => {
    const api = tenant(3000);
    const target = new MemoryTarget();
    const summary = await run(api, target, { pageSize: 1000 });

    expect(summary.apiCalls.machines).toBe(4);
    expect(summary.apiCalls.hunting).toBeLessThanOrEqual(3 * 2);
  });

  it('splits a hunting answer refused as too large and still covers every class', async () => {
    const api = tenant(10);
    api.huntingError = (q) =>
      q.startsWith('DeviceNetworkInfo') && / in \(/.test(q)
        ? new MdeHttpError('MDE_BAD_REQUEST', 'too large', {
            status: 400,
            apiCode: 'QueryResultTooLarge',
          })
        : undefined;
    const summary = await run(api, new MemoryTarget());
    const network = api.queries.filter((q) => q.startsWith('DeviceNetworkInfo'));
    expect(summary.outcome).toBe('ok');
    expect(network.filter((q) => / == \d+/.test(q))).toHaveLength(16);
  });
});

describe('runSync when something goes wrong', () => {
  it('ends partial, keeps the old checkpoint and deactivates nothing when page 2 fails', async () => {
    const api = tenant(25);
    api.failMachinesPage = {
      page: 2,
      error: new MdeHttpError('MDE_SERVER_ERROR', 'retry budget spent', { status: 503 }),
    };
    const target = new MemoryTarget();
    const summary = await run(api, target, { pageSize: 10 });

    expect(summary).toMatchObject({ outcome: 'partial', errorCode: 'MDE_SERVER_ERROR' });
    expect(summary.checkpointAdvanced).toBe(false);
    expect(target.checkpoint).toBeUndefined();
    expect(target.deactivations).toEqual([]);
  });

  it('defers on a long throttle and resumes from the page it stopped at (B05)', async () => {
    const api = tenant(25);
    api.failMachinesPage = { page: 2, error: deferred() };
    const target = new MemoryTarget();
    const first = await run(api, target, { pageSize: 10 });
    expect(first).toMatchObject({ outcome: 'deferred', resumeAfter: '2024-05-02T13:00:00.000Z' });
    expect(target.checkpoint?.resume).toMatchObject({ phase: 'machines', cursor: { skip: 10 } });

    const early = await run(api, target, { pageSize: 10 });
    expect(early.outcome).toBe('deferred');

    api.failMachinesPage = undefined;
    const writesBefore = api.stats().callsByFamily.machines ?? 0;
    const second = await run(api, target, { pageSize: 10 }, new Date('2024-05-02T13:05:00Z'));
    expect(second.outcome).toBe('ok');
    expect(second.entities.machines?.read).toBe(15);
    expect((api.stats().callsByFamily.machines ?? 0) - writesBefore).toBe(2);
    expect(target.checkpoint?.resume).toBeUndefined();
    expect(target.checkpoint?.machinesLastSeen).toBe('2024-05-01T09:00:00.1234567Z');
  });
});

/** Network rows (one adapter each) of the machines a `hash(DeviceId, m) in (...)` query selects. */
function networkRowsFor(api: FakeApi, query: string): Record<string, unknown>[] {
  const slice = /hash\(DeviceId, (\d+)\) (?:==|in \()([\d, ]+)/.exec(query);
  if (!query.startsWith('DeviceNetworkInfo') || !slice) return [];
  const modulus = Number(slice[1]);
  const residues = new Set((slice[2] ?? '').split(',').map((r) => Number(r.trim())));
  return api.machines
    .filter((m) => residues.has(kqlHash(m.id) % modulus))
    .map((m, i) => ({
      DeviceId: m.id,
      NetworkAdapterName: 'eth0',
      MacAddress: `00:50:56:00:${String(i % 90).padStart(2, '1')}:01`,
      IPAddresses: JSON.stringify([{ IPAddress: `192.0.2.${(i % 250) + 1}` }]),
    }));
}

describe('runSync with advanced hunting asked one answer ahead', () => {
  it('resumes a hunting phase deferred at its second query with every slice still to do', async () => {
    const api = tenant(200);
    api.huntingRows = (query) => networkRowsFor(api, query);
    let networkQueries = 0;
    api.huntingError = (query) =>
      query.startsWith('DeviceNetworkInfo') && ++networkQueries === 2 ? deferred() : undefined;
    const target = new MemoryTarget();
    const sync = { pageSize: 1000, huntingMaxRows: 60 };

    const first = await run(api, target, sync);
    expect(first.outcome).toBe('deferred');
    expect(target.checkpoint?.resume?.phase).toBe('network');

    const second = await run(api, target, sync, new Date('2024-05-02T13:05:00Z'));
    expect(second.outcome).toBe('ok');
    const assetIps = [...target.edges.keys()].filter((key) => key.startsWith('asset_ipaddress'));
    const devicesWithHuntedIp = new Set(
      assetIps.filter((key) => key.includes('192.0.2.')).map((key) => key.split('|')[1]),
    );
    expect(devicesWithHuntedIp).toEqual(new Set(api.machines.map((m) => m.id)));
  });

  it('reads every hunting slice once when nothing fails', async () => {
    const api = tenant(200);
    api.huntingRows = (query) => networkRowsFor(api, query);
    const target = new MemoryTarget();
    const summary = await run(api, target, { pageSize: 1000, huntingMaxRows: 60 });
    expect(summary.outcome).toBe('ok');
    expect(summary.entities.network?.read).toBe(200);
  });
});

describe('runSync with the next hunting phase started early', () => {
  it("asks the next phase's first query before the last answer of a phase is written", async () => {
    const api = tenant(200);
    api.huntingRows = (query) => networkRowsFor(api, query);
    const events: string[] = [];
    const ask = api.runHuntingQuery.bind(api);
    api.runHuntingQuery = (query) => {
      events.push(`ask ${query.split('\n')[0]}`);
      return ask(query);
    };
    const target = new MemoryTarget();
    const write = target.write.bind(target);
    target.write = (batch) => {
      events.push(`write ${Object.keys(batch.edges).sort().join(',')}`);
      return write(batch);
    };
    const summary = await run(api, target, { pageSize: 1000, huntingMaxRows: 60 });

    expect(summary.outcome).toBe('ok');
    const lastNetworkWrite = events.findLastIndex((e) => e.includes('ipaddress_macaddress'));
    const firstVulnerabilityAsk = events.indexOf('ask DeviceTvmSoftwareVulnerabilities');
    const firstNetworkAsk = events.indexOf('ask DeviceNetworkInfo');
    const machinesWrite = events.findIndex((e) => e.includes('asset_hostname'));
    expect(firstVulnerabilityAsk).toBeGreaterThan(-1);
    expect(firstVulnerabilityAsk).toBeLessThan(lastNetworkWrite);
    // A full run asks the network phase once the last machines page has arrived.
    expect(firstNetworkAsk).toBeLessThan(machinesWrite);
    expect(summary.entities.network?.read).toBe(200);
  });

  it('resumes at the network phase when its early first query is deferred', async () => {
    const api = tenant(50);
    api.huntingRows = (query) => networkRowsFor(api, query);
    let network = 0;
    api.huntingError = (query) =>
      query.startsWith('DeviceNetworkInfo') && ++network === 1 ? deferred() : undefined;
    const target = new MemoryTarget();

    const first = await run(api, target, { pageSize: 1000 });
    expect(first.outcome).toBe('deferred');
    expect(target.checkpoint?.resume?.phase).toBe('network');
    expect(first.entities.machines?.written).toBe(50);

    const second = await run(api, target, { pageSize: 1000 }, new Date('2024-05-02T13:05:00Z'));
    expect(second.outcome).toBe('ok');
    expect(second.entities.network?.read).toBe(50);
  });
});

describe('runSync sizing hunting queries by the last run', () => {
  it("stores rows per device and sizes the next full run's first queries with it", async () => {
    const api = tenant(350);
    api.huntingRows = (query) => networkRowsFor(api, query);
    const target = new MemoryTarget();
    const sync = { pageSize: 1000, huntingMaxRows: 100 };

    const first = await run(api, target, sync);
    const firstCalls = api.queries.filter((q) => q.startsWith('DeviceNetworkInfo')).length;
    const stored = (target.checkpoint as { huntingRowsPerDevice?: Record<string, number> })
      .huntingRowsPerDevice;
    const devices = new Set(api.machines.map((m) => m.id)).size;
    expect(stored?.network).toBeCloseTo((first.entities.network?.read ?? 0) / devices, 6);

    api.queries.length = 0;
    const again = await run(api, target, { ...sync }, new Date('2024-05-03T12:30:00Z'));
    expect(again.mode).toBe('full');
    const secondCalls = api.queries.filter((q) => q.startsWith('DeviceNetworkInfo')).length;
    expect(again.entities.network?.read).toBe(350);
    // 350 rows at 97 an answer need 4; the first guess (2 rows per device) makes the first
    // answer half full and costs a fifth.
    expect(firstCalls).toBe(5);
    expect(secondCalls).toBe(4);
  });

  it('ignores a stored rate that is not a positive number', async () => {
    const api = tenant(20);
    api.huntingRows = (query) => networkRowsFor(api, query);
    const target = new MemoryTarget();
    await run(api, target);
    (target.checkpoint as unknown as Record<string, unknown>).huntingRowsPerDevice = {
      network: -1,
      users: 'many',
      vulnerabilities: Number.POSITIVE_INFINITY,
    };
    const again = await run(api, target, {}, new Date('2024-05-03T12:30:00Z'));
    expect(again.outcome).toBe('ok');
    expect(again.entities.network?.read).toBe(20);
  });
});

describe('runSync and permissions (B11)', () => {
  it('imports machines and alerts without the hunting role and reports what it turned off once', async () => {
    const api = tenant(5);
    api.roles = ['Machine.Read.All', 'Alert.Read.All'];
    const summary = await run(api, new MemoryTarget());

    expect(summary.outcome).toBe('ok');
    expect(summary.entities.machines?.written).toBe(5);
    expect(summary.apiCalls.hunting).toBeUndefined();
    expect(summary.disabled.map((d) => d.part).sort()).toEqual([
      'graphUsers',
      'network',
      'users',
      'vulnerabilities',
    ]);
  });

  it('turns a part off after a 403 mid-run and keeps that part out of deactivation', async () => {
    const api = tenant(5);
    api.huntingError = (q) => (q.startsWith('DeviceTvm') ? forbidden() : undefined);
    const target = new MemoryTarget();
    const summary = await run(api, target);

    expect(summary.outcome).toBe('ok');
    expect(summary.disabled.find((d) => d.part === 'vulnerabilities')?.reason).toContain('403');
    expect(target.deactivations[0]).toMatchObject({ kind: 'assets' });
    expect(target.deactivations[0]).not.toMatchObject({
      collections: expect.arrayContaining(['asset_application']),
    });
  });
});

describe('runSync without advanced hunting', () => {
  it('reads logged-on users per machine for at most 100 machines and keeps users of a 404 (B28)', async () => {
    const api = tenant(150);
    api.roles = ['Machine.Read.All', 'User.Read.All'];
    const missing = api.machines[0]?.id as string;
    api.missingLogonMachines.add(missing);
    const target = new MemoryTarget();
    const summary = await run(api, target, { includeUsers: true });

    expect(summary.outcome).toBe('ok');
    expect(summary.apiCalls.logonusers).toBe(100);
    expect(summary.entities.users?.skipped).toEqual({ perMachineLimit: 50, machineNotFound: 1 });
    const [assets, users] = target.deactivations;
    expect(assets).toMatchObject({ kind: 'assets' });
    expect(assets).not.toMatchObject({ collections: expect.arrayContaining(['asset_account']) });
    expect(users).toMatchObject({ kind: 'assets', collections: ['asset_account'] });
    expect(users?.kind === 'assets' && users.assetIds).toHaveLength(99);
    expect(users?.kind === 'assets' && users.assetIds).not.toContain(missing);
  });
});

describe('runSync with an incremental import', () => {
  it('asks for machines seen since the checkpoint minus the overlap (B20)', async () => {
    const api = tenant(5);
    const target = new MemoryTarget();
    await run(api, target);
    api.machines.push(machine(99, '2024-05-02T11:40:00Z'));
    const summary = await run(api, target, {}, new Date('2024-05-02T13:00:00Z'));

    expect(summary.mode).toBe('incremental');
    expect(api.filters.at(-1)).toBe('lastSeen ge 2024-04-30T05:00:00.1234567Z');
    expect(target.checkpoint?.machinesLastSeen).toBe('2024-05-02T11:40:00Z');
    expect(target.deactivations.at(-1)).toMatchObject({ kind: 'assets' });
  });

  it('skips machines the last run wrote with the same lastSeen and reads those that moved (B20)', async () => {
    const api = tenant(5);
    const target = new MemoryTarget();
    await run(api, target);
    const moved = api.machines[2] as (typeof api.machines)[number];
    moved.lastSeen = '2024-05-02T10:00:00Z';
    moved.lastIpAddress = '10.9.9.9';
    const summary = await run(api, target, {}, new Date('2024-05-02T13:00:00Z'));

    expect(summary.entities.machines).toMatchObject({
      read: 5,
      written: 1,
      skipped: { unchanged: 4 },
    });
    expect(target.deactivations.at(-1)).toMatchObject({ kind: 'assets', assetIds: [moved.id] });
    const edges = target.activeEdges('asset_ipaddress').filter((k) => k.includes(moved.id));
    expect(edges.some((k) => k.endsWith('10.9.9.9'))).toBe(true);
  });

  it('writes each alert once across two polls that share a timestamp (B07)', async () => {
    const api = tenant(1);
    const id = api.machines[0]?.id;
    const at = '2024-05-02T09:00:00Z';
    api.alerts.push({ id: 'da-A', machineId: id, status: 'New', lastUpdateTime: at });
    const target = new MemoryTarget();
    await run(api, target);
    expect(target.checkpoint?.alertCursor).toEqual({ time: at, idsAtTime: ['da-A'] });

    api.alerts.push({ id: 'da-B', machineId: id, status: 'New', lastUpdateTime: at });
    const summary = await run(api, target, {}, new Date('2024-05-02T13:00:00Z'));
    expect(summary.entities.alerts?.read).toBe(1);
    expect(target.checkpoint?.alertCursor).toEqual({ time: at, idsAtTime: ['da-A', 'da-B'] });
  });

  it('stores a full import alert cursor past resolved alerts so the next run reads none again', async () => {
    const api = tenant(1);
    const id = api.machines[0]?.id;
    const ms = '2025-06-02T12:00:00.000';
    api.alerts.push(
      { id: 'da-open', machineId: id, status: 'New', lastUpdateTime: `${ms}919Z` },
      { id: 'da-closed1', machineId: id, status: 'Resolved', lastUpdateTime: `${ms}9299Z` },
      { id: 'da-closed2', machineId: id, status: 'Resolved', lastUpdateTime: `${ms}9744Z` },
    );
    const target = new MemoryTarget();
    const full = await run(api, target);
    expect(full.entities.alerts?.read).toBe(1);
    expect(target.checkpoint?.alertCursor).toEqual({
      time: `${ms}9744Z`,
      idsAtTime: ['da-closed2'],
    });

    const again = await run(api, target, {}, new Date('2024-05-02T13:00:00Z'));
    expect(again.mode).toBe('incremental');
    expect(again.entities.alerts).toMatchObject({ read: 0, written: 0 });
  });

  it('changes nothing when run again', async () => {
    const api = tenant(5);
    const target = new MemoryTarget();
    await run(api, target);
    const edges = JSON.stringify([...target.edges].map(([k, e]) => [k, e.active]));
    await run(api, target, {}, new Date('2024-05-02T13:00:00Z'));
    expect(JSON.stringify([...target.edges].map(([k, e]) => [k, e.active]))).toBe(edges);
  });
});

/** A target that confirms each write a little later, as one on another thread or host does. */
class LaterTarget extends MemoryTarget {
  failWrite: number | undefined;
  inFlight = 0;
  mostInFlight = 0;

  override async write(batch: Parameters<MemoryTarget['write']>[0]) {
    const number = this.writes + 1;
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight -= 1;
    if (number === this.failWrite) {
      this.writes += 1;
      throw new Error(`write ${number} failed`);
    }
    return super.write(batch);
  }
}

describe('runSync with a target that confirms writes later', () => {
  it('keeps at most one write in flight and confirms every write before the run ends', async () => {
    const api = tenant(25);
    const target = new LaterTarget();
    const summary = await run(api, target, { pageSize: 10 });
    expect(summary.outcome).toBe('ok');
    expect(target.mostInFlight).toBe(1);
    expect(summary.entities.machines?.written).toBe(25);
    expect(target.checkpoint?.machinesLastSeen).toBeDefined();
  });

  it('ends partial without a resume point when a write fails while the next page is deferred', async () => {
    const api = tenant(25);
    api.failMachinesPage = { page: 3, error: deferred() };
    const target = new LaterTarget();
    target.failWrite = 2;
    const summary = await run(api, target, { pageSize: 10 });
    expect(summary.outcome).toBe('partial');
    expect(summary.reason).toContain('write 2 failed');
    expect(target.checkpoint).toBeUndefined();
    expect(target.deactivations).toEqual([]);
  });

  it('fails when the only write of the run fails', async () => {
    const api = tenant(5);
    const target = new LaterTarget();
    target.failWrite = 1;
    const summary = await run(api, target, { pageSize: 10 });
    expect(summary.outcome).toBe('failed');
    expect(target.checkpoint).toBeUndefined();
    expect(target.deactivations).toEqual([]);
  });
});
