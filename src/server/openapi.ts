/**
 * The OpenAPI 3.1 document served at /openapi.json. It is written out by hand, not generated
 * from the route table, so the contract is reviewed as a document; a test fails when a route
 * exists without a path here or the other way round.
 */
import { OPENAPI_SCHEMAS } from './openapi-schemas.ts';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const connectionParam = {
  name: 'connection',
  in: 'path',
  required: true,
  schema: { type: 'string' },
};
const configurationParam = {
  name: 'configuration',
  in: 'path',
  required: true,
  schema: { type: 'string' },
};
const secured = [{ bearer: [] }];

const ERRORS_FOR_CHANGES = {
  '400': error('The input is invalid; `field` and `fields` name what to fix.'),
  '401': error('The API token is missing or wrong.'),
  '403': error('The request came from another origin.'),
  '404': error('The connection or configuration does not exist.'),
  '409': error('The name is taken, or a run is already going.'),
};

function change(summary: string, body: string | undefined, okStatus: string, okSchema: object) {
  return {
    summary,
    security: secured,
    ...(body ? { requestBody: { required: true, ...json(ref(body)) } } : {}),
    responses: { [okStatus]: { description: 'Done.', ...json(okSchema) }, ...ERRORS_FOR_CHANGES },
  };
}

function read(summary: string, schema: object, extra: object = {}) {
  return {
    summary,
    ...extra,
    responses: { '200': { description: 'OK.', ...json(schema) }, '404': error('Not found.') },
  };
}

/** The document. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Defender CAR Connector service',
    version: '1',
    description:
      'Connections, configurations, schedule, status, run history and the Data Explorer of `mde-car serve`. ' +
      'Reads are open on the bound address; every change needs `Authorization: Bearer <token>` (the token is in `<dataDir>/api-token`).',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: OPENAPI_SCHEMAS,
  },
  paths: {
    '/healthz': {
      get: read('Liveness: answers while the process serves requests.', { type: 'object' }),
    },
    '/metrics': {
      get: {
        summary:
          'Prometheus metrics: runs by outcome, run durations, API calls by family, throttle waits, last success.',
        responses: {
          '200': {
            description: 'Text exposition format 0.0.4.',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/openapi.json': { get: read('This document.', { type: 'object' }) },
    '/api/session': {
      post: change(
        'Checks the API token; the web UI calls it when a person signs in.',
        undefined,
        '200',
        { type: 'object' },
      ),
    },
    '/api/connections': {
      get: read('Lists connections with their configurations (never secrets).', {
        type: 'array',
        items: ref('Connection'),
      }),
      post: change('Creates a connection.', 'ConnectionInput', '201', ref('Connection')),
    },
    '/api/connections/{connection}': {
      parameters: [connectionParam],
      get: read('One connection.', ref('Connection')),
      put: change(
        'Edits a connection (the name cannot change).',
        'ConnectionInput',
        '200',
        ref('Connection'),
      ),
      delete: change(
        'Deletes a connection, its configurations and their history.',
        undefined,
        '200',
        { type: 'object' },
      ),
    },
    '/api/connections/{connection}/configurations': {
      parameters: [connectionParam],
      get: read('The configurations of a connection.', {
        type: 'array',
        items: ref('Configuration'),
      }),
      post: change(
        'Adds a configuration; it syncs at once and then every frequencyMinutes.',
        'ConfigurationInput',
        '201',
        ref('Configuration'),
      ),
    },
    '/api/connections/{connection}/configurations/{configuration}': {
      parameters: [connectionParam, configurationParam],
      get: read('One configuration.', ref('Configuration')),
      put: change(
        'Edits a configuration; an omitted or empty clientSecret keeps the stored one.',
        'ConfigurationInput',
        '200',
        ref('Configuration'),
      ),
      delete: change('Deletes a configuration and its history.', undefined, '200', {
        type: 'object',
      }),
    },
    '/api/status': {
      get: read('Status of every connection and configuration.', {
        type: 'array',
        items: ref('ConnectionStatus'),
      }),
    },
    '/api/connections/{connection}/status': {
      parameters: [connectionParam],
      get: read('Status of one connection and its configurations.', ref('ConnectionStatus')),
    },
    '/api/connections/{connection}/run': {
      parameters: [connectionParam],
      post: change(
        'Starts a run of every configuration of the connection now.',
        undefined,
        '202',
        ref('RunNow'),
      ),
    },
    '/api/connections/{connection}/configurations/{configuration}/run': {
      parameters: [connectionParam, configurationParam],
      post: change(
        'Starts a run of one configuration now; 409 when one is going.',
        undefined,
        '202',
        ref('RunNow'),
      ),
    },
    '/api/runs': {
      get: read(
        'Run history, newest first, with summaries; skipped runs say why.',
        { type: 'array', items: ref('RunRecord') },
        {
          parameters: [
            { name: 'connection', in: 'query', schema: { type: 'string' } },
            { name: 'configuration', in: 'query', schema: { type: 'string' } },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            },
          ],
        },
      ),
    },
    '/api/search': {
      get: {
        summary:
          'Data Explorer: the assets holding an IP address, host name or MAC address, with their risk explained.',
        parameters: ['ip', 'host', 'mac'].map((name) => ({
          name,
          in: 'query',
          schema: { type: 'string' },
          description: 'Give exactly one of ip, host and mac.',
        })),
        responses: {
          '200': { description: 'Current and past holders.', ...json(ref('SearchResult')) },
          '400': error('No value, more than one, or a value that is not an IP, host name or MAC.'),
        },
      },
    },
  },
} as const;
