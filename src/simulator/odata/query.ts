/**
 * OData list options of the Defender endpoints (mde-api.md §2.1, §6 Q1–Q2): `$filter`,
 * `$orderby`, `$select`, `$skip` and `$top` (at most 10,000, else 400). Paging follows the
 * service: with `$top` there is never a next link; without it a page holds up to the page size
 * and a next link with `$skip=<skip + page size>` is sent while rows remain.
 */
import { parseMdeTime } from '../../mde/time.ts';
import {
  compareValues,
  ODataQueryError,
  parseFilter,
  type FilterFields,
  type Predicate,
} from './filter.ts';

export const MAX_TOP = 10_000;

export interface ListQuery {
  top: number | undefined;
  skip: number;
  filter: Predicate | undefined;
  orderBy: { field: string; descending: boolean }[];
  select: string[] | undefined;
  expand: string[];
}

export interface ListSpec {
  /** Filterable properties and their types. */
  fields: FilterFields;
  /** Every property of the entity, for `$select` and `$orderby`. */
  properties: readonly string[];
  /** OData type name used in "property not found" messages. */
  typeName: string;
  maxTop?: number;
}

/** Reads the list options of `url`; throws ODataQueryError with the service's wording. */
export function parseListQuery(url: URL, spec: ListSpec): ListQuery {
  const params = url.searchParams;
  const maxTop = spec.maxTop ?? MAX_TOP;
  const top = readInteger(params.get('$top'), '$top');
  if (top !== undefined && top > maxTop) {
    throw new ODataQueryError(
      `The limit of '${maxTop}' for Top query has been exceeded. The value from the incoming request is '${top}'.`,
    );
  }
  const filterText = params.get('$filter');
  return {
    top,
    skip: readInteger(params.get('$skip'), '$skip') ?? 0,
    filter: filterText ? parseFilter(filterText, spec.fields) : undefined,
    orderBy: readOrderBy(params.get('$orderby'), spec),
    select: params.get('$select')
      ? params
          .get('$select')
          ?.split(',')
          .map((p) => property(p.trim(), spec))
      : undefined,
    expand: (params.get('$expand') ?? '')
      .split(',')
      .map((p) => p.trim().toLowerCase())
      .filter(Boolean),
  };
}

function readInteger(value: string | null, option: string): number | undefined {
  if (value === null) return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new ODataQueryError(
      `Invalid value '${value}' for ${option} query option found. The ${option} query option requires a non-negative integer value.`,
    );
  return Number(value.trim());
}

function readOrderBy(value: string | null, spec: ListSpec): ListQuery['orderBy'] {
  if (!value) return [];
  return value.split(',').map((clause) => {
    const [name = '', direction = 'asc', ...rest] = clause.trim().split(/\s+/);
    if (rest.length > 0 || !/^(asc|desc)$/i.test(direction))
      throw new ODataQueryError(`Syntax error in $orderby '${value}'.`);
    return { field: property(name, spec), descending: direction.toLowerCase() === 'desc' };
  });
}

function property(name: string, spec: ListSpec): string {
  const found = spec.properties.find((p) => p.toLowerCase() === name.toLowerCase());
  if (!found)
    throw new ODataQueryError(
      `Could not find a property named '${name}' on type '${spec.typeName}'.`,
    );
  return found;
}

export interface PageResult<T> {
  items: T[];
  /** `$skip` of the next page when a next link is due. */
  nextSkip: number | undefined;
}

/** Filters, orders and cuts one page; `pageSize` applies only when `$top` is absent. */
export function applyListQuery<T extends object>(
  all: readonly T[],
  query: ListQuery,
  spec: ListSpec,
  pageSize: number,
): PageResult<T> {
  return pageOf(selectRows(all, query, spec), query, pageSize);
}

/** Every row the query's `$filter` keeps, in `$orderby` order (stable: ties keep list order). */
export function selectRows<T extends object>(
  all: readonly T[],
  query: ListQuery,
  spec: ListSpec,
): readonly T[] {
  const rows = query.filter
    ? all.filter((r) => (query.filter as Predicate)(r as Record<string, unknown>))
    : all;
  return query.orderBy.length > 0 ? sortRows(rows, query.orderBy, spec) : rows;
}

/** One page of rows already filtered and ordered. */
export function pageOf<T>(rows: readonly T[], query: ListQuery, pageSize: number): PageResult<T> {
  const size = query.top ?? pageSize;
  const items = rows.slice(query.skip, query.skip + size);
  const hasMore = query.skip + size < rows.length;
  return { items, nextSkip: query.top === undefined && hasMore ? query.skip + size : undefined };
}

/** A row with its sort values read (and datetimes parsed) once, not on every comparison. */
interface Keyed<T> {
  row: T;
  values: unknown[];
  ticks: (bigint | undefined)[];
}

function sortRows<T extends object>(
  rows: readonly T[],
  orderBy: ListQuery['orderBy'],
  spec: ListSpec,
): T[] {
  const isDate = orderBy.map(({ field }) => spec.fields[field] === 'datetime');
  const keyed: Keyed<T>[] = rows.map((row) => {
    const values = orderBy.map(({ field }) => (row as Record<string, unknown>)[field]);
    const ticks = values.map((v, i) => (isDate[i] ? (parseMdeTime(v)?.ticks ?? 0n) : undefined));
    return { row, values, ticks };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < orderBy.length; i++) {
      const order = compareField(a.values[i], b.values[i], a.ticks[i], b.ticks[i]);
      if (order !== 0) return orderBy[i]?.descending ? -order : order;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}

/** `ta`/`tb` are the parsed ticks when the field is a datetime. */
function compareField(
  a: unknown,
  b: unknown,
  ta: bigint | undefined,
  tb: bigint | undefined,
): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (ta !== undefined && tb !== undefined) return ta < tb ? -1 : ta > tb ? 1 : 0;
  return compareValues(a, b);
}

/** Keeps only the `$select`ed properties, in the order the record has them. */
export function selectProperties<T extends object>(
  record: T,
  select: string[] | undefined,
): Record<string, unknown> {
  if (!select) return record as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of select) out[key] = (record as Record<string, unknown>)[key] ?? null;
  return out;
}

/** The next link: the request URL with `$skip` replaced (or, as fault Q2, left repeating). */
export function nextLinkFor(baseUrl: string, url: URL, nextSkip: number): string {
  const next = new URL(url.pathname + url.search, baseUrl);
  next.searchParams.set('$skip', String(nextSkip));
  return next.toString().replace(/%24/g, '$');
}

export { ODataQueryError };
