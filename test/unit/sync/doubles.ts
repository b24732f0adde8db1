/**
 * Hand-written stand-ins for the sync engine's two dependencies, for unit tests of the
 * orchestration: a Defender API over arrays, and a graph target over maps that follows the
 * target contract (edges remember the run that last reported them).
 */
import { MdeDeferredError, MdeHttpError } from '../../../src/errors.ts';
import type {
  AlertPage,
  ClientStats,
  DefenderApi,
  ListAlertsOptions,
  ListMachinesOptions,
  Page,
} from '../../../src/mde/api.ts';
import type {
  Alert,
  EndpointFamily,
  HuntingResult,
  LogonUser,
  Machine,
} from '../../../src/mde/types.ts';
import { compareMdeTime } from '../../../src/mde/time.ts';
import type { GraphBatch } from '../../../src/car/types.ts';
import type {
  Checkpoint,
  CollectionCounts,
  DeactivationScope,
  FinishRun,
  GraphTarget,
  RunStart,
  StoredRun,
} from '../../../src/targets/target.ts';
import type { AppConfig } from '../../../src/config/types.ts';
import { DEFAULTS } from '../../../src/config/defaults.ts';

export function testConfig(sync: Partial<AppConfig['sync']> = {}): AppConfig {
  return {
    connection: {
      name: 'mde-test',
      description: '',
      frequencyMinutes: 60,
      hostPort: 443,
      configurations: [],
    },
    http: {
      connectTimeoutMs: 1000,
      headersTimeoutMs: 1000,
      bodyTimeoutMs: 1000,
      maxRetryWaitSeconds: 300,
      retryBudget: 5,
    },
    sync: {
      ...DEFAULTS.sync,
      includeUsers: false,
      huntingMaxRows: 90_000,
      ...sync,
    },
    target: { kind: 'embedded', dbPath: ':memory:', car: { pageSize: 2000, timeoutMs: 1000 } },
    log: { level: 'silent' },
  };
}

/** A machine with a 40-hex id from its number. */
export function machine(
  n: number,
  lastSeen = '2024-05-01T00:00:00Z',
  extra: Partial<Machine> = {},
): Machine {
  return {
    id: n.toString(16).padStart(40, 'a'),
    computerDnsName: `host-${n}.example.test`,
    lastSeen,
    onboardingStatus: 'Onboarded',
    healthStatus: 'Active',
    lastIpAddress: `10.0.${Math.floor(n / 250)}.${(n % 250) + 1}`,
    ...extra,
  };
}

export class FakeApi implements DefenderApi {
  roles: string[] = ['Machine.Read.All', 'Alert.Read.All', 'AdvancedQuery.Read.All'];
  machines: Machine[] = [];
  alerts: Alert[] = [];
  filters: (string | undefined)[] = [];
  queries: string[] = [];
  /** Throw this before serving the machines page with this number (1-based). */
  failMachinesPage: { page: number; error: Error } | undefined;
  huntingRows: (query: string) => Record<string, unknown>[] = () => [];
  huntingError: ((query: string) => Error | undefined) | undefined;
  private readonly calls: Partial<Record<EndpointFamily, number>> = {};

  async grantedRoles(): Promise<string[]> {
    return this.roles;
  }

  async *listMachines(options: ListMachinesOptions = {}): AsyncIterable<Page<Machine>> {
    this.filters.push(options.filter);
    const since = options.filter?.replace(/^lastSeen ge /, '');
    const rows = this.machines.filter((m) => !since || compareMdeTime(m.lastSeen, since) >= 0);
    const size = options.pageSize ?? 10_000;
    for (let skip = options.resume?.skip ?? 0, page = skip / size + 1; ; skip += size, page += 1) {
      if (this.failMachinesPage?.page === page) throw this.failMachinesPage.error;
      this.count('machines');
      const items = rows.slice(skip, skip + size);
      const isLast = items.length < size;
      yield {
        items,
        pageNumber: page,
        cursor: isLast ? undefined : { skip: skip + size },
        duplicatesDropped: 0,
      };
      if (isLast) return;
    }
  }

  async *listAlerts(options: ListAlertsOptions = {}): AsyncIterable<AlertPage> {
    this.count('alerts');
    const items = this.alerts.filter((a) =>
      options.since
        ? compareMdeTime(a.lastUpdateTime, options.since.time) >= 0 &&
          !options.since.idsAtTime.includes(a.id)
        : !options.statuses || options.statuses.includes(a.status ?? ''),
    );
    const last = items.at(-1);
    const time = last?.lastUpdateTime ?? undefined;
    const nextCursor = time
      ? { time, idsAtTime: items.filter((a) => a.lastUpdateTime === time).map((a) => a.id) }
      : undefined;
    yield { items, pageNumber: 1, cursor: undefined, duplicatesDropped: 0, nextCursor };
  }

  async runHuntingQuery(query: string): Promise<HuntingResult> {
    this.count('hunting');
    this.queries.push(query);
    const error = this.huntingError?.(query);
    if (error) throw error;
    return { Schema: [], Results: this.huntingRows(query) };
  }

  /** Machine ids whose logged-on users answer 404 (B28). */
  missingLogonMachines = new Set<string>();

  async listLogonUsers(machineId: string): Promise<LogonUser[] | undefined> {
    this.count('logonusers');
    if (this.missingLogonMachines.has(machineId)) return undefined;
    return [
      { accountName: `user-${machineId.slice(-3)}`, accountDomain: 'contoso', accountSid: null },
    ];
  }

  async *listMachineVulnerabilities(): AsyncIterable<Page<never>> {
    this.count('vulnerabilities');
    yield { items: [], pageNumber: 1, cursor: undefined, duplicatesDropped: 0 };
  }

  async *listGraphUsers(): AsyncIterable<Page<never>> {
    this.count('graph');
    yield { items: [], pageNumber: 1, cursor: undefined, duplicatesDropped: 0 };
  }

  stats(): ClientStats {
    return {
      callsByFamily: { ...this.calls },
      throttleWaits: 0,
      throttleWaitMs: 0,
      retries: 0,
      bytesReceived: 0,
      tokenRefreshes: 0,
    };
  }

  async close(): Promise<void> {}

  private count(family: EndpointFamily): void {
    this.calls[family] = (this.calls[family] ?? 0) + 1;
  }
}

export function forbidden(): MdeHttpError {
  return new MdeHttpError('MDE_FORBIDDEN', 'missing role', { status: 403, apiCode: 'Forbidden' });
}

export function deferred(): MdeDeferredError {
  return new MdeDeferredError('quota exhausted', { resumeAfter: new Date('2024-05-02T13:00:00Z') });
}

interface StoredEdge {
  active: boolean;
  runId: string;
}

/** The graph in maps; edges keyed `collection|from|to`. */
export class MemoryTarget implements GraphTarget {
  readonly kind = 'memory';
  checkpoint: Checkpoint | undefined;
  readonly vertices = new Map<string, Record<string, unknown>>();
  readonly edges = new Map<string, StoredEdge>();
  readonly runs: StoredRun[] = [];
  finishes: FinishRun[] = [];
  deactivations: DeactivationScope[] = [];
  writes = 0;
  private runId = '';

  async getCheckpoint(): Promise<Checkpoint | undefined> {
    return this.checkpoint;
  }

  async beginRun(run: RunStart): Promise<void> {
    this.runId = run.runId;
  }

  async write(batch: GraphBatch): Promise<CollectionCounts> {
    this.writes += 1;
    const counts: CollectionCounts = {};
    for (const [collection, records] of Object.entries(batch.vertices)) {
      for (const r of records ?? []) {
        const id = `${collection}|${String(r._key ?? r.external_id)}`;
        this.vertices.set(id, { ...this.vertices.get(id), ...r });
      }
      counts[collection as keyof CollectionCounts] = records?.length ?? 0;
    }
    for (const [collection, records] of Object.entries(batch.edges)) {
      for (const e of records ?? []) {
        const from = e._from ?? e._from_external_id;
        const to = e._to ?? e._to_external_id;
        this.edges.set(`${collection}|${from}|${to}`, { active: e.active, runId: this.runId });
      }
      counts[collection as keyof CollectionCounts] = records?.length ?? 0;
    }
    return counts;
  }

  async deactivateUnreported(scope: DeactivationScope): Promise<CollectionCounts> {
    this.deactivations.push(scope);
    const counts: Record<string, number> = {};
    for (const [key, edge] of this.edges) {
      const [collection, from] = key.split('|') as [string, string];
      const inScope =
        scope.kind === 'full' ||
        (scope.collections.includes(collection as never) && scope.assetIds.includes(from));
      if (inScope && edge.active && edge.runId !== this.runId) {
        edge.active = false;
        counts[collection] = (counts[collection] ?? 0) + 1;
      }
    }
    return counts;
  }

  async applyLifecycle() {
    return { markedInactive: 0, missed: 0, disabled: 0, reactivated: 0, edgesDeactivated: 0 };
  }

  async finishRun(finish: FinishRun): Promise<void> {
    this.finishes.push(finish);
    if (finish.checkpoint) this.checkpoint = finish.checkpoint;
  }

  async riskInputs() {
    return [];
  }

  async listRuns(): Promise<StoredRun[]> {
    return this.runs;
  }

  async close(): Promise<void> {}

  activeEdges(collection: string): string[] {
    return [...this.edges]
      .filter(([k, e]) => k.startsWith(`${collection}|`) && e.active)
      .map(([k]) => k);
  }
}
