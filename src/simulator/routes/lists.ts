/**
 * Shared pieces of the OData list routes: the entity specs (filterable fields per endpoint,
 * mde-api.md §2.1, §2.2, §2.6) and the envelope with `@odata.context` and the next link.
 */
import type { SimContext, SimRequest } from '../context.ts';
import { odataJson, type SimResponse } from '../http/respond.ts';
import {
  nextLinkFor,
  pageOf,
  parseListQuery,
  selectProperties,
  selectRows,
  type ListQuery,
  type ListSpec,
} from '../odata/query.ts';
import type { Tenant } from '../tenant/tenant.ts';

export const MACHINE_SPEC: ListSpec = {
  typeName: 'microsoft.windowsDefenderATP.api.PublicMachine',
  fields: {
    computerDnsName: 'string',
    id: 'string',
    version: 'string',
    deviceValue: 'string',
    aadDeviceId: 'string',
    machineTags: 'collection',
    lastSeen: 'datetime',
    exposureLevel: 'string',
    onboardingStatus: 'string',
    lastIpAddress: 'string',
    healthStatus: 'string',
    osPlatform: 'string',
    riskScore: 'string',
    rbacGroupId: 'number',
  },
  properties: [
    'id',
    'mergedIntoMachineId',
    'isPotentialDuplication',
    'isExcluded',
    'exclusionReason',
    'computerDnsName',
    'firstSeen',
    'lastSeen',
    'osPlatform',
    'osVersion',
    'osProcessor',
    'version',
    'lastIpAddress',
    'lastExternalIpAddress',
    'agentVersion',
    'osBuild',
    'healthStatus',
    'deviceValue',
    'rbacGroupId',
    'rbacGroupName',
    'riskScore',
    'exposureLevel',
    'isAadJoined',
    'aadDeviceId',
    'machineTags',
    'defenderAvStatus',
    'onboardingStatus',
    'osArchitecture',
    'managedBy',
    'managedByStatus',
    'ipAddresses',
    'vmMetadata',
  ],
};

export const ALERT_SPEC: ListSpec = {
  typeName: 'microsoft.windowsDefenderATP.api.PublicAlertV2',
  fields: {
    alertCreationTime: 'datetime',
    lastUpdateTime: 'datetime',
    incidentId: 'number',
    investigationId: 'number',
    id: 'string',
    assignedTo: 'string',
    detectionSource: 'string',
    lastEventTime: 'datetime',
    status: 'string',
    severity: 'string',
    category: 'string',
  },
  properties: [
    'id',
    'incidentId',
    'investigationId',
    'assignedTo',
    'severity',
    'status',
    'classification',
    'determination',
    'investigationState',
    'detectionSource',
    'detectorId',
    'category',
    'threatFamilyName',
    'title',
    'description',
    'alertCreationTime',
    'firstEventTime',
    'lastEventTime',
    'lastUpdateTime',
    'resolvedTime',
    'machineId',
    'computerDnsName',
    'rbacGroupName',
    'aadTenantId',
    'threatName',
    'mitreTechniques',
    'relatedUser',
    'loggedOnUsers',
    'comments',
    'evidence',
    'domains',
  ],
};

export const MACHINE_VULNERABILITY_SPEC: ListSpec = {
  typeName: 'microsoft.windowsDefenderATP.api.PublicAssetVulnerabilityDto',
  fields: {
    id: 'string',
    cveId: 'string',
    machineId: 'string',
    fixingKbId: 'string',
    productName: 'string',
    productVersion: 'string',
    severity: 'string',
    productVendor: 'string',
  },
  properties: [
    'id',
    'cveId',
    'machineId',
    'fixingKbId',
    'productName',
    'productVendor',
    'productVersion',
    'severity',
  ],
};

export const VULNERABILITY_SPEC: ListSpec = {
  typeName: 'microsoft.windowsDefenderATP.api.PublicVulnerabilityDto',
  fields: {
    id: 'string',
    name: 'string',
    description: 'string',
    cvssV3: 'number',
    publishedOn: 'datetime',
    severity: 'string',
    updatedOn: 'datetime',
  },
  properties: [
    'id',
    'name',
    'description',
    'severity',
    'cvssV3',
    'cvssVector',
    'exposedMachines',
    'publishedOn',
    'updatedOn',
    'firstDetected',
    'publicExploit',
    'exploitVerified',
    'exploitInKit',
    'exploitTypes',
    'exploitUris',
    'cveSupportability',
    'tags',
    'epss',
  ],
};

/** `https://host/api/$metadata#<set>`. */
export function contextUrl(ctx: SimContext, set: string): string {
  return `${ctx.baseUrl}/api/$metadata#${set}`;
}

/** Filtered and ordered listings kept per tenant, so page k of a walk does not sort again. */
const MAX_CACHED_LISTINGS = 8;
const listingCache = new WeakMap<Tenant, Map<string, readonly object[]>>();

/**
 * The rows a query selects, from the cache while the tenant is unchanged: the key holds the
 * tenant version, the set and the `$filter`/`$orderby` text, which alone decide the selection.
 */
function selectedRows<T extends object>(
  ctx: SimContext,
  req: SimRequest,
  spec: ListSpec,
  set: string,
  query: ListQuery,
  rows: () => readonly T[],
): readonly T[] {
  const params = req.url.searchParams;
  const key = [
    ctx.tenant.version,
    set,
    params.get('$filter') ?? '',
    params.get('$orderby') ?? '',
  ].join('\u0000');
  let cache = listingCache.get(ctx.tenant);
  if (!cache) listingCache.set(ctx.tenant, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached as readonly T[];
  const selected = selectRows(rows(), query, spec);
  if (cache.size >= MAX_CACHED_LISTINGS) cache.delete(cache.keys().next().value as string);
  cache.set(key, selected);
  return selected;
}

/** One page of an OData listing with the service's paging rules (and the Q2 fault when on). */
export function listPage<T extends object>(
  ctx: SimContext,
  req: SimRequest,
  spec: ListSpec,
  rows: () => readonly T[],
  set: string,
  expand?: (row: T) => object,
): SimResponse {
  const query = parseListQuery(req.url, spec);
  const page = pageOf(selectedRows(ctx, req, spec, set, query, rows), query, ctx.pageSize);
  const items = page.items.map((row) => selectProperties(expand ? expand(row) : row, query.select));
  const payload: Record<string, unknown> = { '@odata.context': contextUrl(ctx, set), value: items };
  let nextSkip = page.nextSkip;
  // Field fault Q2: every page points at the same second page, so naive clients loop.
  if (
    ctx.repeatingNextLink &&
    query.top === undefined &&
    (nextSkip !== undefined || query.skip > 0)
  )
    nextSkip = ctx.pageSize;
  if (nextSkip !== undefined)
    payload['@odata.nextLink'] = nextLinkFor(ctx.baseUrl, req.url, nextSkip);
  return odataJson(200, payload);
}
