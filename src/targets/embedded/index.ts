/** The embedded SQLite target: open it with `openEmbeddedStore`. */
export { openEmbeddedStore } from './store.ts';
export type { EmbeddedStore, EmbeddedStoreOptions, StoredEdge, StoredVertex } from './types.ts';
export { SCHEMA_VERSION } from './migrations.ts';
export { benchmarkEmbeddedWrite, type WriteBenchResult } from './bench-write.ts';
