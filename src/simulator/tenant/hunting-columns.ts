/**
 * Column lists of the advanced-hunting tables the simulator serves (mde-api.md §4.1, §4.2).
 * Written as `Name:type` words; a bare name is a string column.
 */
import type { HuntingColumn, HuntingType } from './hunting-types.ts';

function cols(spec: string): HuntingColumn[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((word) => {
      const [name = '', type = 'string'] = word.split(':');
      return { name, type: type as HuntingType };
    });
}

const INITIATING =
  'InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid ' +
  'InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName ' +
  'InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime ' +
  'InitiatingProcessFolderPath InitiatingProcessParentId:long InitiatingProcessParentFileName ' +
  'InitiatingProcessParentCreationTime:datetime ReportId:long AdditionalFields:dynamic';

export const CURRENT_COLUMNS: Record<string, HuntingColumn[]> = {
  DeviceInfo: cols(
    'Timestamp:datetime DeviceId DeviceName ClientVersion PublicIP OSArchitecture OSPlatform ' +
      'OSBuild:long IsAzureADJoined:bool JoinType AadDeviceId LoggedOnUsers:dynamic ' +
      'RegistryDeviceTag OSVersion MachineGroup ReportId:long OnboardingStatus ' +
      'AdditionalFields:dynamic DeviceCategory DeviceType DeviceSubtype Model Vendor ' +
      'OSDistribution OSVersionInfo MergedDeviceIds:dynamic MergedToDeviceId ' +
      'IsInternetFacing:bool SensorHealthState IsExcluded:bool ExclusionReason ExposureLevel ' +
      'AssetValue DeviceManualTags:dynamic DeviceDynamicTags:dynamic',
  ),
  DeviceNetworkInfo: cols(
    'Timestamp:datetime DeviceId DeviceName NetworkAdapterName MacAddress NetworkAdapterType ' +
      'NetworkAdapterStatus TunnelType ConnectedNetworks:dynamic DnsAddresses:dynamic IPv4Dhcp ' +
      'IPv6Dhcp DefaultGateways:dynamic IPAddresses:dynamic ReportId:long NetworkAdapterVendor',
  ),
  DeviceLogonEvents: cols(
    'Timestamp:datetime DeviceId DeviceName ActionType LogonType AccountDomain AccountName ' +
      'AccountSid Protocol FailureReason IsLocalAdmin:bool LogonId:long RemoteDeviceName ' +
      'RemoteIP RemoteIPType RemotePort:int ' +
      INITIATING,
  ),
  DeviceTvmSoftwareVulnerabilities: cols(
    'DeviceId DeviceName OSPlatform OSVersion OSArchitecture SoftwareVendor SoftwareName ' +
      'SoftwareVersion CveId VulnerabilitySeverityLevel RecommendedSecurityUpdate ' +
      'RecommendedSecurityUpdateId CveTags:dynamic CveMitigationStatus AadDeviceId',
  ),
  DeviceTvmSoftwareVulnerabilitiesKB: cols(
    'CveId CvssScore:real CvssVector CveSupportability IsExploitAvailable:bool ' +
      'VulnerabilitySeverityLevel LastModifiedTime:datetime PublishedDate:datetime ' +
      'VulnerabilityDescription AffectedSoftware:dynamic EpssScore:real',
  ),
  AlertInfo: cols(
    'Timestamp:datetime AlertId Title Category Severity ServiceSource DetectionSource AttackTechniques',
  ),
  AlertEvidence: cols(
    'Timestamp:datetime AlertId Title Categories AttackTechniques ServiceSource DetectionSource ' +
      'EntityType EvidenceRole EvidenceDirection FileName FolderPath SHA1 SHA256 FileSize:long ' +
      'ThreatFamily RemoteIP RemoteUrl AccountName AccountDomain AccountSid AccountObjectId ' +
      'AccountUpn DeviceId DeviceName LocalIP NetworkMessageId EmailSubject Application ' +
      'ApplicationId:int OAuthApplicationId ProcessCommandLine RegistryKey RegistryValueName ' +
      'RegistryValueData AdditionalFields:dynamic Severity',
  ),
  DeviceProcessEvents: cols(
    'Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 ' +
      'FileSize:long ProcessId:long ProcessCommandLine ProcessIntegrityLevel ' +
      'ProcessTokenElevation ProcessCreationTime:datetime AccountDomain AccountName AccountSid ' +
      'AccountUpn LogonId:long ' +
      INITIATING,
  ),
  DeviceNetworkEvents: cols(
    'Timestamp:datetime DeviceId DeviceName ActionType RemoteIP RemotePort:int RemoteUrl LocalIP ' +
      'LocalPort:int Protocol LocalIPType RemoteIPType ' +
      INITIATING,
  ),
  DeviceFileEvents: cols(
    'Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 ' +
      'FileSize:long FileOriginUrl FileOriginReferrerUrl FileOriginIP PreviousFileName ' +
      'PreviousFolderPath RequestProtocol ShareName RequestSourceIP RequestSourcePort:int ' +
      'RequestAccountName RequestAccountDomain RequestAccountSid ' +
      INITIATING,
  ),
  DeviceRegistryEvents: cols(
    'Timestamp:datetime DeviceId DeviceName ActionType RegistryKey RegistryValueType ' +
      'RegistryValueName RegistryValueData PreviousRegistryKey PreviousRegistryValueName ' +
      'PreviousRegistryValueData ' +
      INITIATING,
  ),
  DeviceImageLoadEvents: cols(
    'Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 ' +
      'FileSize:long ' +
      INITIATING,
  ),
  DeviceEvents: cols(
    'Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 ' +
      'AccountDomain AccountName AccountSid RemoteUrl RemoteDeviceName ProcessId:long ' +
      'ProcessCommandLine ProcessCreationTime:datetime LogonId:long RegistryKey ' +
      'RegistryValueName RegistryValueData RemoteIP RemotePort:int LocalIP LocalPort:int ' +
      'FileOriginUrl FileOriginIP ' +
      INITIATING,
  ),
};

/** Columns renamed in 2020 (mde-api.md §4.1): current name → legacy name. */
export const LEGACY_RENAMES: Record<string, string> = {
  Timestamp: 'EventTime',
  DeviceId: 'MachineId',
  DeviceName: 'ComputerName',
  RegistryDeviceTag: 'RegistryMachineTag',
  RemoteDeviceName: 'RemoteComputerName',
};

/** Legacy table → current table, and the legacy column list when it is narrower. */
export const LEGACY_VIEWS: Record<string, { source: string; columns?: string[] }> = {
  MachineInfo: {
    source: 'DeviceInfo',
    columns:
      'EventTime MachineId ComputerName ClientVersion PublicIP OSArchitecture OSPlatform OSBuild IsAzureADJoined LoggedOnUsers RegistryMachineTag ReportId OSVersion MachineGroup'.split(
        ' ',
      ),
  },
  MachineNetworkInfo: {
    source: 'DeviceNetworkInfo',
    columns:
      'EventTime MachineId ComputerName ReportId NetworkAdapterName MacAddress NetworkAdapterType NetworkAdapterStatus TunnelType ConnectedNetworks DnsAddresses IPv4Dhcp IPv6Dhcp DefaultGateways IPAddresses'.split(
        ' ',
      ),
  },
  LogonEvents: { source: 'DeviceLogonEvents' },
  ProcessCreationEvents: { source: 'DeviceProcessEvents' },
  NetworkCommunicationEvents: { source: 'DeviceNetworkEvents' },
  FileCreationEvents: { source: 'DeviceFileEvents' },
  RegistryEvents: { source: 'DeviceRegistryEvents' },
  ImageLoadEvents: { source: 'DeviceImageLoadEvents' },
  MiscEvents: { source: 'DeviceEvents' },
};

export const ALERT_EVENTS_COLUMNS = cols(
  'AlertId EventTime:datetime MachineId ComputerName Severity Category Title FileName SHA1 RemoteUrl RemoteIP ReportId:long Table',
);
