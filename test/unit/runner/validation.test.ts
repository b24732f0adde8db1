import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import {
  RULES,
  validateConfigurationInput,
  validateConnectionInput,
  type FieldError,
} from '../../../src/runner/validation.ts';
import { CLIENT_SECRET, configurationBody, connectionBody } from './fixtures.ts';

function fieldErrors(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).details.fields as FieldError[];
  }
  throw new Error('expected a ConfigError');
}

describe('connection validation', () => {
  it('accepts a valid connection and fills the default host port', () => {
    const result = validateConnectionInput(connectionBody());
    expect(result).toMatchObject({ name: 'contoso-prod', frequencyMinutes: 15, hostPort: 443 });
  });

  it('refuses configurations sent with the connection instead of dropping them silently', () => {
    const errors = fieldErrors(() =>
      validateConnectionInput({ ...connectionBody(), configurations: [configurationBody()] }),
    );
    expect(errors.map((e) => e.field)).toEqual(['configurations']);
    expect(errors[0]?.message).toMatch(/POST \/api\/connections\/\{name\}\/configurations/);
  });

  it('rejects a name with a space and names the field, the value and the rule', () => {
    const errors = fieldErrors(() =>
      validateConnectionInput(connectionBody({ name: 'bad name!' })),
    );
    expect(errors).toEqual([
      {
        field: 'name',
        rule: RULES.name,
        message: `name "bad name!" is not allowed; it must be ${RULES.name}`,
      },
    ]);
  });

  it('rejects a description with characters outside letters, digits, dash, dot and underscore', () => {
    const errors = fieldErrors(() =>
      validateConnectionInput(connectionBody({ description: 'main tenant' })),
    );
    expect(errors.map((e) => e.field)).toEqual(['description']);
    expect(errors[0]?.rule).toBe(RULES.description);
  });

  it.each([0, -5, 1.5, 'often'])(
    'rejects frequencyMinutes %j as not a positive whole number',
    (value) => {
      const errors = fieldErrors(() =>
        validateConnectionInput(connectionBody({ frequencyMinutes: value })),
      );
      expect(errors[0]).toMatchObject({ field: 'frequencyMinutes', rule: RULES.frequencyMinutes });
    },
  );

  it.each([0, 65536, 'https'])('rejects hostPort %j outside 1 to 65535', (value) => {
    const errors = fieldErrors(() => validateConnectionInput(connectionBody({ hostPort: value })));
    expect(errors[0]).toMatchObject({ field: 'hostPort', rule: RULES.hostPort });
  });

  it('accepts an http proxy as edge gateway and rejects one with credentials in it', () => {
    expect(
      validateConnectionInput(connectionBody({ edgeGateway: 'http://proxy.mock.test:3128' }))
        .edgeGateway,
    ).toBe('http://proxy.mock.test:3128');
    const errors = fieldErrors(() =>
      validateConnectionInput(
        connectionBody({ edgeGateway: 'http://user:pw@proxy.mock.test:3128' }),
      ),
    );
    expect(errors[0]?.field).toBe('edgeGateway');
    expect(errors[0]?.message).not.toContain('pw');
  });

  it('reports every invalid field at once', () => {
    const errors = fieldErrors(() =>
      validateConnectionInput({
        name: '',
        frequencyMinutes: 0,
        hostPort: 70000,
        edgeGateway: 'ftp://x',
      }),
    );
    expect(errors.map((e) => e.field)).toEqual([
      'name',
      'frequencyMinutes',
      'hostPort',
      'edgeGateway',
    ]);
  });
});

describe('configuration validation', () => {
  it('accepts a custom-cloud configuration and lower-cases the ids', () => {
    const result = validateConfigurationInput(
      configurationBody({ tenantId: '11111111-2222-4333-8444-55555555555A' }),
      { hasStoredSecret: false },
    );
    expect(result.tenantId).toBe('11111111-2222-4333-8444-55555555555a');
    expect(result.clientSecret).toBe(CLIENT_SECRET);
  });

  it('rejects tenant and client ids that are not UUIDs, naming each field', () => {
    const errors = fieldErrors(() =>
      validateConfigurationInput(
        configurationBody({ tenantId: 'contoso.onmicrosoft.com', clientId: '1234' }),
        {
          hasStoredSecret: false,
        },
      ),
    );
    expect(errors.map((e) => [e.field, e.rule])).toEqual([
      ['tenantId', RULES.uuid],
      ['clientId', RULES.uuid],
    ]);
  });

  it('requires a client secret on create but not on an edit that keeps the stored one', () => {
    const body = configurationBody({ clientSecret: '' });
    expect(
      fieldErrors(() => validateConfigurationInput(body, { hasStoredSecret: false }))[0]?.field,
    ).toBe('clientSecret');
    expect(
      validateConfigurationInput(body, { hasStoredSecret: true }).clientSecret,
    ).toBeUndefined();
  });

  it('never puts the secret into a message, even when it has the wrong type', () => {
    const errors = fieldErrors(() =>
      validateConfigurationInput(configurationBody({ clientSecret: 12345678, tenantId: 'x' }), {
        hasStoredSecret: false,
      }),
    );
    expect(JSON.stringify(errors)).not.toContain('12345678');
  });

  it('requires the login and API URLs for the custom cloud and rejects a URL with a path', () => {
    const errors = fieldErrors(() =>
      validateConfigurationInput(
        configurationBody({ loginUrl: '', apiUrl: 'https://api.mock.test/api' }),
        {
          hasStoredSecret: false,
        },
      ),
    );
    expect(errors.map((e) => e.field)).toEqual(['loginUrl', 'apiUrl']);
  });

  it('rejects an unknown cloud name', () => {
    const errors = fieldErrors(() =>
      validateConfigurationInput(configurationBody({ cloud: 'azure-china' }), {
        hasStoredSecret: false,
      }),
    );
    expect(errors[0]).toMatchObject({ field: 'cloud', rule: RULES.cloud });
  });
});
