/**
 * The Data Explorer's search over the embedded store the service's syncs write to. The store
 * is opened on the first search and kept open: SQLite in WAL mode lets this reader see each
 * sync's commits without blocking the writer.
 */
import { existsSync } from 'node:fs';
import type { Logger } from '../log.ts';
import { openEmbeddedStore, type EmbeddedStore } from '../targets/embedded/index.ts';
import type { SearchProvider } from './routes.ts';

/** A search provider over the store at `path`, and a `close` for shutdown. */
export function embeddedSearch(
  path: string,
  logger: Logger,
): { search: SearchProvider; close: () => Promise<void> } {
  let store: EmbeddedStore | undefined;
  const open = (): EmbeddedStore => {
    // Before the first sync the file does not exist; creating it (empty) lets a search answer
    // "no holders" instead of failing, and the sync later writes into the same file.
    store ??= openEmbeddedStore({ path, logger, readonly: existsSync(path) });
    return store;
  };
  return {
    search: (kind, value) => open().search(kind, value),
    close: async () => {
      await store?.close();
      store = undefined;
    },
  };
}
