/**
 * Alerts in the `/api/alerts` shape (mde-api.md §2.2): every status and severity, ids in the
 * `da…_…` form with negative suffixes, timestamps with varying fractional digits, and
 * evidence items whose keys are always all present (mostly null). Evidence is derived from
 * the seed when asked for (`$expand=evidence`), and some alerts have none (field fault B25).
 */
import type { Alert, AlertEvidence, Machine } from '../../mde/types.ts';
import { mixSeed, Rng } from '../random.ts';
import {
  ALERT_KINDS,
  ALERT_SEVERITY,
  ALERT_STATUS,
  CLASSIFICATIONS,
  DETERMINATIONS,
  INVESTIGATION_STATES,
  MAIL_DOMAIN,
} from './catalog.ts';
import { defenderTime } from './machines.ts';
import type { Account, AlertEntry } from './types.ts';
import { formatDefenderTime } from '../time-text.ts';

const DAY_MS = 86_400_000;

/** Every evidence key, in the order the service writes them. */
export const EVIDENCE_KEYS = [
  'entityType',
  'evidenceCreationTime',
  'sha1',
  'sha256',
  'fileName',
  'filePath',
  'processId',
  'processCommandLine',
  'processCreationTime',
  'parentProcessId',
  'parentProcessCreationTime',
  'parentProcessFileName',
  'parentProcessFilePath',
  'ipAddress',
  'url',
  'registryKey',
  'registryHive',
  'registryValueType',
  'registryValue',
  'registryValueName',
  'accountName',
  'domainName',
  'userSid',
  'aadUserId',
  'userPrincipalName',
  'detectionStatus',
] as const;

export interface AlertInput {
  index: number;
  machineIndex: number;
  machine: Machine;
  nowMs: number;
  tenantId: string;
  account: Account | undefined;
}

export function generateAlert(rng: Rng, input: AlertInput): AlertEntry {
  const kind = rng.pick(ALERT_KINDS);
  const status = rng.weighted(ALERT_STATUS);
  const createdMs = input.nowMs - rng.int(0, 30 * DAY_MS);
  const firstEventMs = createdMs - rng.int(1000, 600_000);
  const isResolved = status === 'Resolved';
  const lastUpdateMs = Math.min(input.nowMs, createdMs + rng.int(1000, 5 * DAY_MS));
  const { account } = input;

  const record: Alert = {
    id: alertId(rng, createdMs),
    incidentId: rng.int(1, 2_000_000),
    investigationId: rng.chance(0.4) ? rng.int(1, 900_000) : null,
    assignedTo: rng.pick([null, null, 'Automation', 'API Action', `analyst@${MAIL_DOMAIN}`]),
    severity: rng.weighted(ALERT_SEVERITY),
    status,
    classification: isResolved ? rng.pick(CLASSIFICATIONS) : null,
    determination: isResolved && rng.chance(0.6) ? rng.pick(DETERMINATIONS) : null,
    investigationState: rng.pick(INVESTIGATION_STATES),
    detectionSource: kind.source,
    detectorId: rng.guid(),
    category: kind.category,
    threatFamilyName:
      kind.category === 'Malware' || kind.category === 'Ransomware'
        ? rng.pick(['Meterpreter', 'Emotet', null])
        : null,
    title: kind.title,
    description: `${kind.title} on ${input.machine.computerDnsName ?? 'a device'}.\n    Review the process tree and the evidence.`,
    alertCreationTime: defenderTime(rng, createdMs),
    firstEventTime: defenderTime(rng, firstEventMs),
    lastEventTime: defenderTime(rng, firstEventMs + rng.int(0, 60_000)),
    lastUpdateTime: defenderTime(rng, lastUpdateMs),
    resolvedTime: isResolved ? defenderTime(rng, lastUpdateMs) : null,
    machineId: input.machine.id,
    computerDnsName: input.machine.computerDnsName ?? null,
    rbacGroupName: input.machine.rbacGroupName ?? null,
    aadTenantId: input.tenantId,
    threatName: null,
    mitreTechniques: [...kind.mitre],
    relatedUser: account ? { userName: account.name, domainName: account.domain } : null,
    loggedOnUsers: account ? [{ accountName: account.name, domainName: account.domain }] : [],
    comments: [],
    evidence: [],
    domains: [],
  };
  const evidenceCount =
    kind.source === 'AutomatedInvestigation' || rng.chance(0.15) ? 0 : rng.int(1, 4);
  return { index: input.index, record, evidenceCount, machineIndex: input.machineIndex };
}

/** The evidence list of an alert, the same on every call. */
export function deriveEvidence(seed: number, entry: AlertEntry): AlertEvidence[] {
  const rng = new Rng(mixSeed(seed, 'evidence', entry.record.id));
  const createdMs = Date.parse(entry.record.alertCreationTime ?? '') || 0;
  const out: AlertEvidence[] = [];
  for (let i = 0; i < entry.evidenceCount; i += 1) {
    const item = Object.fromEntries(EVIDENCE_KEYS.map((k) => [k, null])) as AlertEvidence;
    item.evidenceCreationTime = defenderTime(rng, createdMs + rng.int(0, 5000));
    fillEvidence(
      rng,
      item,
      entry.record,
      i === 0 ? 'File' : rng.pick(['Process', 'File', 'Ip', 'Url', 'User']),
      createdMs,
    );
    out.push(item);
  }
  return out;
}

function fillEvidence(
  rng: Rng,
  item: AlertEvidence,
  alert: Alert,
  entityType: string,
  createdMs: number,
): void {
  item.entityType = entityType;
  if (entityType === 'File' || entityType === 'Process') {
    item.sha1 = rng.hex(40);
    item.sha256 = rng.hex(64);
    item.fileName = rng.pick(['rundll32.exe', 'powershell.exe', 'suspicious.dll', 'invoice.docm']);
    item.filePath = rng.pick(['C:\\Windows\\System32', 'C:\\Users\\Public\\Downloads', 'c:\\temp']);
    item.detectionStatus = rng.pick(['Detected', 'Prevented', 'Blocked', null]);
  }
  if (entityType === 'Process') {
    item.processId = rng.int(100, 20000);
    item.processCommandLine = `${item.fileName ?? 'cmd.exe'} -nop -w hidden`;
    item.processCreationTime = formatDefenderTime(
      createdMs - rng.int(1000, 60000),
      7,
      rng.int(0, 9999),
    );
    item.parentProcessId = rng.int(100, 20000);
    item.parentProcessFileName = 'explorer.exe';
    item.parentProcessFilePath = 'C:\\Windows';
  }
  if (entityType === 'Ip') item.ipAddress = rng.chance(0.5) ? `203.0.113.${rng.int(1, 254)}` : null;
  if (entityType === 'Url') item.url = `http://malicious-${rng.hex(6)}.mock.test/payload`;
  if (entityType === 'User') {
    item.accountName = alert.relatedUser?.userName ?? 'user';
    item.domainName = alert.relatedUser?.domainName ?? 'CONTOSO';
    item.userPrincipalName = `${item.accountName}@${MAIL_DOMAIN}`;
  }
}

function alertId(rng: Rng, createdMs: number): string {
  // .NET ticks of the creation time, then a signed 32-bit number (mde-api.md §2.2).
  const ticks = BigInt(createdMs) * 10_000n + 621_355_968_000_000_000n + BigInt(rng.int(0, 9999));
  const suffix = rng.int(-2147483647, 2147483647);
  return `${rng.chance(0.9) ? 'da' : 'ar'}${ticks}_${suffix}`;
}
