/**
 * The simulated tenant: machines, alerts, Graph users and the CVE catalogue generated from a
 * seed, plus the lookups the routes need. `version` grows on every change so derived caches
 * (advanced-hunting tables, vulnerability lists) know when to rebuild.
 */
import type {
  Alert,
  GraphUser,
  LogonUser,
  Machine,
  MachineVulnerability,
  Vulnerability,
} from '../../mde/types.ts';
import { mixSeed, Rng } from '../random.ts';
import { formatDefenderTime } from '../time-text.ts';
import { deriveEvidence, generateAlert } from './alerts.ts';
import { SOFTWARE } from './software-catalog.ts';
import { deriveAccounts, deriveDetail, type DetailContext } from './detail.ts';
import { generateDuplicate, generateMachine, type GeneratedMachine } from './machines.ts';
import { TenantHuntingTables } from './hunting-tables.ts';
import type { AlertEntry, CveEntry, MachineDetail, MachineEntry } from './types.ts';
import { generateUser } from './users.ts';
import { generateCveCatalog, toMachineVulnerability, toVulnerability } from './vulnerabilities.ts';

export interface TenantOptions {
  seed: number;
  machines: number;
  /** The simulated "now" the tenant is generated at. */
  nowMs: number;
  tenantId: string;
}

/** Share of machines that are a second record of another host (mde-api.md §6 Q4). */
const DUPLICATE_RATE = 0.02;
/** Share of onboarded machines with at least one alert. */
const ALERTED_MACHINE_RATE = 0.2;

export class Tenant {
  readonly seed: number;
  readonly tenantId: string;
  /** The simulated instant the tenant describes; moved by clock advances. */
  nowMs: number;
  readonly machineEntries: MachineEntry[] = [];
  readonly alertEntries: AlertEntry[] = [];
  readonly users: GraphUser[] = [];
  readonly cves: CveEntry[];
  readonly tables: TenantHuntingTables;
  /** Grows on every change; caches compare against it. */
  version = 0;
  private readonly byId = new Map<string, MachineEntry>();
  private readonly byName = new Map<string, MachineEntry>();
  private readonly alertByRecord = new WeakMap<Alert, AlertEntry>();
  private readonly detailContext: DetailContext;
  private vulnerabilityCache:
    { version: number; pairs: MachineVulnerability[]; exposed: Map<string, number> } | undefined;

  constructor(options: TenantOptions) {
    this.seed = options.seed;
    this.tenantId = options.tenantId;
    this.nowMs = options.nowMs;
    const rng = new Rng(mixSeed(options.seed, 'tenant'));
    const domainSid = `S-1-5-21-${rng.int(1000000000, 2099999999)}-${rng.int(1000000000, 2099999999)}-${rng.int(100000000, 999999999)}`;
    const userCount = Math.max(10, Math.ceil(options.machines * 0.3));
    for (let i = 0; i < userCount; i += 1)
      this.users.push(generateUser(rng.fork('user', i), i, domainSid));
    this.cves = generateCveCatalog(
      rng.fork('cves'),
      Math.min(3000, 150 + Math.ceil(options.machines / 20)),
      options.nowMs,
    );
    const cvesByProduct: number[][] = SOFTWARE.map(() => []);
    this.cves.forEach((cve, i) => cvesByProduct[cve.productIndex]?.push(i));
    this.detailContext = { seed: options.seed, users: this.users, cves: this.cves, cvesByProduct };
    this.tables = new TenantHuntingTables(this);

    this.generateMachines(rng, options);
    this.generateAlerts(rng, options.nowMs);
  }

  /** The machines `/api/machines` lists, in listing order. */
  get machines(): Machine[] {
    return this.listedEntries().map((e) => e.record);
  }

  /** Every alert record (evidence not expanded). */
  get alerts(): Alert[] {
    return this.alertEntries.map((e) => e.record);
  }

  listedEntries(): MachineEntry[] {
    return this.machineEntries.filter((e) => !e.vanished);
  }

  /** By machine id or computer name, as `GET /api/machines/{id}` accepts (mde-api.md §2.1). */
  findMachine(idOrName: string): MachineEntry | undefined {
    const key = idOrName.toLowerCase();
    const entry = this.byId.get(key) ?? this.byName.get(key);
    return entry && !entry.vanished ? entry : undefined;
  }

  /** The entry an alert record belongs to. */
  alertEntryOf(record: Alert): AlertEntry | undefined {
    return this.alertByRecord.get(record);
  }

  findAlert(id: string): AlertEntry | undefined {
    return this.alertEntries.find((e) => e.record.id.toLowerCase() === id.toLowerCase());
  }

  detail(entry: MachineEntry): MachineDetail {
    return deriveDetail(this.detailContext, entry);
  }

  /** The machine's logged-on accounts: `detail(entry).accounts` without the software work. */
  accounts(entry: MachineEntry): MachineDetail['accounts'] {
    return deriveAccounts(this.detailContext, entry);
  }

  /** The alert with its evidence expanded. */
  withEvidence(entry: AlertEntry): Alert {
    return { ...entry.record, evidence: deriveEvidence(this.seed, entry) };
  }

  /** `GET /api/machines/{id}/logonusers` items (mde-api.md §2.4). */
  logonUsers(entry: MachineEntry): LogonUser[] {
    return this.accounts(entry).map(({ account, logonType, firstSeenMs, lastSeenMs }, i) => ({
      id: `${account.domain}\\${account.name}`.toLowerCase(),
      accountName: account.name,
      accountDomain: account.domain.toLowerCase(),
      accountSid: i % 3 === 2 ? null : account.sid,
      firstSeen: formatDefenderTime(firstSeenMs, 0),
      lastSeen: formatDefenderTime(lastSeenMs, 0),
      mostPrevalentMachineId: null,
      leastPrevalentMachineId: null,
      logonTypes: logonType,
      logOnMachinesCount: null,
      isDomainAdmin: account.isDomainAdmin,
      isOnlyNetworkUser: logonType === 'Network' ? true : null,
    }));
  }

  /** `GET /api/machines/{id}/vulnerabilities` items. */
  machineVulnerabilities(entry: MachineEntry): Vulnerability[] {
    const exposed = this.vulnerabilityIndex().exposed;
    return this.detail(entry).cves.map(({ cveIndex }) => {
      const cve = this.cves[cveIndex] as CveEntry;
      return toVulnerability(cve, exposed.get(cve.id) ?? 0);
    });
  }

  /** `GET /api/machines/{id}/software` items (mde-api.md §2.8). */
  software(entry: MachineEntry): Record<string, unknown>[] {
    const detail = this.detail(entry);
    return detail.software.map(({ productIndex }) => {
      const product = SOFTWARE[productIndex];
      const weaknesses = detail.cves.filter(
        (c) => this.cves[c.cveIndex]?.productIndex === productIndex,
      ).length;
      return {
        id: `${product?.vendor}-_-${product?.name}`,
        name: product?.name,
        vendor: product?.vendor,
        weaknesses,
        publicExploit: false,
        activeAlert: false,
        exposedMachines: weaknesses > 0 ? 1 : 0,
        installedMachines: 1,
        impactScore: weaknesses * 1.5,
        isNormalized: true,
        category: '',
        distributions: [],
      };
    });
  }

  /** Every (machine, CVE) pair, for `/api/vulnerabilities/machinesVulnerabilities`. */
  machineVulnerabilityPairs(): MachineVulnerability[] {
    return this.vulnerabilityIndex().pairs;
  }

  /** The CVE catalogue as `/api/vulnerabilities` lists it. */
  vulnerabilityList(): Vulnerability[] {
    const exposed = this.vulnerabilityIndex().exposed;
    return this.cves.map((cve) => toVulnerability(cve, exposed.get(cve.id) ?? 0));
  }

  /** Registers a new machine record (generation and clock advance). */
  addMachine(generated: GeneratedMachine): MachineEntry {
    const entry: MachineEntry = {
      index: this.machineEntries.length,
      record: generated.record,
      vanished: false,
      lastSeenMs: generated.lastSeenMs,
      extraHuntingIps: [],
    };
    this.machineEntries.push(entry);
    this.byId.set(entry.record.id.toLowerCase(), entry);
    const name = entry.record.computerDnsName?.toLowerCase();
    // The newest record wins a name lookup, as a re-onboarded host would.
    if (name && (!this.byName.has(name) || !entry.record.mergedIntoMachineId))
      this.byName.set(name, entry);
    return entry;
  }

  addAlert(entry: AlertEntry): void {
    this.alertEntries.push(entry);
    this.alertByRecord.set(entry.record, entry);
  }

  touch(): void {
    this.version += 1;
  }

  private generateMachines(rng: Rng, options: TenantOptions): void {
    const generated: GeneratedMachine[] = [];
    for (let i = 0; i < options.machines; i += 1) {
      const mrng = rng.fork('machine', i);
      const survivor =
        i > 10 && mrng.chance(DUPLICATE_RATE) ? generated[mrng.int(0, i - 1)] : undefined;
      const machine = survivor
        ? generateDuplicate(mrng, survivor, i, options.nowMs)
        : generateMachine(mrng, i, options.nowMs);
      generated.push(machine);
      const entry = this.addMachine(machine);
      if (mrng.chance(0.05))
        entry.extraHuntingIps.push(
          `100.${mrng.int(64, 127)}.${mrng.int(0, 255)}.${mrng.int(1, 254)}`,
        );
    }
  }

  private generateAlerts(rng: Rng, nowMs: number): void {
    const arng = rng.fork('alerts');
    for (const entry of this.machineEntries) {
      if (entry.record.onboardingStatus !== 'Onboarded' || entry.record.mergedIntoMachineId)
        continue;
      if (!arng.chance(ALERTED_MACHINE_RATE)) continue;
      const count = arng.int(1, 3);
      for (let k = 0; k < count; k += 1) this.createAlert(arng, entry, nowMs);
    }
  }

  /** Adds one alert on `entry` created before `nowMs`. */
  createAlert(rng: Rng, entry: MachineEntry, nowMs: number): AlertEntry {
    const account = deriveAccounts(this.detailContext, entry)[0]?.account;
    const alert = generateAlert(rng.fork('alert', this.alertEntries.length), {
      index: this.alertEntries.length,
      machineIndex: entry.index,
      machine: entry.record,
      nowMs,
      tenantId: this.tenantId,
      account,
    });
    this.addAlert(alert);
    return alert;
  }

  private vulnerabilityIndex(): { pairs: MachineVulnerability[]; exposed: Map<string, number> } {
    if (this.vulnerabilityCache?.version === this.version) return this.vulnerabilityCache;
    const pairs: MachineVulnerability[] = [];
    const exposed = new Map<string, number>();
    for (const entry of this.listedEntries()) {
      for (const { cveIndex, version } of this.detail(entry).cves) {
        const cve = this.cves[cveIndex] as CveEntry;
        pairs.push(toMachineVulnerability(entry.record.id, cve, version));
        exposed.set(cve.id, (exposed.get(cve.id) ?? 0) + 1);
      }
    }
    this.vulnerabilityCache = { version: this.version, pairs, exposed };
    return this.vulnerabilityCache;
  }
}
