import { describe, expect, it, vi } from 'vitest';
import { allowedApiHosts, profileEndpoints, toOrigin } from '../../../src/config/clouds.ts';
import { validateConnection } from '../../../src/config/validate.ts';

const base = {
  tenantId: '00000000-0000-0000-0000-000000000000',
  clientId: '11111111-1111-1111-1111-111111111111',
  clientSecret: 's',
};
const endpointsOf = (
  configuration: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  onWarning?: (f: Record<string, unknown>, m: string) => void,
) =>
  validateConnection(
    { configurations: [{ ...base, ...configuration }], ...extra },
    onWarning ? { onWarning } : {},
  ).configurations[0]?.endpoints;

describe('cloud profiles', () => {
  it('fixes login host, API host and scopes together for each named cloud', () => {
    expect(endpointsOf({})).toEqual({
      cloud: 'commercial',
      loginUrl: 'https://login.microsoftonline.com',
      apiUrl: 'https://api.securitycenter.microsoft.com',
      apiScope: 'https://api.securitycenter.microsoft.com/.default',
      graphUrl: 'https://graph.microsoft.com',
      graphScope: 'https://graph.microsoft.com/.default',
    });
    expect(endpointsOf({ cloud: 'gcc' })).toMatchObject({
      loginUrl: 'https://login.microsoftonline.com',
      apiUrl: 'https://api-gcc.securitycenter.microsoft.us',
    });
    expect(endpointsOf({ cloud: 'gcc-high' })).toMatchObject({
      loginUrl: 'https://login.microsoftonline.us',
      graphUrl: 'https://graph.microsoft.us',
    });
    expect(endpointsOf({ cloud: 'dod' })).toMatchObject({
      apiUrl: 'https://api-gov.securitycenter.microsoft.us',
      graphUrl: 'https://dod-graph.microsoft.us',
    });
  });

  it('uses the regional host for commercial regions but keeps the commercial token audience', () => {
    for (const region of ['us', 'eu', 'uk', 'au', 'swa']) {
      const endpoints = endpointsOf({ region });
      expect(endpoints?.apiUrl).toBe(`https://${region}.api.security.microsoft.com`);
      expect(endpoints?.apiScope).toBe('https://api.securitycenter.microsoft.com/.default');
    }
  });

  it('takes custom hosts explicitly and defaults their scopes to <origin>/.default', () => {
    const endpoints = endpointsOf({
      cloud: 'custom',
      loginUrl: 'https://login.mock.test',
      apiUrl: 'https://mde.mock.test:8443',
      graphUrl: 'https://graph.mock.test',
      graphScope: 'https://graph.mock.test/custom/.default',
    });

    expect(endpoints).toEqual({
      cloud: 'custom',
      loginUrl: 'https://login.mock.test',
      apiUrl: 'https://mde.mock.test:8443',
      apiScope: 'https://mde.mock.test:8443/.default',
      graphUrl: 'https://graph.mock.test',
      graphScope: 'https://graph.mock.test/custom/.default',
    });
  });

  it('treats explicit hosts without a cloud as custom', () => {
    expect(
      endpointsOf({
        loginUrl: 'https://login.mock.test',
        apiUrl: 'https://mde.mock.test',
        graphUrl: 'https://graph.mock.test',
      })?.cloud,
    ).toBe('custom');
  });

  it('applies a non-default host port to an API host that names none', () => {
    expect(endpointsOf({}, { hostPort: 8443 })?.apiUrl).toBe(
      'https://api.securitycenter.microsoft.com:8443',
    );
  });

  it('allows next links on the other commercial Defender hosts but only the configured host elsewhere', () => {
    expect(allowedApiHosts(profileEndpoints('commercial', 'eu'))).toEqual(
      expect.arrayContaining([
        'eu.api.security.microsoft.com',
        'api.securitycenter.microsoft.com',
        'api-eu.securitycenter.microsoft.com',
      ]),
    );
    expect(allowedApiHosts(profileEndpoints('gcc'))).toEqual([
      'api-gcc.securitycenter.microsoft.us',
    ]);
  });
});

describe('base URLs typed with a path (B26)', () => {
  for (const typed of [
    'https://mde.mock.test/api/alerts/',
    'https://mde.mock.test/api/',
    'https://mde.mock.test/',
    'https://mde.mock.test/api/machines?$top=1',
    'https://MDE.mock.test//',
  ]) {
    it(`cleans ${typed} to its origin with a warning`, () => {
      const warn = vi.fn();

      const endpoints = endpointsOf(
        {
          cloud: 'custom',
          loginUrl: 'https://login.mock.test',
          apiUrl: typed,
          graphUrl: 'https://graph.mock.test',
        },
        {},
        warn,
      );

      expect(endpoints?.apiUrl).toBe('https://mde.mock.test');
      const cleanedPath = typed.replace(/^https:\/\/[^/]+/i, '');
      if (cleanedPath !== '/' || typed.includes('?'))
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({
            key: 'connection.configurations[0].apiUrl',
            value: typed,
            cleaned: 'https://mde.mock.test',
          }),
          'base URL path removed',
        );
    });
  }

  it('does not warn about a bare origin', () => {
    expect(toOrigin('https://mde.mock.test')).toEqual({
      origin: 'https://mde.mock.test',
      wasCleaned: false,
    });
  });
});
