/**
 * Shapes of the Defender, Entra and Graph payloads (mde-api.md §1.2, §1.3, §2, §3.2), written
 * from the reference tables and checked against the real samples before they judge the
 * simulator's output.
 */
import type { Rule, Shape } from './shape-checker.ts';

const S_NULL: Rule[] = ['string', 'null'];
const I_NULL: Rule[] = ['integer', 'null'];
const T_NULL: Rule[] = ['datetime', 'null'];

export const HEALTH = [
  'Active',
  'Inactive',
  'ImpairedCommunication',
  'NoSensorData',
  'NoSensorDataImpairedCommunication',
  'Unknown',
];
export const ONBOARDING = ['Onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo'];
export const RISK = ['None', 'Informational', 'Low', 'Medium', 'High', null];
export const EXPOSURE = ['None', 'Low', 'Medium', 'High', null];

export const IP_ENTRY: Shape = {
  required: {
    ipAddress: 'string',
    macAddress: [{ pattern: /^[0-9A-F]{12}$/ }, 'null'],
    operationalStatus: { enum: ['Up', 'Down'] },
  },
  optional: { type: 'string' },
};

export const MACHINE: Shape = {
  required: {
    id: 'string',
    computerDnsName: 'string',
    firstSeen: 'datetime',
    lastSeen: 'datetime',
    osPlatform: 'string',
    osProcessor: 'string',
    version: 'string',
    lastIpAddress: S_NULL,
    lastExternalIpAddress: S_NULL,
    osBuild: I_NULL,
    healthStatus: { enum: HEALTH },
    deviceValue: { enum: ['Normal', 'Low', 'High', null] },
    rbacGroupName: S_NULL,
    riskScore: { enum: RISK },
    exposureLevel: { enum: EXPOSURE },
    aadDeviceId: ['guid', 'null'],
    machineTags: 'string[]',
    ipAddresses: { items: IP_ENTRY },
  },
  optional: {
    mergedIntoMachineId: S_NULL,
    isPotentialDuplication: 'boolean',
    isExcluded: 'boolean',
    exclusionReason: S_NULL,
    osVersion: S_NULL,
    agentVersion: S_NULL,
    rbacGroupId: 'integer',
    isAadJoined: 'boolean',
    defenderAvStatus: 'string',
    onboardingStatus: { enum: ONBOARDING },
    osArchitecture: { enum: ['64-bit', '32-bit'] },
    managedBy: 'string',
    managedByStatus: 'string',
    vmMetadata: ['object', 'null'],
    '@odata.context': 'string',
  },
};

const EVIDENCE_NULLABLE = [
  'sha1',
  'sha256',
  'fileName',
  'filePath',
  'processCommandLine',
  'parentProcessFileName',
  'parentProcessFilePath',
  'ipAddress',
  'url',
  'registryKey',
  'registryHive',
  'registryValueType',
  'registryValue',
  'accountName',
  'domainName',
  'userSid',
  'aadUserId',
  'userPrincipalName',
  'detectionStatus',
];

export const EVIDENCE: Shape = {
  required: {
    entityType: 'string',
    evidenceCreationTime: 'datetime',
    processId: I_NULL,
    processCreationTime: T_NULL,
    parentProcessId: I_NULL,
    parentProcessCreationTime: T_NULL,
    ...Object.fromEntries(EVIDENCE_NULLABLE.map((k) => [k, S_NULL])),
  },
  optional: { registryValueName: S_NULL },
};

export const ALERT: Shape = {
  required: {
    id: { pattern: /^[a-z]{2}\d+_-?\d+$/ },
    incidentId: I_NULL,
    investigationId: I_NULL,
    assignedTo: S_NULL,
    severity: { enum: ['UnSpecified', 'Informational', 'Low', 'Medium', 'High'] },
    status: { enum: ['Unknown', 'New', 'InProgress', 'Resolved'] },
    classification: S_NULL,
    determination: S_NULL,
    investigationState: S_NULL,
    detectionSource: 'string',
    category: 'string',
    threatFamilyName: S_NULL,
    title: 'string',
    description: 'string',
    alertCreationTime: 'datetime',
    firstEventTime: T_NULL,
    lastEventTime: T_NULL,
    lastUpdateTime: 'datetime',
    resolvedTime: T_NULL,
    machineId: 'string',
    comments: 'array',
  },
  optional: {
    detectorId: 'guid',
    computerDnsName: S_NULL,
    rbacGroupName: S_NULL,
    aadTenantId: 'guid',
    threatName: S_NULL,
    mitreTechniques: 'string[]',
    relatedUser: [{ required: { userName: S_NULL, domainName: S_NULL } }, 'null'],
    loggedOnUsers: { items: { required: { accountName: 'string', domainName: 'string' } } },
    evidence: { items: EVIDENCE },
    domains: 'array',
    alertUser: 'null',
    alertFiles: 'array',
    alertDomains: 'array',
    alertIps: 'array',
    '@odata.context': 'string',
  },
};

export const LOGON_USER: Shape = {
  required: {
    id: 'string',
    accountName: 'string',
    accountDomain: 'string',
    firstSeen: 'datetime',
    lastSeen: 'datetime',
    logonTypes: 'string',
    isDomainAdmin: 'boolean',
    isOnlyNetworkUser: ['boolean', 'null'],
  },
  optional: {
    accountSid: S_NULL,
    mostPrevalentMachineId: S_NULL,
    leastPrevalentMachineId: S_NULL,
    logOnMachinesCount: I_NULL,
  },
};

export const VULNERABILITY: Shape = {
  required: {
    id: { pattern: /^CVE-\d{4}-\d+$/ },
    name: 'string',
    description: 'string',
    severity: { enum: ['Low', 'Medium', 'High', 'Critical'] },
    cvssV3: 'number',
    exposedMachines: 'integer',
    publishedOn: 'datetime',
    updatedOn: 'datetime',
    publicExploit: 'boolean',
    exploitVerified: 'boolean',
    exploitInKit: 'boolean',
    exploitTypes: 'array',
    exploitUris: 'array',
  },
  optional: {
    cvssVector: 'string',
    firstDetected: T_NULL,
    cveSupportability: 'string',
    tags: 'array',
    epss: 'number',
    '@odata.context': 'string',
  },
};

export const MACHINE_VULNERABILITY: Shape = {
  required: {
    id: { pattern: /^[^-]+-_-CVE-\d{4}-\d+-_-[^]*-_-[^]*-_-[^]*-_-[^]*$/ },
    cveId: { pattern: /^CVE-\d{4}-\d+$/ },
    machineId: 'string',
    fixingKbId: S_NULL,
    productName: 'string',
    productVendor: 'string',
    productVersion: 'string',
    severity: { enum: ['Low', 'Medium', 'High', 'Critical'] },
  },
};

export const SOFTWARE: Shape = {
  required: {
    id: { pattern: /^.+-_-.+$/ },
    name: 'string',
    vendor: 'string',
    weaknesses: 'integer',
    publicExploit: 'boolean',
    activeAlert: 'boolean',
    exposedMachines: 'integer',
    impactScore: 'number',
  },
  optional: {
    installedMachines: 'integer',
    isNormalized: 'boolean',
    category: 'string',
    distributions: 'array',
  },
};

export const GRAPH_USER: Shape = {
  required: {
    businessPhones: 'string[]',
    displayName: 'string',
    givenName: S_NULL,
    jobTitle: S_NULL,
    mail: S_NULL,
    mobilePhone: S_NULL,
    officeLocation: S_NULL,
    preferredLanguage: S_NULL,
    surname: S_NULL,
    userPrincipalName: 'string',
    id: 'guid',
  },
};

export const TOKEN_V2: Shape = {
  required: { token_type: { enum: ['Bearer'] }, expires_in: 'integer', access_token: 'string' },
  optional: { ext_expires_in: 'integer' },
};
const NUMERIC_TEXT: Rule = { pattern: /^\d+$/ };
export const TOKEN_V1: Shape = {
  required: {
    token_type: { enum: ['Bearer'] },
    expires_in: NUMERIC_TEXT,
    ext_expires_in: NUMERIC_TEXT,
    expires_on: NUMERIC_TEXT,
    not_before: NUMERIC_TEXT,
    resource: 'string',
    access_token: 'string',
  },
};

export const ENTRA_ERROR: Shape = {
  required: {
    error: 'string',
    error_description: {
      pattern:
        /^AADSTS\d+: [^]*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/,
    },
    error_codes: 'array',
    timestamp: { pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/ },
    trace_id: 'guid',
    correlation_id: 'guid',
  },
  optional: { error_uri: 'string' },
};

export const MDE_ERROR: Shape = {
  required: { error: { required: { code: 'string', message: 'string', target: 'string' } } },
};
export const GRAPH_ERROR: Shape = {
  required: {
    error: {
      required: {
        code: 'string',
        message: 'string',
        innerError: {
          required: { date: 'string', 'request-id': 'guid', 'client-request-id': 'guid' },
        },
      },
    },
  },
};

const DOTNET_TYPE: Rule = {
  enum: [
    'String',
    'DateTime',
    'Int64',
    'Int32',
    'Int16',
    'UInt64',
    'UInt32',
    'Double',
    'Single',
    'Decimal',
    'Boolean',
    'Guid',
    'TimeSpan',
    'Object',
    'Dynamic',
    'SByte',
    'Byte',
  ],
};
export const HUNTING_RESPONSE: Shape = {
  required: {
    Schema: { items: { required: { Name: 'string', Type: DOTNET_TYPE } } },
    Results: 'array',
  },
  optional: { Stats: 'object' },
};
