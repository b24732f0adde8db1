/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the API's bodies. They mirror
 * src/runner/types.ts and src/car/search-types.ts; names and descriptions follow DESIGN.md §2.
 */

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const NAME = {
  type: 'string',
  pattern: '^[A-Za-z0-9._-]{1,100}$',
  description: "Letters, digits, '-', '.', '_'.",
};
const DESCRIPTION = {
  type: 'string',
  pattern: '^[A-Za-z0-9._-]{0,500}$',
  description: "Letters, digits, '-', '.', '_'; may be empty.",
};
const UUID = { type: 'string', format: 'uuid' };
const STATE = { enum: ['unavailable', 'connected', 'error'] };
const CATEGORY = {
  enum: ['credentials', 'permission', 'network', 'throttled', 'car', 'store', 'config'],
};

const statusFields = {
  state: STATE,
  category: CATEGORY,
  message: str,
  errorCode: str,
  firstImportAt: str,
  lastSuccessAt: str,
  lastCheckAt: str,
  isRunning: { type: 'boolean' },
  nextRunAt: str,
};

const HOLDER = {
  type: 'object',
  properties: {
    firstSeen: strOrNull,
    lastSeen: strOrNull,
    asset: {
      type: 'object',
      properties: {
        externalId: str,
        name: strOrNull,
        os: strOrNull,
        active: { type: 'boolean' },
        lifecycle: { enum: ['active', 'inactive', 'disabled'] },
        hasEdr: { type: 'boolean' },
        risk: {
          type: 'object',
          properties: {
            score: { type: ['number', 'null'] },
            level: { enum: ['unknown', 'none', 'low', 'medium', 'high', 'critical'] },
            factors: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: str,
                  value: str,
                  contribution: { type: 'number' },
                  explanation: str,
                },
              },
            },
          },
        },
        hostnames: { type: 'array', items: str },
        ipAddresses: { type: 'array', items: str },
        macAddresses: { type: 'array', items: str },
        users: { type: 'array', items: str },
      },
    },
  },
};

/** Component schemas. */
export const OPENAPI_SCHEMAS = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'reqId'],
        properties: {
          code: str,
          message: str,
          reqId: str,
          field: str,
          fields: {
            type: 'array',
            items: { type: 'object', properties: { field: str, rule: str, message: str } },
          },
        },
      },
    },
  },
  ConnectionInput: {
    type: 'object',
    required: ['name'],
    properties: {
      name: NAME,
      description: DESCRIPTION,
      frequencyMinutes: { type: 'integer', minimum: 1, default: 60 },
      hostPort: { type: 'integer', minimum: 1, maximum: 65535, default: 443 },
      edgeGateway: {
        type: 'string',
        description: 'Optional http(s) proxy URL through the firewall.',
      },
    },
  },
  Connection: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: NAME,
      description: DESCRIPTION,
      frequencyMinutes: { type: 'integer' },
      hostPort: { type: 'integer' },
      edgeGateway: str,
      createdAt: str,
      updatedAt: str,
      configurations: { type: 'array', items: { $ref: '#/components/schemas/Configuration' } },
    },
  },
  ConfigurationInput: {
    type: 'object',
    required: ['name', 'tenantId', 'clientId'],
    properties: {
      name: NAME,
      description: DESCRIPTION,
      subscriptionId: UUID,
      tenantId: UUID,
      clientId: UUID,
      clientSecret: {
        type: 'string',
        writeOnly: true,
        description: 'Required on create; omit on edit to keep the stored one.',
      },
      cloud: { enum: ['commercial', 'gcc', 'gcc-high', 'dod', 'custom'], default: 'commercial' },
      loginUrl: { type: 'string', description: 'Entra ID origin (custom cloud).' },
      apiUrl: { type: 'string', description: 'Defender API origin (custom cloud).' },
      graphUrl: {
        type: 'string',
        description: 'Microsoft Graph origin (custom cloud; default the API origin).',
      },
      apiScope: {
        type: 'string',
        description: 'Defender token scope (custom cloud; default `<apiUrl>/.default`).',
      },
      graphScope: {
        type: 'string',
        description: 'Graph token scope (custom cloud; default `<graphUrl>/.default`).',
      },
      caFile: { type: 'string', description: 'Extra PEM CA bundle to trust.' },
    },
  },
  Configuration: {
    type: 'object',
    description: 'A configuration as stored; the client secret is never returned.',
    properties: {
      id: { type: 'integer' },
      connection: str,
      name: NAME,
      description: DESCRIPTION,
      subscriptionId: UUID,
      tenantId: UUID,
      clientId: UUID,
      hasClientSecret: { type: 'boolean' },
      cloud: str,
      loginUrl: str,
      apiUrl: str,
      graphUrl: str,
      apiScope: str,
      graphScope: str,
      caFile: str,
      createdAt: str,
      updatedAt: str,
    },
  },
  ConnectionStatus: {
    type: 'object',
    properties: {
      connection: str,
      ...statusFields,
      configurations: {
        type: 'array',
        items: { type: 'object', properties: { configuration: str, ...statusFields } },
      },
    },
  },
  RunNow: {
    type: 'object',
    properties: {
      started: { type: 'array', items: str },
      alreadyRunning: { type: 'array', items: str },
    },
  },
  RunRecord: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      connection: str,
      configuration: str,
      runId: strOrNull,
      trigger: { enum: ['start', 'schedule', 'manual', 'resume'] },
      outcome: { enum: ['running', 'ok', 'partial', 'deferred', 'failed', 'skipped'] },
      startedAt: str,
      finishedAt: strOrNull,
      durationMs: { type: ['integer', 'null'] },
      reason: strOrNull,
      errorCode: strOrNull,
      summary: {
        type: ['object', 'null'],
        description: 'The sync run summary (src/sync/types.ts RunSummary).',
      },
    },
  },
  SearchResult: {
    type: 'object',
    required: ['kind', 'query', 'canonical', 'current', 'past'],
    properties: {
      kind: { enum: ['ip', 'host', 'mac'] },
      query: str,
      canonical: str,
      note: str,
      current: { type: 'array', items: HOLDER },
      past: { type: 'array', items: HOLDER },
    },
  },
};
