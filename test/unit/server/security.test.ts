import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConnectorError } from '../../../src/errors.ts';
import { HttpError, toHttpError } from '../../../src/server/http-errors.ts';
import {
  allowedHostsFor,
  checkHost,
  checkOrigin,
  checkToken,
} from '../../../src/server/security.ts';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

function statusOf(fn: () => void): number | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as HttpError).status;
  }
}

describe('request guards', () => {
  it('accepts the right bearer token and refuses a missing, wrong or differently cased one', () => {
    expect(
      statusOf(() => checkToken(request({ authorization: 'Bearer s3cret-token' }), 's3cret-token')),
    ).toBeUndefined();
    expect(statusOf(() => checkToken(request({}), 's3cret-token'))).toBe(401);
    expect(
      statusOf(() => checkToken(request({ authorization: 'Bearer s3cret' }), 's3cret-token')),
    ).toBe(401);
    expect(
      statusOf(() => checkToken(request({ authorization: 'Bearer S3CRET-TOKEN' }), 's3cret-token')),
    ).toBe(401);
  });

  it('refuses a change whose Origin is not the server itself, and any cross-site fetch', () => {
    const host = '127.0.0.1:8080';
    expect(
      statusOf(() => checkOrigin(request({ host, origin: 'http://127.0.0.1:8080' }))),
    ).toBeUndefined();
    expect(statusOf(() => checkOrigin(request({ host })))).toBeUndefined();
    expect(statusOf(() => checkOrigin(request({ host, origin: 'http://127.0.0.1:9999' })))).toBe(
      403,
    );
    expect(statusOf(() => checkOrigin(request({ host, origin: 'null' })))).toBe(403);
    expect(statusOf(() => checkOrigin(request({ host, 'sec-fetch-site': 'cross-site' })))).toBe(
      403,
    );
  });

  it('answers only for loopback names when bound to loopback', () => {
    const allowed = allowedHostsFor('127.0.0.1');
    expect(statusOf(() => checkHost(request({ host: 'localhost:8080' }), allowed))).toBeUndefined();
    expect(statusOf(() => checkHost(request({ host: '[::1]:8080' }), allowed))).toBeUndefined();
    expect(statusOf(() => checkHost(request({ host: 'rebind.mock.test:8080' }), allowed))).toBe(
      421,
    );
  });

  it('adds the bound address and named extra hosts, and turns the check off only for a bare wildcard bind', () => {
    expect(allowedHostsFor('192.0.2.10')?.has('192.0.2.10')).toBe(true);
    expect(allowedHostsFor('0.0.0.0')).toBeUndefined();
    expect(allowedHostsFor('0.0.0.0', ['connector.mock.test'])?.has('connector.mock.test')).toBe(
      true,
    );
  });
});

describe('error mapping', () => {
  it('maps a ConfigError to 400 with its field and every field problem', () => {
    const err = new ConfigError('name "x y" is not allowed', {
      key: 'name',
      details: {
        fields: [{ field: 'name', rule: 'letters', message: 'name "x y" is not allowed' }],
      },
    });
    const mapped = toHttpError(err, 'req-1');
    expect(mapped.status).toBe(400);
    expect(mapped.body.error).toMatchObject({
      code: 'CONFIG_INVALID',
      field: 'name',
      reqId: 'req-1',
    });
    expect(mapped.body.error.fields).toHaveLength(1);
  });

  it.each([
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['SEARCH_INPUT_INVALID', 400],
    ['STORE_BUSY', 503],
    ['STORE_FAILED', 500],
  ] as const)('maps %s to %i', (code, status) => {
    expect(toHttpError(new ConnectorError(code, 'm'), 'r').status).toBe(status);
  });

  it('answers an unknown error with a generic message naming only the request id', () => {
    const mapped = toHttpError(
      new TypeError('cannot read x of undefined at /src/secret.ts'),
      'req-9',
    );
    expect(mapped.status).toBe(500);
    expect(JSON.stringify(mapped.body)).not.toContain('secret.ts');
    expect(mapped.body.error.message).toContain('req-9');
  });
});
