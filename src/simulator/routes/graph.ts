/**
 * Microsoft Graph `GET /v1.0/users` (mde-api.md §2.9, §6 Q22): default properties unless
 * `$select` names others, `$top` 1–999 (default 100), no `$skip`, and an opaque `$skiptoken`
 * in the next link that is always sent while users remain.
 */
import type { SimContext, SimRequest } from '../context.ts';
import { graphError } from '../http/errors.ts';
import { plainJson, type SimResponse } from '../http/respond.ts';
import { ODataQueryError, parseFilter } from '../odata/filter.ts';
import { selectProperties } from '../odata/query.ts';
import { GRAPH_DEFAULT_PROPERTIES } from '../tenant/users.ts';
import { GRAPH_USER_ROLES, type Route } from './table.ts';

const DEFAULT_TOP = 100;
const MAX_TOP = 999;
const USER_PROPERTIES = [
  ...GRAPH_DEFAULT_PROPERTIES,
  'accountEnabled',
  'department',
  'employeeId',
  'onPremisesSamAccountName',
  'onPremisesDomainName',
  'onPremisesSecurityIdentifier',
];
const FILTER_FIELDS = {
  id: 'string',
  userPrincipalName: 'string',
  displayName: 'string',
  mail: 'string',
  givenName: 'string',
  surname: 'string',
  accountEnabled: 'bool',
  onPremisesSamAccountName: 'string',
  department: 'string',
  employeeId: 'string',
} as const;

/** `X'<hex>'`: the layout of Graph's skip tokens, here holding the offset. */
function encodeSkipToken(offset: number): string {
  return `X'${Buffer.from(`sim-offset:${offset}`).toString('hex').toUpperCase()}'`;
}

function decodeSkipToken(token: string): number | undefined {
  const m = /^X'([0-9A-F]+)'$/i.exec(token);
  const text = m ? Buffer.from(m[1] ?? '', 'hex').toString('utf8') : '';
  const offset = /^sim-offset:(\d+)$/.exec(text);
  return offset ? Number(offset[1]) : undefined;
}

function listUsers(ctx: SimContext, req: SimRequest): SimResponse {
  const bad = (message: string, code = 'Request_BadRequest'): SimResponse =>
    graphError(400, code, message, ctx.authNowMs());
  const params = req.url.searchParams;
  if (params.has('$skip')) return bad("'$skip' is not supported by the service.");
  const topText = params.get('$top');
  const top = topText === null ? DEFAULT_TOP : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    return bad(
      `Invalid page size specified: '${topText}'. Must be between 1 and ${MAX_TOP} inclusive.`,
      'Request_UnsupportedQuery',
    );
  }
  const token = params.get('$skiptoken');
  const offset = token === null ? 0 : decodeSkipToken(token);
  if (offset === undefined) return bad('Invalid $skiptoken value.');

  let select: string[] = [...GRAPH_DEFAULT_PROPERTIES];
  if (params.get('$select')) {
    const names = (params.get('$select') ?? '').split(',').map((n) => n.trim());
    const unknown = names.find(
      (n) => !USER_PROPERTIES.some((p) => p.toLowerCase() === n.toLowerCase()),
    );
    if (unknown)
      return bad(`Could not find a property named '${unknown}' on type 'microsoft.graph.user'.`);
    select = names.map(
      (n) => USER_PROPERTIES.find((p) => p.toLowerCase() === n.toLowerCase()) as string,
    );
  }
  let users = ctx.tenant.users;
  const filterText = params.get('$filter');
  if (filterText) {
    try {
      const predicate = parseFilter(filterText, FILTER_FIELDS);
      users = users.filter((u) => predicate(u));
    } catch (err) {
      if (err instanceof ODataQueryError) return bad(err.message);
      throw err;
    }
  }

  const page = users.slice(offset, offset + top).map((u) => selectProperties(u, select));
  const payload: Record<string, unknown> = {
    '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users`,
  };
  if (offset + top < users.length) {
    const next = new URL('/v1.0/users', ctx.baseUrl);
    for (const key of ['$top', '$select', '$filter'])
      if (params.has(key)) next.searchParams.set(key, params.get(key) ?? '');
    next.searchParams.set('$skiptoken', encodeSkipToken(offset + top));
    payload['@odata.nextLink'] = next.toString().replace(/%24/g, '$');
  }
  payload.value = page;
  return plainJson(200, payload);
}

function getUser(ctx: SimContext, _req: SimRequest, [id = '']: string[]): SimResponse {
  const user = ctx.tenant.users.find(
    (u) => u.id === id.toLowerCase() || u.userPrincipalName?.toLowerCase() === id.toLowerCase(),
  );
  if (!user)
    return graphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      ctx.authNowMs(),
    );
  return plainJson(200, {
    '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users/$entity`,
    ...selectProperties(user, [...GRAPH_DEFAULT_PROPERTIES]),
  });
}

export const GRAPH_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v1\.0\/users\/?$/i,
    api: 'graph',
    family: undefined,
    statsFamily: 'graph',
    roles: GRAPH_USER_ROLES,
    handle: listUsers,
  },
  {
    method: 'GET',
    pattern: /^\/v1\.0\/users\/([^/]+)\/?$/i,
    api: 'graph',
    family: undefined,
    statsFamily: 'graph',
    roles: GRAPH_USER_ROLES,
    handle: getUser,
  },
];
