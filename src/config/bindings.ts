/**
 * Where environment variables, secret files and CLI flags land in the configuration. The
 * existing IBM connector's names (car-service.md §3.1) sit beside ours so this connector can
 * replace its container as is; within one layer our `MDE_*` name wins over the legacy one.
 */

/** A key of the raw (file-shaped) configuration, e.g. `['connection', 'configurations', 0, 'tenantId']`. */
export type RawPath = readonly (string | number)[];

export interface Binding {
  path: RawPath;
  /** Environment variables (and secret-file names), ours first. */
  env: readonly string[];
  /** camelCase flag key as the CLI passes it in `flags`. */
  flag?: string;
  /** A file system path: relative values are resolved against the working directory. */
  isPath?: boolean;
}

const CFG = ['connection', 'configurations', 0] as const;

/** Every environment variable and flag the configuration reads. */
export const BINDINGS: readonly Binding[] = [
  {
    path: [...CFG, 'tenantId'],
    env: ['MDE_TENANT_ID', 'CONFIGURATION_AUTH_TENANT'],
    flag: 'tenantID',
  },
  {
    path: [...CFG, 'clientId'],
    env: ['MDE_CLIENT_ID', 'CONFIGURATION_AUTH_CLIENTID'],
    flag: 'clientID',
  },
  {
    path: [...CFG, 'clientSecret'],
    env: ['MDE_CLIENT_SECRET', 'CONFIGURATION_AUTH_CLIENTSECRET'],
    flag: 'clientSecret',
  },
  {
    path: [...CFG, 'subscriptionId'],
    env: ['MDE_SUBSCRIPTION_ID', 'CONFIGURATION_AUTH_SUBSCRIPTION_ID'],
    flag: 'subscriptionID',
  },
  {
    path: [...CFG, 'certificatePath'],
    env: ['MDE_CERTIFICATE_PATH'],
    flag: 'certificatePath',
    isPath: true,
  },
  { path: [...CFG, 'certificatePassword'], env: ['MDE_CERTIFICATE_PASSWORD'] },
  { path: [...CFG, 'cloud'], env: ['MDE_CLOUD'], flag: 'cloud' },
  { path: [...CFG, 'region'], env: ['MDE_REGION'], flag: 'region' },
  { path: [...CFG, 'loginUrl'], env: ['MDE_LOGIN_URL'], flag: 'loginUrl' },
  { path: [...CFG, 'apiUrl'], env: ['MDE_API_URL'], flag: 'apiUrl' },
  { path: [...CFG, 'graphUrl'], env: ['MDE_GRAPH_URL'], flag: 'graphUrl' },
  { path: [...CFG, 'apiScope'], env: ['MDE_API_SCOPE'] },
  { path: [...CFG, 'graphScope'], env: ['MDE_GRAPH_SCOPE'] },
  { path: ['connection', 'name'], env: ['MDE_CONNECTION_NAME', 'CONNECTION_NAME'], flag: 'source' },
  {
    path: ['connection', 'frequencyMinutes'],
    env: ['MDE_FREQUENCY_MINUTES'],
    flag: 'frequencyMinutes',
  },
  { path: ['connection', 'edgeGateway'], env: ['MDE_EDGE_GATEWAY'], flag: 'edgeGateway' },
  { path: ['connection', 'hostPort'], env: ['MDE_HOST_PORT'], flag: 'hostPort' },
  { path: ['http', 'caFile'], env: ['MDE_CA_FILE'], flag: 'caFile', isPath: true },
  { path: ['http', 'maxRetryWaitSeconds'], env: ['MDE_MAX_RETRY_WAIT_SECONDS'] },
  { path: ['sync', 'pageSize'], env: ['MDE_PAGE_SIZE'], flag: 'pageSize' },
  { path: ['sync', 'forceFull'], env: [], flag: 'full' },
  { path: ['target', 'kind'], env: ['MDE_TARGET'], flag: 'target' },
  { path: ['target', 'dbPath'], env: ['MDE_DB_PATH'], flag: 'db', isPath: true },
  { path: ['target', 'outDir'], env: ['MDE_OUT_DIR'], flag: 'out', isPath: true },
  { path: ['target', 'car', 'url'], env: ['CAR_SERVICE_URL'], flag: 'carServiceUrl' },
  { path: ['target', 'car', 'key'], env: ['CAR_SERVICE_KEY'], flag: 'carServiceKey' },
  {
    path: ['target', 'car', 'password'],
    env: ['CAR_SERVICE_PASSWORD'],
    flag: 'carServicePassword',
  },
  {
    path: ['target', 'car', 'urlForToken'],
    env: ['CAR_SERVICE_URL_FOR_AUTHTOKEN'],
    flag: 'carServiceUrlForToken',
  },
  { path: ['target', 'car', 'token'], env: ['CAR_SERVICE_AUTHTOKEN'], flag: 'carServiceToken' },
  { path: ['log', 'level'], env: ['MDE_LOG_LEVEL'], flag: 'logLevel' },
];

/** The folder of secret files (IBM's `/etc/secrets` convention) comes from this variable or flag. */
export const SECRETS_DIR_ENV = 'MDE_SECRETS_DIR';
export const SECRETS_DIR_FLAG = 'secretsDir';

/** Dotted form of a raw path: `connection.configurations[0].tenantId`. */
export function pathToKey(path: RawPath): string {
  return path.reduce<string>((key, part) => {
    if (typeof part === 'number') return `${key}[${part}]`;
    return key === '' ? part : `${key}.${part}`;
  }, '');
}

/** "MDE_TENANT_ID or --tenantID" for a key that the environment or a flag can set. */
export function hintFor(key: string): string | undefined {
  const binding = BINDINGS.find((b) => pathToKey(b.path) === key);
  if (!binding) return undefined;
  const names = [...binding.env.slice(0, 1), ...(binding.flag ? [`--${binding.flag}`] : [])];
  return names.length > 0 ? names.join(' or ') : undefined;
}
