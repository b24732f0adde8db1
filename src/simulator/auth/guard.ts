/**
 * Checks the bearer token of a Defender or Graph call: present, signed by the simulator,
 * unexpired (401), issued for this API (403 otherwise, mde-api.md §6 Q13), for this tenant,
 * and holding one of the roles the endpoint needs (403 naming them, as the service does).
 */
import type { SimContext, SimRequest } from '../context.ts';
import { graphError, mdeError } from '../http/errors.ts';
import type { SimResponse } from '../http/respond.ts';
import { GRAPH_AUDIENCE, MDE_AUDIENCE } from './applications.ts';
import type { TokenClaims } from './tokens.ts';

export type ApiKind = 'mde' | 'graph';

export type GuardResult = { ok: true; claims: TokenClaims } | { ok: false; response: SimResponse };

/** `anyOf`: the endpoint accepts a token holding at least one of these roles. */
export function authorize(
  ctx: SimContext,
  req: SimRequest,
  api: ApiKind,
  anyOf: readonly string[],
): GuardResult {
  const fail = (
    status: number,
    mdeCode: string,
    graphCode: string,
    message: string,
  ): GuardResult => ({
    ok: false,
    response:
      api === 'mde'
        ? mdeError(status, mdeCode, message)
        : graphError(status, graphCode, message, ctx.authNowMs()),
  });
  const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  if (!bearer)
    return fail(401, 'Unauthorized', 'InvalidAuthenticationToken', 'Access token is empty.');

  const check = ctx.tokens.check(bearer[1] ?? '', ctx.authNowMs());
  if (!check.ok && check.reason === 'expired') {
    return fail(
      401,
      'Unauthorized',
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
    );
  }
  if (!check.ok)
    return fail(
      401,
      'Unauthorized',
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid signature or malformed token.',
    );

  const { claims } = check;
  const expected = api === 'mde' ? MDE_AUDIENCE : GRAPH_AUDIENCE;
  if (claims.aud !== expected) {
    return fail(
      403,
      'Forbidden',
      'Authorization_RequestDenied',
      `The token audience '${claims.aud}' is not valid for this API; expected '${expected}'.`,
    );
  }
  if (claims.tid !== ctx.tenantId)
    return fail(
      401,
      'Unauthorized',
      'InvalidAuthenticationToken',
      'The token was issued for another tenant.',
    );
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  if (!anyOf.some((role) => roles.includes(role))) {
    const message =
      api === 'mde'
        ? `The application does not have any of the required application permissions (${anyOf.join(', ')}) to access the resource.`
        : 'Insufficient privileges to complete the operation.';
    return fail(403, 'Forbidden', 'Authorization_RequestDenied', message);
  }
  return { ok: true, claims };
}
