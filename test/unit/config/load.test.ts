import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, redactConfig, DEFAULTS, SECRET_FIELDS } from '../../../src/config/index.ts';
import { ConfigError, hasCode } from '../../../src/errors.ts';

const TENANT = '00000000-0000-0000-0000-000000000000';
const CLIENT = '11111111-1111-1111-1111-111111111111';
const CREDENTIALS = {
  MDE_TENANT_ID: TENANT,
  MDE_CLIENT_ID: CLIENT,
  MDE_CLIENT_SECRET: 'env-secret',
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mde-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function failure(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig layering', () => {
  it('applies defaults < file < env < flags', () => {
    const path = file('layers.json', {
      connection: {
        name: 'from-file',
        frequencyMinutes: 15,
        configurations: [{ tenantId: TENANT, clientId: CLIENT, clientSecret: 'file-secret' }],
      },
      log: { level: 'debug' },
    });

    const config = loadConfig({
      file: path,
      env: { CONNECTION_NAME: 'from-env', MDE_LOG_LEVEL: 'warn' },
      flags: { logLevel: 'error' },
    });

    expect(config.connection.name).toBe('from-env');
    expect(config.connection.frequencyMinutes).toBe(15);
    expect(config.connection.hostPort).toBe(DEFAULTS.connection.hostPort);
    expect(config.log.level).toBe('error');
    expect(config.connection.configurations[0]?.clientSecret).toBe('file-secret');
  });

  it('reads the existing connector environment names and prefers MDE_* within the environment', () => {
    const config = loadConfig({
      env: {
        CONFIGURATION_AUTH_TENANT: TENANT,
        CONFIGURATION_AUTH_CLIENTID: CLIENT,
        CONFIGURATION_AUTH_CLIENTSECRET: 'legacy',
        MDE_CLIENT_SECRET: 'ours',
        CONFIGURATION_AUTH_SUBSCRIPTION_ID: '22222222-2222-2222-2222-222222222222',
      },
    });

    const first = config.connection.configurations[0];
    expect(first?.tenantId).toBe(TENANT);
    expect(first?.clientSecret).toBe('ours');
    expect(first?.subscriptionId).toBe('22222222-2222-2222-2222-222222222222');
  });

  it('maps the CAR variables to target.car and switches the target to car', () => {
    const config = loadConfig({
      env: {
        ...CREDENTIALS,
        CAR_SERVICE_URL: 'https://car.mock.test/api/car/v2',
        CAR_SERVICE_KEY: 'k',
        CAR_SERVICE_PASSWORD: 'p',
        CAR_SERVICE_URL_FOR_AUTHTOKEN: 'https://car.mock.test/token',
      },
    });

    expect(config.target.kind).toBe('car');
    expect(config.target.car).toMatchObject({
      url: 'https://car.mock.test/api/car/v2',
      key: 'k',
      password: 'p',
      urlForToken: 'https://car.mock.test/token',
    });
  });

  it('takes flags with the existing connector names', () => {
    const config = loadConfig({
      flags: {
        tenantID: TENANT,
        clientID: CLIENT,
        clientSecret: 'flag',
        source: 'atp-source',
        carServiceUrl: 'https://car.mock.test/api/car/v2',
        carServiceToken: 't',
        full: true,
        db: 'x.db',
      },
      cwd: dir,
    });

    expect(config.connection.name).toBe('atp-source');
    expect(config.target.kind).toBe('car');
    expect(config.target.car.token).toBe('t');
    expect(config.sync.forceFull).toBe(true);
    expect(config.target.dbPath).toBe(join(dir, 'x.db'));
  });

  it('reads secrets from a folder of files named after the variables', () => {
    const secrets = join(dir, 'secrets');
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, 'CONFIGURATION_AUTH_CLIENTSECRET'), 'from-file\n');

    const config = loadConfig({
      env: { MDE_TENANT_ID: TENANT, MDE_CLIENT_ID: CLIENT, MDE_CLIENT_SECRET: 'env' },
      flags: { secretsDir: secrets },
    });

    expect(config.connection.configurations[0]?.clientSecret).toBe('from-file');
  });

  it('resolves relative paths in a file against the file folder', () => {
    writeFileSync(join(dir, 'ca.pem'), 'not really a certificate');
    const path = file('paths.json', {
      connection: { configurations: [{ tenantId: TENANT, clientId: CLIENT, clientSecret: 's' }] },
      http: { caFile: 'ca.pem' },
      target: { dbPath: 'data/x.db' },
    });

    const config = loadConfig({ file: path, cwd: '/' });

    expect(config.http.caFile).toBe(join(dir, 'ca.pem'));
    expect(config.target.dbPath).toBe(join(dir, 'data/x.db'));
  });

  it('returns a deep-frozen configuration', () => {
    const config = loadConfig({ env: CREDENTIALS });

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.connection.configurations[0]?.endpoints)).toBe(true);
  });

  it('explains how to get started when there is neither a file nor credentials', () => {
    const error = failure(() => loadConfig({ env: {} }));

    expect(error.message).toContain('mde-car simulate --write-profile sim.json');
    expect(error.message).toContain('--config sim.json');
  });

  it('reports an unreadable or malformed file as CONFIG_FILE_UNREADABLE', () => {
    const missing = (() => {
      try {
        loadConfig({ file: join(dir, 'absent.json') });
      } catch (e) {
        return e;
      }
    })();
    const broken = (() => {
      try {
        loadConfig({ file: file('broken.json', '{ not json') });
      } catch (e) {
        return e;
      }
    })();

    expect(hasCode(missing, 'CONFIG_FILE_UNREADABLE')).toBe(true);
    expect(hasCode(broken, 'CONFIG_FILE_UNREADABLE')).toBe(true);
  });

  it('rejects a CA file that cannot be read, naming the key and where to set it', () => {
    const error = failure(() =>
      loadConfig({ env: { ...CREDENTIALS, MDE_CA_FILE: join(dir, 'none.pem') } }),
    );

    expect(error.key).toBe('http.caFile');
    expect(error.message).toContain('MDE_CA_FILE');
  });
});

describe('redactConfig', () => {
  it('replaces every secret field and leaves the rest', () => {
    const config = loadConfig({
      env: {
        ...CREDENTIALS,
        CAR_SERVICE_URL: 'https://car.mock.test/api/car/v2',
        CAR_SERVICE_KEY: 'k',
        CAR_SERVICE_PASSWORD: 'car-pass',
        CAR_SERVICE_AUTHTOKEN: 'car-token',
      },
    });

    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);

    expect(SECRET_FIELDS.length).toBeGreaterThanOrEqual(4);
    expect(text).not.toContain('env-secret');
    expect(text).not.toContain('car-pass');
    expect(text).not.toContain('car-token');
    expect(redacted.connection.configurations[0]?.tenantId).toBe(TENANT);
    expect(redacted.target.car.key).toBe('k');
    expect(config.connection.configurations[0]?.clientSecret).toBe('env-secret');
  });
});
