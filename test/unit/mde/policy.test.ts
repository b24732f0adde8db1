import { describe, expect, it } from 'vitest';
import { QuotaPacer, QUOTAS } from '../../../src/mde/quota.ts';
import { describeForbidden, errorBodyOf, retryAfterMs } from '../../../src/mde/responses.ts';
import { backoffMs } from '../../../src/mde/requester.ts';
import { decodeJwtClaims, rolesOf } from '../../../src/mde/jwt.ts';
import { OPTIONAL_ROLES, planFromRoles, REQUIRED_ROLES } from '../../../src/mde/roles.ts';

describe('quota pacing', () => {
  it('lets 45 hunting calls through in a minute and makes the 46th wait for the oldest to expire', () => {
    const pacer = new QuotaPacer();
    for (let i = 0; i < 45; i += 1) pacer.record('hunting', 1_000 + i);

    expect(pacer.waitMs('hunting', 2_000)).toBe(1_000 + 60_000 - 2_000);
    expect(pacer.waitMs('machines', 2_000)).toBe(0);
  });

  it('honours the hourly window too', () => {
    const pacer = new QuotaPacer({ ...QUOTAS, alerts: { perMinute: 100, perHour: 3 } });
    [0, 120_000, 240_000].forEach((t) => pacer.record('alerts', t));

    expect(pacer.waitMs('alerts', 300_000)).toBe(3_600_000 - 300_000);
  });

  it('has the documented quotas', () => {
    expect(QUOTAS.machines).toEqual({ perMinute: 100, perHour: 1_500 });
    expect(QUOTAS.hunting).toEqual({ perMinute: 45, perHour: 1_500 });
    expect(QUOTAS.vulnerabilities.perMinute).toBe(50);
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2024-05-02T12:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs('Thu, 02 May 2024 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially, capped at a minute, with jitter between half and all of the step', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 0.999)).toBeLessThan(1_000);
    expect(backoffMs(3, () => 0)).toBe(2_000);
    expect(backoffMs(20, () => 0.999)).toBeLessThan(60_000);
    expect(backoffMs(20, () => 0)).toBe(30_000);
  });
});

describe('error bodies and tokens', () => {
  it('reads error.code from Defender, hunting and Graph bodies', () => {
    expect(
      errorBodyOf('{"error":{"code":"ResourceNotFound","message":"Machine x was not found"}}'),
    ).toEqual({ code: 'ResourceNotFound', message: 'Machine x was not found' });
    expect(errorBodyOf('{"error":{"code":429}}')).toEqual({ code: '429' });
    expect(errorBodyOf('{"error":"invalid_client"}')).toEqual({ code: 'invalid_client' });
    expect(errorBodyOf('<html>')).toEqual({});
  });

  it('decodes roles from a JWT payload without verifying it', () => {
    const payload = Buffer.from(
      JSON.stringify({ aud: 'https://api.mock.test', roles: ['Machine.Read.All', 7] }),
    ).toString('base64url');
    const claims = decodeJwtClaims(`e30.${payload}.sig`);

    expect(claims?.aud).toBe('https://api.mock.test');
    expect(rolesOf(claims)).toEqual(['Machine.Read.All']);
    expect(decodeJwtClaims('opaque')).toBeUndefined();
  });

  it('explains a 403 with audience, expected audience and roles (B10)', () => {
    const text = describeForbidden('https://graph.mock.test', 'https://mde.mock.test', [
      'Machine.Read.All',
    ]);

    expect(text).toContain(
      'token audience https://graph.mock.test, expected https://mde.mock.test; roles: Machine.Read.All',
    );
    expect(text).toContain('apiScope');
    expect(describeForbidden('https://mde.mock.test', 'https://mde.mock.test', [])).toContain(
      'grant the missing application permission',
    );
  });
});

describe('role plan (B11)', () => {
  it('needs a machine role and nothing else', () => {
    expect(REQUIRED_ROLES.map((r) => r.part)).toEqual(['machines']);
    expect(planFromRoles(['Machine.ReadWrite.All'], []).missingRequired).toEqual([]);
    expect(planFromRoles(['Alert.Read.All'], []).missingRequired).toEqual([
      'Machine.Read.All or Machine.ReadWrite.All',
    ]);
  });

  it('disables exactly the parts whose roles are missing, with the roles named', () => {
    const plan = planFromRoles(['Machine.Read.All', 'Alert.Read.All'], undefined);

    expect(plan.disabledParts).toEqual([
      { part: 'network', reason: 'AdvancedQuery.Read.All is missing' },
      { part: 'users', reason: 'User.Read.All and AdvancedQuery.Read.All are missing' },
      {
        part: 'vulnerabilities',
        reason: 'Vulnerability.Read.All and AdvancedQuery.Read.All are missing',
      },
      { part: 'graphUsers', reason: 'no Microsoft Graph token could be obtained' },
    ]);
  });

  it('enables users and vulnerabilities through advanced hunting alone', () => {
    const plan = planFromRoles(['Machine.Read.All', 'AdvancedQuery.Read.All'], ['User.Read.All']);

    expect(plan.disabledParts.map((d) => d.part)).toEqual(['alerts']);
    expect(OPTIONAL_ROLES.every((r) => r.enables.length > 0)).toBe(true);
  });
});
