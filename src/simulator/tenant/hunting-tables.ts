/**
 * The advanced-hunting tables over the tenant, built on first use and rebuilt after the tenant
 * changes. DeviceNetworkInfo is derived from each machine's `ipAddresses` (same device ids and
 * addresses, plus the few extra addresses hunting sees), with MACs in every spelling the
 * service uses (mde-api.md §4.2, §6 Q7). Event tables other than logons are empty.
 */
import { mixSeed, Rng } from '../random.ts';
import { formatHuntingTime } from '../time-text.ts';
import { SOFTWARE } from './software-catalog.ts';
import { osFamily } from './detail.ts';
import { deriveEvidence } from './alerts.ts';
import { BIG_REPORT_ID_BASE, networkInfoRows } from './hunting-network.ts';
import {
  ALERT_EVENTS_COLUMNS,
  CURRENT_COLUMNS,
  LEGACY_RENAMES,
  LEGACY_VIEWS,
} from './hunting-columns.ts';
import type { HuntingTable, HuntingTables } from './hunting-types.ts';
import type { Tenant } from './tenant.ts';
import type { MachineEntry } from './types.ts';
import { logonFingerprint, networkFingerprint, tvmFingerprint } from './hunting-fingerprints.ts';

type Row = Record<string, unknown>;
/** An empty list shared by every row that has none; the engine never modifies rows. */
const NO_TAGS = Object.freeze([]);
const HOUR_MS = 3_600_000;

export class TenantHuntingTables implements HuntingTables {
  private cache = new Map<string, HuntingTable>();
  private builtAt = -1;
  /** Per table, each machine's rows and the fingerprint of what they were derived from. */
  private readonly entryRows = new Map<string, WeakMap<MachineEntry, EntryRows>>();

  constructor(private readonly tenant: Tenant) {}

  /** Table names are case-sensitive, as in Kusto. */
  get(name: string): HuntingTable | undefined {
    if (this.builtAt !== this.tenant.version) {
      this.cache.clear();
      this.builtAt = this.tenant.version;
    }
    const cached = this.cache.get(name);
    if (cached) return cached;
    const table = this.build(name);
    if (table) this.cache.set(name, table);
    return table;
  }

  /** Every table name the simulator answers, current and legacy. */
  names(): string[] {
    return [...Object.keys(CURRENT_COLUMNS), ...Object.keys(LEGACY_VIEWS), 'AlertEvents'];
  }

  private build(name: string): HuntingTable | undefined {
    const columns = CURRENT_COLUMNS[name];
    if (columns) return { name, columns, rows: this.currentRows(name) };
    if (name === 'AlertEvents')
      return { name, columns: ALERT_EVENTS_COLUMNS, rows: this.alertEvents() };
    const view = LEGACY_VIEWS[name];
    const source = view ? this.get(view.source) : undefined;
    if (!view || !source) return undefined;
    return legacyView(name, source, view.columns);
  }

  private currentRows(name: string): Row[] {
    const listed = this.tenant.listedEntries();
    switch (name) {
      case 'DeviceInfo':
        return listed.flatMap((e) => deviceInfoRows(this.tenant, e));
      case 'DeviceNetworkInfo':
        return listed.flatMap((e) =>
          this.rowsOf(name, e, networkFingerprint(e), () => networkInfoRows(this.tenant.seed, e)),
        );
      case 'DeviceLogonEvents':
        return listed.flatMap((e) =>
          this.rowsOf(name, e, logonFingerprint(e), () => this.logonRows(e)),
        );
      case 'DeviceTvmSoftwareVulnerabilities':
        return listed.flatMap((e) =>
          this.rowsOf(name, e, tvmFingerprint(e), () => this.tvmRows(e)),
        );
      case 'DeviceTvmSoftwareVulnerabilitiesKB':
        return this.kbRows();
      case 'AlertInfo':
        return this.tenant.alertEntries.map((a) => alertInfoRow(a.record));
      case 'AlertEvidence':
        return this.alertEvidenceRows();
      default:
        // Limitation: process, network, file, registry, image-load and misc events are not
        // generated; those tables exist with their columns but hold no rows.
        return [];
    }
  }

  /**
   * A machine's rows of one table, derived again only when their fingerprint changed: after a
   * clock advance most machines are unchanged, and the tables are rebuilt from these.
   */
  private rowsOf(table: string, entry: MachineEntry, fingerprint: string, derive: () => Row[]) {
    let byEntry = this.entryRows.get(table);
    if (!byEntry) this.entryRows.set(table, (byEntry = new WeakMap()));
    const cached = byEntry.get(entry);
    if (cached?.fingerprint === fingerprint) return cached.rows;
    const rows = derive();
    byEntry.set(entry, { fingerprint, rows });
    return rows;
  }

  private logonRows(entry: MachineEntry): Row[] {
    const rows: Row[] = [];
    const rng = new Rng(mixSeed(this.tenant.seed, 'logon-rows', entry.record.id));
    for (const { account, logonType, firstSeenMs, lastSeenMs } of this.tenant.accounts(entry)) {
      // Every account's latest logon, and for about a quarter an earlier one too.
      const times =
        firstSeenMs !== lastSeenMs && rng.chance(0.25) ? [firstSeenMs, lastSeenMs] : [lastSeenMs];
      for (const at of times) {
        rows.push({
          Timestamp: formatHuntingTime(at, rng.int(0, 9999)),
          DeviceId: entry.record.id,
          DeviceName: entry.record.computerDnsName?.toLowerCase() ?? null,
          ActionType: 'LogonSuccess',
          LogonType: logonType,
          AccountDomain: account.domain.toLowerCase(),
          AccountName: account.name,
          AccountSid: account.sid,
          Protocol: logonType === 'Network' ? 'NTLM' : 'Negotiate',
          FailureReason: null,
          IsLocalAdmin: account.isDomainAdmin || account.name === 'administrator',
          LogonId: rng.int(100000, 99999999),
          RemoteDeviceName: null,
          RemoteIP:
            logonType === 'Network'
              ? `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`
              : null,
          RemoteIPType: logonType === 'Network' ? 'Private' : null,
          RemotePort: null,
          InitiatingProcessFileName: 'lsass.exe',
          InitiatingProcessId: rng.int(400, 1200),
          ReportId: rng.int(1000, 999999),
          AdditionalFields: null,
        });
      }
    }
    return rows;
  }

  private tvmRows(entry: MachineEntry): Row[] {
    const m = entry.record;
    return this.tenant.detail(entry).cves.map(({ cveIndex, version }) => {
      const cve = this.tenant.cves[cveIndex];
      const product = SOFTWARE[cve?.productIndex ?? 0];
      return {
        DeviceId: m.id,
        DeviceName: m.computerDnsName?.toLowerCase() ?? null,
        OSPlatform: m.osPlatform,
        OSVersion: m.version,
        OSArchitecture: m.osArchitecture === '32-bit' ? 'x86' : 'x64',
        SoftwareVendor: product?.vendor,
        SoftwareName: product?.name,
        SoftwareVersion: version,
        CveId: cve?.id,
        VulnerabilitySeverityLevel: cve?.severity,
        RecommendedSecurityUpdate: cve?.fixingKbId ? `Security update KB${cve.fixingKbId}` : null,
        RecommendedSecurityUpdateId: cve?.fixingKbId ?? null,
        CveTags: NO_TAGS,
        CveMitigationStatus: null,
        AadDeviceId: m.aadDeviceId ?? null,
      };
    });
  }

  private kbRows(): Row[] {
    return this.tenant.cves.map((cve) => ({
      CveId: cve.id,
      CvssScore: cve.cvss,
      CvssVector: `CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H`,
      CveSupportability: 'Supported',
      IsExploitAvailable: cve.publicExploit,
      VulnerabilitySeverityLevel: cve.severity,
      LastModifiedTime: formatHuntingTime(cve.updatedMs),
      PublishedDate: formatHuntingTime(cve.publishedMs),
      VulnerabilityDescription: cve.description,
      AffectedSoftware: [
        `${SOFTWARE[cve.productIndex]?.vendor}-_-${SOFTWARE[cve.productIndex]?.name}`,
      ],
      EpssScore: cve.epss,
    }));
  }

  private alertEvidenceRows(): Row[] {
    const rows: Row[] = [];
    for (const entry of this.tenant.alertEntries) {
      const a = entry.record;
      const base = { ...alertInfoRow(a), Categories: JSON.stringify([a.category]) };
      rows.push({
        ...base,
        EntityType: 'Machine',
        EvidenceRole: 'Impacted',
        DeviceId: a.machineId,
        DeviceName: a.computerDnsName,
      });
      for (const ev of deriveEvidence(this.tenant.seed, entry)) {
        rows.push({
          ...base,
          EntityType: ev.entityType,
          EvidenceRole: 'Related',
          FileName: ev.fileName,
          FolderPath: ev.filePath,
          SHA1: ev.sha1,
          SHA256: ev.sha256,
          RemoteIP: ev.ipAddress,
          RemoteUrl: ev.url,
          AccountName: ev.accountName,
          AccountDomain: ev.domainName,
          AccountUpn: ev.userPrincipalName,
          ProcessCommandLine: ev.processCommandLine,
        });
      }
    }
    return rows;
  }

  private alertEvents(): Row[] {
    return this.tenant.alertEntries.map((entry, i) => ({
      AlertId: entry.record.id,
      EventTime: formatHuntingTime(Date.parse(entry.record.alertCreationTime ?? '') || 0),
      MachineId: entry.record.machineId,
      ComputerName: entry.record.computerDnsName,
      Severity: entry.record.severity,
      Category: entry.record.category,
      Title: entry.record.title,
      FileName: null,
      SHA1: null,
      RemoteUrl: null,
      RemoteIP: null,
      ReportId: 1000 + i,
      Table: 'AlertEvents',
    }));
  }
}

interface EntryRows {
  fingerprint: string;
  rows: Row[];
}

function alertInfoRow(a: import('../../mde/types.ts').Alert): Row {
  return {
    Timestamp: formatHuntingTime(Date.parse(a.alertCreationTime ?? '') || 0),
    AlertId: a.id,
    Title: a.title,
    Category: a.category,
    Severity: a.severity,
    ServiceSource: 'Microsoft Defender for Endpoint',
    DetectionSource: a.detectionSource === 'WindowsDefenderAv' ? 'Antivirus' : 'EDR',
    AttackTechniques: JSON.stringify(a.mitreTechniques ?? []),
  };
}

function deviceInfoRows(tenant: Tenant, entry: MachineEntry): Row[] {
  const m = entry.record;
  const rng = new Rng(mixSeed(tenant.seed, 'deviceinfo', m.id));
  const family = osFamily(m.osPlatform);
  const accounts = tenant.accounts(entry);
  const full: Row = {
    Timestamp: formatHuntingTime(entry.lastSeenMs, rng.int(0, 9999)),
    DeviceId: m.id,
    DeviceName: m.computerDnsName?.toLowerCase() ?? null,
    ClientVersion: m.agentVersion,
    PublicIP: m.lastExternalIpAddress,
    OSArchitecture: m.osArchitecture,
    OSPlatform: m.osPlatform,
    OSBuild: m.osBuild,
    IsAzureADJoined: m.isAadJoined,
    JoinType: m.isAadJoined ? 'AAD Joined' : 'Domain Joined',
    AadDeviceId: m.aadDeviceId,
    LoggedOnUsers: accounts.map((a) => ({
      UserName: a.account.name,
      DomainName: a.account.domain,
      Sid: a.account.sid,
    })),
    RegistryDeviceTag: null,
    OSVersion: m.version,
    MachineGroup: m.rbacGroupName ?? 'UnassignedGroup',
    ReportId: rng.chance(0.05) ? BIG_REPORT_ID_BASE + BigInt(entry.index) : rng.int(1000, 999999),
    OnboardingStatus: m.onboardingStatus,
    AdditionalFields: null,
    DeviceCategory: 'Endpoint',
    DeviceType: family === 'server' ? 'Server' : family === 'mobile' ? 'Mobile' : 'Workstation',
    DeviceSubtype: null,
    Model: null,
    Vendor: null,
    OSDistribution: family === 'linux' ? m.osPlatform : null,
    OSVersionInfo: null,
    MergedDeviceIds: null,
    MergedToDeviceId: m.mergedIntoMachineId ?? null,
    IsInternetFacing: rng.chance(0.02),
    SensorHealthState: m.healthStatus,
    IsExcluded: m.isExcluded,
    ExclusionReason: m.exclusionReason,
    ExposureLevel: m.exposureLevel,
    AssetValue: m.deviceValue,
    DeviceManualTags: m.machineTags ?? NO_TAGS,
    DeviceDynamicTags: NO_TAGS,
  };
  if (!rng.chance(0.2)) return [full];
  // Partial heartbeat rows carry no OS data (mde-api.md §4.2: filter isnotempty(OSPlatform)).
  const heartbeat: Row = {
    ...full,
    // Heartbeats come about hourly after the full report, never after "now".
    Timestamp: formatHuntingTime(
      Math.min(entry.lastSeenMs + HOUR_MS, tenant.nowMs),
      rng.int(0, 9999),
    ),
    OSPlatform: null,
    OSBuild: null,
    ClientVersion: null,
    LoggedOnUsers: NO_TAGS,
  };
  return [full, heartbeat];
}

function legacyView(name: string, source: HuntingTable, keep: string[] | undefined): HuntingTable {
  const rename = (c: string): string => LEGACY_RENAMES[c] ?? c;
  let columns = source.columns.map((c) => ({ name: rename(c.name), type: c.type }));
  if (keep) columns = keep.flatMap((k) => columns.filter((c) => c.name === k));
  // Legacy MachineInfo.OSBuild was a string (mde-api.md §4.1).
  if (name === 'MachineInfo')
    columns = columns.map((c) => (c.name === 'OSBuild' ? { ...c, type: 'string' } : c));
  const sourceNames = new Map(source.columns.map((c) => [rename(c.name), c.name]));
  const rows = source.rows.map((row) => {
    const out: Row = {};
    for (const c of columns) out[c.name] = row[sourceNames.get(c.name) ?? c.name] ?? null;
    if (name === 'MachineInfo') out.OSBuild = out.OSBuild == null ? null : String(out.OSBuild);
    return out;
  });
  return { name, columns, rows };
}
