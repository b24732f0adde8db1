/**
 * Reading one page ahead: while a phase maps and writes page N, the request for page N + 1 is
 * already on its way, so the time Defender (or the simulator) takes to answer overlaps with the
 * connector's own work instead of adding to it. At most one request is ahead; memory holds two
 * pages at most.
 */

/**
 * Iterates `pages` with the next item requested as soon as the current one is handed out.
 * An error of the request ahead surfaces only when the loop asks for that item, after the
 * current page was written, so a failure never hides a page that was already read. Leaving the
 * loop early (break or throw) closes the source once the request ahead has settled.
 */
export async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = pages[Symbol.asyncIterator]();
  let ahead: Promise<IteratorResult<T>> = iterator.next();
  let finished = false;
  try {
    for (;;) {
      const result = await ahead;
      if (result.done) {
        finished = true;
        return;
      }
      ahead = iterator.next();
      // Observed by the `await` above on the next turn; this only keeps Node from reporting
      // the rejection as unhandled while the current page is being written.
      ahead.catch(() => undefined);
      yield result.value;
    }
  } finally {
    if (!finished) closeWhenSettled(iterator, ahead);
  }
}

/**
 * Closes the source after the request ahead settles, without making the caller wait for it:
 * the caller is already leaving (with an error or a break) and must not be held up by a page
 * it will not use. Errors of that request are not the caller's any more.
 */
function closeWhenSettled<T>(iterator: AsyncIterator<T>, ahead: Promise<unknown>): void {
  void ahead
    .catch(() => undefined)
    .then(() => iterator.return?.())
    .catch(() => undefined);
}
