/**
 * Walks a Defender or Graph listing page by page (mde-api.md §6 Q1–Q3, Q15, Q22; field faults
 * B01, B02, B25, B29). `$top` with `$skip`, stopping on a short page because the service sends
 * no next link when `$top` is given; an `@odata.nextLink` is followed verbatim when present,
 * after checking it stays on https and an expected host. Items are de-duplicated by id; a page
 * that adds no new id, or a next link equal to the current URL, ends the walk with a warning.
 * An empty page or a 404 ends it cleanly; any other failure throws, so a failed page is never
 * read as the end of the list.
 */
import { hasCode, MdeDeferredError, MdeHttpError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Page, PageCursor } from './api.ts';
import type { Requester } from './requester.ts';
import type { StatsRecorder } from './stats.ts';
import type { EndpointFamily } from './types.ts';

export interface WalkOptions<T> {
  requester: Requester;
  stats: StatsRecorder;
  logger: Logger;
  family: EndpointFamily;
  scope: string;
  /** URL of a `$skip` page (with `$top`, filter and ordering), from the given time floor. */
  urlFor: (skip: number, timeFloor: string | undefined) => string;
  pageSize: number;
  /** Continue with `$skip` after a full page without next link (false for Graph). */
  pagesBySkip: boolean;
  /** Hosts (`host[:port]`) a next link may point at. */
  allowedHosts: readonly string[];
  idOf: (item: T) => string | undefined;
  resume?: PageCursor;
  /** On a 400 at a deep `$skip` (B29): the time to restart from, given the last item read. */
  restartFrom?: (lastItem: T) => string | undefined;
}

interface ODataPage<T> {
  value: T[];
  '@odata.nextLink'?: unknown;
}

/** Yields the pages of one listing; see the module comment for when it stops. */
export async function* walkPages<T>(options: WalkOptions<T>): AsyncGenerator<Page<T>> {
  const { requester, logger, family } = options;
  const seen = new Set<string>();
  let cursor: PageCursor = options.resume ?? { skip: 0 };
  let pageNumber = 0;
  let lastItem: T | undefined;
  let hasRestarted = false;

  for (;;) {
    const url = cursor.nextLink ?? options.urlFor(cursor.skip ?? 0, cursor.timeFloor);
    if (cursor.nextLink !== undefined) checkNextLink(cursor.nextLink, options.allowedHosts, family);

    let body: ODataPage<T>;
    try {
      body = await requester.call({
        family,
        method: 'GET',
        url,
        scope: options.scope,
        parse: parseODataPage<T>,
        resume: cursor,
      });
    } catch (err) {
      if (err instanceof MdeDeferredError) err.resume = cursor;
      if (hasCode(err, 'MDE_NOT_FOUND')) {
        logger.info({ family, pageNumber: pageNumber + 1 }, 'listing answered 404, read as empty');
        return;
      }
      const restart = restartCursor(options, err, cursor, lastItem, hasRestarted);
      if (restart === undefined) throw err;
      logger.warn(
        { family, skip: cursor.skip, timeFloor: restart.timeFloor },
        'offset ceiling reached, restarting from the last time read',
      );
      hasRestarted = true;
      cursor = restart;
      continue;
    }

    pageNumber += 1;
    const items = body.value;
    if (items.length === 0) return;

    const fresh = items.filter((item) => isFresh(options.idOf(item), seen));
    if (fresh.length === 0 && hasRestarted && items.length >= options.pageSize) {
      // After a B29 restart the first rows repeat those read at the same time; skip past them.
      cursor = { ...cursor, skip: (cursor.skip ?? 0) + items.length };
      continue;
    }
    if (fresh.length === 0) {
      options.stats.pagingLoops += 1;
      logger.warn({ family, pageNumber, url }, 'page added no new ids, paging stopped');
      return;
    }
    lastItem = items[items.length - 1];
    hasRestarted = false;

    const next = nextCursor(options, cursor, url, body, items.length);
    yield {
      items: fresh,
      pageNumber,
      cursor: next,
      duplicatesDropped: items.length - fresh.length,
    };
    if (next === undefined) return;
    cursor = next;
  }
}

function nextCursor<T>(
  options: WalkOptions<T>,
  cursor: PageCursor,
  url: string,
  body: ODataPage<T>,
  count: number,
): PageCursor | undefined {
  const link = body['@odata.nextLink'];
  if (typeof link === 'string' && link !== '') {
    // Limitation: a next link that repeats the current URL ends the listing (mde-api.md Q2);
    // rows after it are not read in this run, and the loop is counted in stats.pagingLoops.
    if (link === url) {
      options.stats.pagingLoops += 1;
      options.logger.warn(
        { family: options.family, url },
        'next link repeats the current page, paging stopped',
      );
      return undefined;
    }
    return { nextLink: link };
  }
  const isFullSkipPage =
    cursor.nextLink === undefined && options.pagesBySkip && count >= options.pageSize;
  if (!isFullSkipPage) return undefined;
  return {
    skip: (cursor.skip ?? 0) + count,
    ...(cursor.timeFloor === undefined ? {} : { timeFloor: cursor.timeFloor }),
  };
}

/**
 * B29: a 400 at a deep offset restarts from the last item's time once per stall.
 * Limitation: when more items share one timestamp than the offset ceiling allows, the restart
 * cannot get past them and the 400 is thrown as MDE_BAD_REQUEST.
 */
function restartCursor<T>(
  options: WalkOptions<T>,
  err: unknown,
  cursor: PageCursor,
  lastItem: T | undefined,
  hasRestarted: boolean,
): PageCursor | undefined {
  if (!hasCode(err, 'MDE_BAD_REQUEST') || options.restartFrom === undefined) return undefined;
  if ((cursor.skip ?? 0) === 0 || lastItem === undefined || hasRestarted) return undefined;
  const timeFloor = options.restartFrom(lastItem);
  return timeFloor === undefined ? undefined : { skip: 0, timeFloor };
}

function isFresh(id: string | undefined, seen: Set<string>): boolean {
  // Limitation: records without an id cannot be de-duplicated and always count as new.
  if (id === undefined) return true;
  if (seen.has(id)) return false;
  seen.add(id);
  return true;
}

function parseODataPage<T>(text: string): ODataPage<T> {
  const parsed = JSON.parse(text) as ODataPage<T>;
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray(parsed.value)) {
    throw new TypeError('no "value" array in the listing');
  }
  return parsed;
}

function checkNextLink(
  link: string,
  allowedHosts: readonly string[],
  family: EndpointFamily,
): void {
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  if (url !== undefined && url.protocol === 'https:' && allowedHosts.includes(url.host)) return;
  throw new MdeHttpError(
    'MDE_BAD_RESPONSE',
    `the ${family} listing sent a next link ${link} that is not https on ${allowedHosts.join(', ')}; paging stopped, nothing after it was read`,
    { url: link },
  );
}

/** Builds `base?$a=1&$b=2` with each value percent-encoded (spaces as %20, `:` as %3A). */
export function withQuery(
  base: string,
  params: Record<string, string | number | undefined>,
): string {
  const query = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query === '' ? base : `${base}?${query}`;
}
