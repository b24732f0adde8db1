/**
 * Splitting what the CAR target sends into bounded pieces: records into `POST /imports` pages
 * (car-service.md §3.5, at most 2,000 per call) and id lists into query strings of bounded
 * length (§1.6, about 1,800 characters of ids per DELETE).
 */

/** CAR's largest import page (`-export-data-page-size` default and our ceiling). */
export const MAX_IMPORT_PAGE_SIZE = 2_000;

/** Characters of encoded ids per query string, as the existing connector bounds its deletes. */
export const MAX_ID_QUERY_CHARS = 1_800;

/** Yields consecutive slices of at most `size` items (size clamped to 1..2,000). */
export function* pagesOf<T>(items: readonly T[], size: number): Generator<T[]> {
  const pageSize = Math.min(MAX_IMPORT_PAGE_SIZE, Math.max(1, Math.floor(size)));
  for (let start = 0; start < items.length; start += pageSize) {
    yield items.slice(start, start + pageSize);
  }
}

/**
 * Groups ids into comma-joined, URL-encoded lists of at most `maxChars` characters each; an
 * id longer than the bound on its own still gets a list of its own rather than being dropped.
 * Commas inside an id are encoded (`%2C`), so only the separators are literal commas.
 */
export function idQueryPages(ids: readonly string[], maxChars = MAX_ID_QUERY_CHARS): string[] {
  const pages: string[] = [];
  let current = '';
  for (const id of ids) {
    const encoded = encodeURIComponent(id);
    if (current !== '' && current.length + 1 + encoded.length > maxChars) {
      pages.push(current);
      current = '';
    }
    current = current === '' ? encoded : `${current},${encoded}`;
  }
  if (current !== '') pages.push(current);
  return pages;
}
