/**
 * The Entra ID endpoints (mde-api.md §1): OpenID metadata and keys that MSAL reads before it
 * asks for a token (DESIGN.md §10), instance discovery, and the v1 and v2 token endpoints for
 * the client-credentials grant with a secret (body or Basic) or a certificate assertion.
 * Errors carry the real AADSTS codes and statuses (§1.3).
 */
import type { SimContext, SimRequest } from '../context.ts';
import { entraError } from '../http/errors.ts';
import { plainJson, type SimResponse } from '../http/respond.ts';
import {
  audienceForResource,
  audienceForScope,
  GRAPH_AUDIENCE,
  type SimApplication,
} from './applications.ts';
import { verifyClientAssertion } from './client-assertion.ts';

const TOKEN_V2 = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i;
const TOKEN_V1 = /^\/([^/]+)\/oauth2\/token\/?$/i;
const METADATA = /^\/([^/]+)(\/v2\.0)?\/\.well-known\/openid-configuration\/?$/i;
const KEYS = /^\/([^/]+)\/discovery\/(v2\.0\/)?keys\/?$/i;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Answers an Entra request, or undefined when the path is not an Entra endpoint. */
export function handleEntra(ctx: SimContext, req: SimRequest): SimResponse | undefined {
  if (/^\/common\/discovery\/instance\/?$/i.test(req.path)) return instanceDiscovery(ctx);
  let m = METADATA.exec(req.path);
  if (m && req.method === 'GET') return openIdMetadata(ctx, m[1] ?? '', Boolean(m[2]));
  m = KEYS.exec(req.path);
  if (m && req.method === 'GET') return plainJson(200, ctx.tokens.jwks(ctx.certificatePem));
  m = TOKEN_V2.exec(req.path);
  if (m && req.method === 'POST') return tokenRequest(ctx, req, m[1] ?? '', 'v2');
  m = TOKEN_V1.exec(req.path);
  if (m && req.method === 'POST') return tokenRequest(ctx, req, m[1] ?? '', 'v1');
  return undefined;
}

function isKnownTenant(ctx: SimContext, tenant: string): boolean {
  const t = tenant.toLowerCase();
  return t === ctx.tenantId.toLowerCase() || t === ctx.tenantDomain.toLowerCase();
}

function tenantNotFound(ctx: SimContext, tenant: string): SimResponse {
  return entraError(
    400,
    'invalid_tenant',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ctx.authNowMs(),
  );
}

function openIdMetadata(ctx: SimContext, tenant: string, isV2: boolean): SimResponse {
  if (!isKnownTenant(ctx, tenant)) return tenantNotFound(ctx, tenant);
  const base = `${ctx.baseUrl}/${ctx.tenantId}`;
  const v = isV2 ? '/v2.0' : '';
  return plainJson(200, {
    token_endpoint: `${base}/oauth2${v}/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${base}/discovery${v}/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: isV2 ? `${base}/v2.0` : `https://sts.windows.net/${ctx.tenantId}/`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${ctx.baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2${v}/authorize`,
    device_authorization_endpoint: `${base}/oauth2${v}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2${v}/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'ver'],
    tenant_region_scope: 'NA',
    cloud_instance_name: new URL(ctx.baseUrl).host,
    cloud_graph_host_name: new URL(ctx.baseUrl).host,
    msgraph_host: new URL(ctx.baseUrl).host,
  });
}

function instanceDiscovery(ctx: SimContext): SimResponse {
  const host = new URL(ctx.baseUrl).host;
  return plainJson(200, {
    tenant_discovery_endpoint: `${ctx.baseUrl}/${ctx.tenantId}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

interface ClientCredentials {
  clientId: string | undefined;
  secret: string | undefined;
  assertion: string | undefined;
}

function readCredentials(req: SimRequest, form: URLSearchParams): ClientCredentials {
  const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
  if (basic) {
    const [id, ...rest] = Buffer.from(basic[1] ?? '', 'base64')
      .toString('utf8')
      .split(':');
    return {
      clientId: decodeURIComponent(id ?? ''),
      secret: decodeURIComponent(rest.join(':')),
      assertion: undefined,
    };
  }
  const isAssertion = form.get('client_assertion_type') === ASSERTION_TYPE;
  return {
    clientId: form.get('client_id') ?? undefined,
    secret: form.get('client_secret') ?? undefined,
    assertion: isAssertion ? (form.get('client_assertion') ?? undefined) : undefined,
  };
}

function tokenRequest(
  ctx: SimContext,
  req: SimRequest,
  tenant: string,
  version: 'v1' | 'v2',
): SimResponse {
  const now = ctx.authNowMs();
  if (!isKnownTenant(ctx, tenant)) return tenantNotFound(ctx, tenant);
  const form = new URLSearchParams(req.body);
  if (form.get('grant_type') !== 'client_credentials') {
    return entraError(
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.',
      now,
    );
  }
  const creds = readCredentials(req, form);
  const app = creds.clientId ? ctx.apps.get(creds.clientId.toLowerCase()) : undefined;
  if (!app) return appNotFound(ctx, creds.clientId ?? '', now);

  const audience = resolveAudience(form, version);
  if (audience.error)
    return entraError(400, audience.error.oauth, audience.error.code, audience.error.text, now);

  const refusal = checkCredential(ctx, app, creds, tenant, version, now);
  if (refusal) return refusal;

  return issue(ctx, app, audience.aud, version, now);
}

function appNotFound(ctx: SimContext, clientId: string, now: number): SimResponse {
  return entraError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${ctx.tenantDomain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    now,
  );
}

type AudienceResult =
  | { aud: string; error?: undefined }
  | { aud?: undefined; error: { oauth: string; code: number; text: string } };

function resolveAudience(form: URLSearchParams, version: 'v1' | 'v2'): AudienceResult {
  if (version === 'v1') {
    const resource = form.get('resource') ?? '';
    const aud = audienceForResource(resource);
    if (aud) return { aud };
    return {
      error: {
        oauth: 'invalid_resource',
        code: 500011,
        text: `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      },
    };
  }
  const scope = form.get('scope');
  if (!scope)
    return {
      error: {
        oauth: 'invalid_request',
        code: 900144,
        text: "The request body must contain the following parameter: 'scope'.",
      },
    };
  const aud = audienceForScope(scope);
  if (aud) return { aud };
  return {
    error: {
      oauth: 'invalid_scope',
      code: 70011,
      text: `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    },
  };
}

function checkCredential(
  ctx: SimContext,
  app: SimApplication,
  creds: ClientCredentials,
  tenant: string,
  version: 'v1' | 'v2',
  now: number,
): SimResponse | undefined {
  if (creds.assertion !== undefined) {
    const audiences = [
      `${ctx.baseUrl}/${tenant}/oauth2/${version === 'v2' ? 'v2.0/' : ''}token`,
      `${ctx.baseUrl}/${ctx.tenantId}/oauth2/${version === 'v2' ? 'v2.0/' : ''}token`,
    ];
    // The client signs with its own wall clock, so the assertion expiry is checked against it.
    const problem = verifyClientAssertion(creds.assertion, app, audiences, Date.now());
    if (!problem) return undefined;
    return entraError(401, 'invalid_client', problem.code, problem.text, now);
  }
  if (creds.secret === undefined || creds.secret === '') {
    return entraError(
      400,
      'invalid_client',
      7000216,
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
      now,
    );
  }
  if (app.clientSecret !== undefined && creds.secret === app.clientSecret) return undefined;
  return entraError(
    401,
    'invalid_client',
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    now,
  );
}

function issue(
  ctx: SimContext,
  app: SimApplication,
  aud: string,
  version: 'v1' | 'v2',
  now: number,
): SimResponse {
  const lifetime = ctx.tokenLifetimeSeconds;
  const roles = aud === GRAPH_AUDIENCE ? (app.graphRoles ?? []) : app.roles;
  const { token, expiresOn } = ctx.tokens.issue(
    {
      aud,
      iss: `https://sts.windows.net/${ctx.tenantId}/`,
      appid: app.clientId,
      appidacr: app.certificatePem ? '2' : '1',
      idp: `https://sts.windows.net/${ctx.tenantId}/`,
      oid: app.clientId,
      sub: app.clientId,
      roles,
      tid: ctx.tenantId,
      tenant_region_scope: 'NA',
      ver: '1.0',
    },
    now,
    lifetime,
  );
  if (version === 'v2')
    return plainJson(200, {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: token,
    });
  // v1 writes every number as a string (mde-api.md §1.2).
  return plainJson(200, {
    token_type: 'Bearer',
    expires_in: String(lifetime),
    ext_expires_in: String(lifetime),
    expires_on: String(expiresOn),
    not_before: String(expiresOn - lifetime - 300),
    resource: aud,
    access_token: token,
  });
}
