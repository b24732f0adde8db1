/**
 * Defender for Endpoint, Entra ID and Graph record types, spelled exactly as the APIs spell
 * them (../shared/reference/mde-api.md §2, §4). Every field is optional or nullable because
 * real payloads drop and add fields over time (mde-api.md §6 Q17); parse leniently.
 */

/** `GET /api/machines` item (mde-api.md §2.1). */
export interface Machine {
  id: string;
  computerDnsName?: string | null;
  firstSeen?: string | null;
  lastSeen?: string | null;
  osPlatform?: string | null;
  osVersion?: string | null;
  osProcessor?: string | null;
  version?: string | null;
  osBuild?: number | null;
  osArchitecture?: string | null;
  lastIpAddress?: string | null;
  lastExternalIpAddress?: string | null;
  agentVersion?: string | null;
  healthStatus?: string | null;
  deviceValue?: string | null;
  rbacGroupId?: number | null;
  rbacGroupName?: string | null;
  riskScore?: string | null;
  exposureLevel?: string | null;
  isAadJoined?: boolean | null;
  aadDeviceId?: string | null;
  machineTags?: string[] | null;
  defenderAvStatus?: string | null;
  onboardingStatus?: string | null;
  managedBy?: string | null;
  managedByStatus?: string | null;
  mergedIntoMachineId?: string | null;
  isPotentialDuplication?: boolean | null;
  isExcluded?: boolean | null;
  exclusionReason?: string | null;
  ipAddresses?: MachineIpAddress[] | null;
  vmMetadata?: Record<string, unknown> | null;
  [extra: string]: unknown;
}

export interface MachineIpAddress {
  ipAddress?: string | null;
  macAddress?: string | null;
  type?: string | null;
  operationalStatus?: string | null;
}

/** `GET /api/alerts` item, with `evidence` when `$expand=evidence` (mde-api.md §2.2). */
export interface Alert {
  id: string;
  incidentId?: number | null;
  investigationId?: number | null;
  assignedTo?: string | null;
  severity?: string | null;
  status?: string | null;
  classification?: string | null;
  determination?: string | null;
  investigationState?: string | null;
  detectionSource?: string | null;
  detectorId?: string | null;
  category?: string | null;
  threatFamilyName?: string | null;
  threatName?: string | null;
  title?: string | null;
  description?: string | null;
  alertCreationTime?: string | null;
  firstEventTime?: string | null;
  lastEventTime?: string | null;
  lastUpdateTime?: string | null;
  resolvedTime?: string | null;
  machineId?: string | null;
  computerDnsName?: string | null;
  rbacGroupName?: string | null;
  aadTenantId?: string | null;
  mitreTechniques?: string[] | null;
  relatedUser?: { userName?: string | null; domainName?: string | null } | null;
  loggedOnUsers?: { accountName?: string | null; domainName?: string | null }[] | null;
  comments?: unknown[] | null;
  evidence?: AlertEvidence[] | null;
  domains?: unknown[] | null;
  [extra: string]: unknown;
}

export interface AlertEvidence {
  entityType?: string | null;
  evidenceCreationTime?: string | null;
  sha1?: string | null;
  sha256?: string | null;
  fileName?: string | null;
  filePath?: string | null;
  processId?: number | null;
  processCommandLine?: string | null;
  ipAddress?: string | null;
  url?: string | null;
  accountName?: string | null;
  domainName?: string | null;
  userSid?: string | null;
  aadUserId?: string | null;
  userPrincipalName?: string | null;
  detectionStatus?: string | null;
  [extra: string]: unknown;
}

/** `GET /api/machines/{id}/logonusers` item (mde-api.md §2.4). */
export interface LogonUser {
  id?: string | null;
  accountName?: string | null;
  accountDomain?: string | null;
  accountSid?: string | null;
  firstSeen?: string | null;
  lastSeen?: string | null;
  mostPrevalentMachineId?: string | null;
  leastPrevalentMachineId?: string | null;
  logonTypes?: string | null;
  logOnMachinesCount?: number | null;
  isDomainAdmin?: boolean | null;
  isOnlyNetworkUser?: boolean | null;
  [extra: string]: unknown;
}

/** `GET /api/vulnerabilities/machinesVulnerabilities` item (mde-api.md §2.6). */
export interface MachineVulnerability {
  id?: string | null;
  cveId?: string | null;
  machineId?: string | null;
  fixingKbId?: string | null;
  productName?: string | null;
  productVendor?: string | null;
  productVersion?: string | null;
  severity?: string | null;
  [extra: string]: unknown;
}

/** `GET /api/vulnerabilities` or `/api/machines/{id}/vulnerabilities` item (mde-api.md §2.5). */
export interface Vulnerability {
  id: string;
  name?: string | null;
  description?: string | null;
  severity?: string | null;
  cvssV3?: number | null;
  cvssVector?: string | null;
  exposedMachines?: number | null;
  publishedOn?: string | null;
  updatedOn?: string | null;
  firstDetected?: string | null;
  publicExploit?: boolean | null;
  exploitVerified?: boolean | null;
  exploitInKit?: boolean | null;
  epss?: number | null;
  [extra: string]: unknown;
}

/** Graph `/v1.0/users` item (mde-api.md §2.9). */
export interface GraphUser {
  id: string;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  jobTitle?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
  department?: string | null;
  employeeId?: string | null;
  onPremisesSamAccountName?: string | null;
  onPremisesDomainName?: string | null;
  onPremisesSecurityIdentifier?: string | null;
  [extra: string]: unknown;
}

/**
 * One advanced-hunting answer (mde-api.md §2.3). Values are as decoded by the client:
 * JSON-in-JSON columns stay as the service sent them (string or array); the mapping layer
 * decodes them with `parseDynamic`. Integers beyond 2^53 arrive as `bigint`.
 */
export interface HuntingResult {
  Schema: { Name: string; Type: string }[];
  Results: Record<string, unknown>[];
}

/** DeviceNetworkInfo row (latest per device and adapter), as the sync's query projects it. */
export interface NetworkInfoRow {
  DeviceId?: string | null;
  DeviceName?: string | null;
  Timestamp?: string | null;
  NetworkAdapterName?: string | null;
  NetworkAdapterType?: string | null;
  NetworkAdapterStatus?: string | null;
  MacAddress?: string | null;
  /** JSON string or array of `{IPAddress, SubnetPrefix, AddressType}`. */
  IPAddresses?: unknown;
  [extra: string]: unknown;
}

/** DeviceLogonEvents summary row: one account seen on one device. */
export interface LogonRow {
  DeviceId?: string | null;
  DeviceName?: string | null;
  AccountDomain?: string | null;
  AccountName?: string | null;
  AccountSid?: string | null;
  LogonType?: string | null;
  FirstSeen?: string | null;
  LastSeen?: string | null;
  IsLocalAdmin?: boolean | null;
  [extra: string]: unknown;
}

/** DeviceTvmSoftwareVulnerabilities row joined with its KB table. */
export interface SoftwareVulnerabilityRow {
  DeviceId?: string | null;
  DeviceName?: string | null;
  SoftwareVendor?: string | null;
  SoftwareName?: string | null;
  SoftwareVersion?: string | null;
  CveId?: string | null;
  VulnerabilitySeverityLevel?: string | null;
  CvssScore?: number | null;
  PublishedDate?: string | null;
  LastModifiedTime?: string | null;
  VulnerabilityDescription?: string | null;
  IsExploitAvailable?: boolean | null;
  RecommendedSecurityUpdate?: string | null;
  [extra: string]: unknown;
}

/** The Defender API families that have their own quota (mde-api.md §3.1). */
export type EndpointFamily =
  'token' | 'machines' | 'alerts' | 'logonusers' | 'vulnerabilities' | 'hunting' | 'graph';
