/**
 * Fixed vocabularies the generator draws from: operating systems, software, alert titles,
 * names. Weights approximate what real tenants show (mde-api.md §2.1, §2.2, §6 Q10). Host and
 * mail domains use `.test` names that are never contacted.
 */

export const MAIL_DOMAIN = 'contoso.test';
export const AD_DOMAIN = 'CONTOSO';
export const DNS_SUFFIX = 'corp.contoso.test';

export type OsFamily = 'windows' | 'server' | 'linux' | 'mac' | 'mobile';

export interface OsProfile {
  osPlatform: string;
  family: OsFamily;
  versions: readonly string[];
  builds: readonly (number | null)[];
  agentVersion: string | null;
}

export const OS_PROFILES: readonly (readonly [OsProfile, number])[] = [
  [
    {
      osPlatform: 'Windows10',
      family: 'windows',
      versions: ['21H2', '22H2'],
      builds: [19044, 19045],
      agentVersion: '10.8790.19045.5608',
    },
    33,
  ],
  [
    {
      osPlatform: 'Windows11',
      family: 'windows',
      versions: ['22H2', '23H2', '24H2'],
      builds: [22621, 22631, 26100],
      agentVersion: '10.8760.22631.4317',
    },
    30,
  ],
  [
    {
      osPlatform: 'WindowsServer2019',
      family: 'server',
      versions: ['1809'],
      builds: [17763],
      agentVersion: '10.8470.17763.2788',
    },
    8,
  ],
  [
    {
      osPlatform: 'WindowsServer2022',
      family: 'server',
      versions: ['21H2'],
      builds: [20348],
      agentVersion: '10.8790.20348.3207',
    },
    7,
  ],
  [
    {
      osPlatform: 'Ubuntu',
      family: 'linux',
      versions: ['20.4', '22.4', '24.4'],
      builds: [null],
      agentVersion: '30.124092.2.0',
    },
    6,
  ],
  [
    {
      osPlatform: 'RedHatEnterpriseLinux',
      family: 'linux',
      versions: ['8.9', '9.5'],
      builds: [null, 6],
      agentVersion: '30.124092.2.0',
    },
    4,
  ],
  [
    {
      osPlatform: 'Linux',
      family: 'linux',
      versions: ['5.15'],
      builds: [null],
      agentVersion: '30.124082.0.0',
    },
    1,
  ],
  [
    {
      osPlatform: 'macOS',
      family: 'mac',
      versions: ['14.5', '15.1'],
      builds: [null],
      agentVersion: '101.24092.0006',
    },
    6,
  ],
  [
    {
      osPlatform: 'iOS',
      family: 'mobile',
      versions: ['17.5'],
      builds: [null],
      agentVersion: '1.1.57180104',
    },
    2,
  ],
  [
    {
      osPlatform: 'Android',
      family: 'mobile',
      versions: ['14'],
      builds: [null],
      agentVersion: '1.0.7128.0101',
    },
    3,
  ],
];

export const HEALTH_STATUS = [
  ['Active', 70],
  ['Inactive', 15],
  ['ImpairedCommunication', 5],
  ['NoSensorData', 4],
  ['NoSensorDataImpairedCommunication', 3],
  ['Unknown', 3],
] as const;

export const ONBOARDING_STATUS = [
  ['Onboarded', 85],
  ['CanBeOnboarded', 9],
  ['Unsupported', 3],
  ['InsufficientInfo', 3],
] as const;

export const RISK_SCORE = [
  ['None', 20],
  ['Informational', 10],
  ['Low', 25],
  ['Medium', 25],
  ['High', 15],
  [null, 5],
] as const;

export const EXPOSURE_LEVEL = [
  ['None', 8],
  ['Low', 35],
  ['Medium', 40],
  ['High', 14],
  [null, 3],
] as const;

export const DEVICE_VALUE = [
  ['Normal', 70],
  ['Low', 10],
  ['High', 15],
  [null, 5],
] as const;

/** How many fractional digits a REST timestamp gets (mde-api.md §3.3: 0, 1, 2, 6, 7 seen). */
export const FRACTION_DIGITS = [
  [7, 45],
  [6, 15],
  [0, 10],
  [1, 8],
  [2, 10],
  [3, 6],
  [4, 3],
  [5, 3],
] as const;

export const RBAC_GROUPS = [
  [0, null],
  [0, null],
  [0, null],
  [41, 'Servers'],
  [42, 'Workstations-EU'],
  [43, 'Workstations-US'],
] as const;

export const MACHINE_TAGS = ['Finance', 'C-Lab-Linux', 'VIP', 'Kiosk', 'Test', 'Production'];

export const ALERT_STATUS = [
  ['New', 35],
  ['InProgress', 15],
  ['Resolved', 45],
  ['Unknown', 5],
] as const;

export const ALERT_SEVERITY = [
  ['UnSpecified', 2],
  ['Informational', 20],
  ['Low', 30],
  ['Medium', 30],
  ['High', 18],
] as const;

export const ALERT_KINDS = [
  {
    title: 'Suspicious PowerShell command line',
    category: 'Execution',
    source: 'WindowsDefenderAtp',
    mitre: ['T1059.001'],
  },
  {
    title: "Suspicious 'Meterpreter' behavior was detected",
    category: 'SuspiciousActivity',
    source: 'WindowsDefenderAv',
    mitre: ['T1064', 'T1085'],
  },
  {
    title: 'Low-reputation arbitrary code executed by signed executable',
    category: 'Execution',
    source: 'WindowsDefenderAtp',
    mitre: ['T1218'],
  },
  {
    title: 'Automated investigation started manually',
    category: 'SuspiciousActivity',
    source: 'AutomatedInvestigation',
    mitre: [],
  },
  {
    title: 'Ransomware behavior detected in the file system',
    category: 'Ransomware',
    source: 'WindowsDefenderAv',
    mitre: ['T1486'],
  },
  {
    title: 'Suspicious connection to a command-and-control server',
    category: 'CommandAndControl',
    source: 'WindowsDefenderAtp',
    mitre: ['T1071'],
  },
  {
    title: 'Credential dumping activity observed',
    category: 'CredentialAccess',
    source: 'WindowsDefenderAtp',
    mitre: ['T1003'],
  },
  { title: 'Custom indicator matched', category: 'Malware', source: 'CustomerTI', mitre: [] },
  {
    title: 'Process hollowing detected',
    category: 'DefenseEvasion',
    source: 'WindowsDefenderAtp',
    mitre: ['T1055.012'],
  },
] as const;

export const CLASSIFICATIONS = ['TruePositive', 'InformationalExpectedActivity', 'FalsePositive'];
export const DETERMINATIONS = [
  'Malware',
  'SecurityTesting',
  'LineOfBusinessApplication',
  'Clean',
  'Other',
];
export const INVESTIGATION_STATES = [
  'Queued',
  'Running',
  'Benign',
  'SuccessfullyRemediated',
  'UnsupportedAlertType',
  'Terminated',
  null,
];

export const GIVEN_NAMES = [
  'Alex',
  'Sam',
  'Kim',
  'Jordan',
  'Taylor',
  'Robin',
  'Charlie',
  'Jamie',
  'Morgan',
  'Casey',
  'Riley',
  'Avery',
  'Quinn',
  'Drew',
  'Reese',
  'Sky',
];
export const SURNAMES = [
  'Adams',
  'Baker',
  'Clark',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Meyer',
  'Novak',
  'Olsen',
  'Patel',
];
export const JOB_TITLES = [
  'Engineer',
  'Analyst',
  'Manager',
  'Sales Associate',
  'Consultant',
  null,
  null,
];
export const OFFICES = ['Building 1', 'Building 4', 'Remote', null];
export const LOGON_TYPES = [
  'Interactive',
  'RemoteInteractive',
  'Network',
  'Batch',
  'Service',
  'CachedInteractive',
];
