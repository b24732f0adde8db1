import { describe, expect, it } from 'vitest';
import { validateAppConfig, validateConnection } from '../../../src/config/validate.ts';
import { hintFor } from '../../../src/config/bindings.ts';
import { ConfigError } from '../../../src/errors.ts';

const TENANT = '00000000-0000-0000-0000-000000000000';
const CLIENT = '11111111-1111-1111-1111-111111111111';
const good = { tenantId: TENANT, clientId: CLIENT, clientSecret: 's3cret-value' };
const connection = (
  configuration: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) => ({
  name: 'conn',
  configurations: [{ ...good, ...configuration }],
  ...extra,
});

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConnection rules, each naming the key', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string, string][] = [
    [
      'a tenant id that is not a UUID',
      { tenantId: 'abc' },
      {},
      'connection.configurations[0].tenantId',
      '"abc" is not a UUID',
    ],
    [
      'a client id that is not a UUID',
      { clientId: 'app-1' },
      {},
      'connection.configurations[0].clientId',
      '"app-1" is not a UUID',
    ],
    [
      'a missing tenant id',
      { tenantId: undefined },
      {},
      'connection.configurations[0].tenantId',
      'is missing',
    ],
    [
      'neither secret nor certificate',
      { clientSecret: undefined },
      {},
      'connection.configurations[0].clientSecret',
      'is missing',
    ],
    [
      'both secret and certificate',
      { certificatePath: '/c.pem' },
      {},
      'connection.configurations[0].certificatePath',
      'together with clientSecret',
    ],
    [
      'a configuration name with a space',
      { name: 'my config' },
      {},
      'connection.configurations[0].name',
      'only letters, digits',
    ],
    [
      'a description with a slash',
      { description: 'a/b' },
      {},
      'connection.configurations[0].description',
      'only letters, digits',
    ],
    [
      'a connection name with a colon',
      {},
      { name: 'a:b' },
      'connection.name',
      'only letters, digits',
    ],
    [
      'a frequency of zero',
      {},
      { frequencyMinutes: 0 },
      'connection.frequencyMinutes',
      'whole number at least 1',
    ],
    [
      'a fractional frequency',
      {},
      { frequencyMinutes: 1.5 },
      'connection.frequencyMinutes',
      'whole number',
    ],
    ['a host port above 65535', {}, { hostPort: 70000 }, 'connection.hostPort', 'from 1 to 65535'],
    [
      'an edge gateway that is not a URL',
      {},
      { edgeGateway: 'proxy:8080' },
      'connection.edgeGateway',
      'must use http or https',
    ],
    [
      'an edge gateway with credentials',
      {},
      { edgeGateway: 'http://u:p@proxy.mock.test:8080' },
      'connection.edgeGateway',
      'carries credentials',
    ],
    [
      'an unknown cloud',
      { cloud: 'china' },
      {},
      'connection.configurations[0].cloud',
      'is not one of',
    ],
    [
      'a region outside commercial',
      { cloud: 'gcc', region: 'eu' },
      {},
      'connection.configurations[0].region',
      'only to cloud "commercial"',
    ],
    [
      'a custom cloud without its login URL',
      { cloud: 'custom', apiUrl: 'https://a.mock.test', graphUrl: 'https://g.mock.test' },
      {},
      'connection.configurations[0].loginUrl',
      'is missing',
    ],
    [
      'a custom API URL over plain http',
      {
        cloud: 'custom',
        loginUrl: 'https://l.mock.test',
        apiUrl: 'http://a.mock.test',
        graphUrl: 'https://g.mock.test',
      },
      {},
      'connection.configurations[0].apiUrl',
      'https URL',
    ],
    [
      'explicit hosts with a named cloud',
      { cloud: 'commercial', apiUrl: 'https://a.mock.test' },
      {},
      'connection.configurations[0].apiUrl',
      'set cloud to "custom"',
    ],
    [
      'an unknown key such as tenantID',
      { tenantID: TENANT },
      {},
      'connection.configurations[0].tenantID',
      'is not a known key',
    ],
    [
      'an empty configuration list',
      {},
      { configurations: [] },
      'connection.configurations',
      'non-empty array',
    ],
  ];

  for (const [what, configuration, extra, key, text] of cases) {
    it(`rejects ${what} and names ${key}`, () => {
      const error = errorOf(() =>
        validateConnection(connection(configuration, extra), { sourceName: './x.json', hintFor }),
      );

      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain(`${key} `);
      expect(error.message).toContain(text);
      expect(error.message).toContain('./x.json');
    });
  }

  it('names the environment variable and flag in the message, as in the docs example', () => {
    const error = errorOf(() =>
      validateConnection(connection({ tenantId: 'abc' }), { sourceName: './x.json', hintFor }),
    );

    expect(error.message).toMatch(
      /^connection\.configurations\[0\]\.tenantId "abc" is not a UUID .*; set it in \.\/x\.json or MDE_TENANT_ID or --tenantID$/,
    );
    expect(error.key).toBe('connection.configurations[0].tenantId');
  });

  it('never shows a secret value in a message', () => {
    const error = errorOf(() =>
      validateConnection(
        connection({ clientSecret: 12345678, certificatePassword: { x: 'hidden-pass' } }),
      ),
    );

    expect(error.message).toContain('(value hidden)');
    expect(error.message).not.toContain('12345678');
    expect(error.message).not.toContain('hidden-pass');
  });

  it('reports every problem of a connection at once', () => {
    const error = errorOf(() =>
      validateConnection(connection({ tenantId: 'x', clientId: 'y' }, { hostPort: 0 })),
    );

    expect(error.details.issues).toHaveLength(3);
  });

  it('accepts a valid connection, applies defaults and freezes it', () => {
    const result = validateConnection(
      connection({}, { edgeGateway: 'http://proxy.mock.test:3128' }),
    );

    expect(result).toMatchObject({
      name: 'conn',
      description: '',
      frequencyMinutes: 60,
      hostPort: 443,
      edgeGateway: 'http://proxy.mock.test:3128',
    });
    expect(result.configurations[0]?.endpoints.apiUrl).toBe(
      'https://api.securitycenter.microsoft.com',
    );
    expect(Object.isFrozen(result)).toBe(true);
  });

  it('rejects two configurations with the same name', () => {
    const error = errorOf(() => validateConnection({ configurations: [good, good] }));

    expect(error.message).toContain('connection.configurations[1].name');
  });
});

describe('validateAppConfig sections', () => {
  const base = { connection: connection() };

  it('rejects a page size above 10,000 and names sync.pageSize', () => {
    expect(
      errorOf(() => validateAppConfig({ ...base, sync: { pageSize: 20_000 } })).message,
    ).toContain('sync.pageSize 20000 is not a whole number from 1 to 10000');
  });

  it('has no switch to turn TLS verification off', () => {
    expect(
      errorOf(() => validateAppConfig({ ...base, http: { rejectUnauthorized: false } })).message,
    ).toContain('http.rejectUnauthorized');
  });

  it('requires a CAR URL and credentials when the target is car', () => {
    const error = errorOf(() => validateAppConfig({ ...base, target: { kind: 'car' } }));

    expect(error.message).toContain('target.car.url is missing');
    expect(error.message).toContain('target.car.key is missing');
  });

  it('rejects an unknown log level and names log.level', () => {
    expect(errorOf(() => validateAppConfig({ ...base, log: { level: 'loud' } })).message).toContain(
      'log.level "loud" is not one of',
    );
  });

  it('accepts numbers and booleans given as text by the environment', () => {
    const config = validateAppConfig({
      ...base,
      sync: { pageSize: '500', includeAlerts: 'false' },
    });

    expect(config.sync.pageSize).toBe(500);
    expect(config.sync.includeAlerts).toBe(false);
  });
});
