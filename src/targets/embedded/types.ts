/**
 * The embedded store's public surface: the GraphTarget contract plus search, graph inspection
 * for tests and tools, and the low-level import operations the CAR emulator is built on.
 */
import type { Logger } from '../../log.ts';
import type { GraphBatch } from '../../car/types.ts';
import type { SearchKind, SearchResult } from '../../car/search-types.ts';
import type { CollectionCounts, GraphTarget } from '../target.ts';

export interface EmbeddedStoreOptions {
  /** SQLite file; it and its folder are created on first use unless `readonly`. */
  path: string;
  logger: Logger;
  /** Open an existing file for reading only (search); a missing file is STORE_FAILED. */
  readonly?: boolean;
}

/** A vertex as stored: the merged import record plus bookkeeping. */
export interface StoredVertex {
  source: string;
  collection: string;
  /** `_key` for hostname, ipaddress and macaddress; `external_id` otherwise. */
  id: string;
  record: Record<string, unknown>;
  report: string | null;
  firstReportedMs: number;
  lastReportedMs: number;
  deleted: boolean;
  lifecycle: 'active' | 'inactive' | 'disabled';
  missCount: number;
}

/** An edge as stored, with its plain end ids. */
export interface StoredEdge {
  source: string;
  collection: string;
  from: string;
  to: string;
  active: boolean;
  report: string | null;
  firstReportedMs: number;
  lastReportedMs: number;
  /** Extra edge fields (e.g. `last_access_time`), when the import had any. */
  data: Record<string, unknown> | null;
}

export interface EmbeddedStore extends GraphTarget {
  /** Absolute path of the database file. */
  readonly path: string;

  /** Data Explorer search; throws SEARCH_INPUT_INVALID for malformed input. */
  search(kind: SearchKind, value: string, options?: { source?: string }): SearchResult;

  /** One vertex by collection and id (external id or key); the first source when none given. */
  getVertex(collection: string, id: string, source?: string): StoredVertex | undefined;
  /** Every vertex of a collection, ordered by source and id. */
  listVertices(collection: string, source?: string): StoredVertex[];
  /** Every edge of a collection, ordered by source, from and to. */
  listEdges(collection: string, source?: string): StoredEdge[];

  /** Upserts a CAR import without run tracking; inside a full-import session, marks it reported. */
  applyImport(source: string, reportKey: string, batch: GraphBatch): CollectionCounts;
  /** Sets fields of the edges between `from` and `to` (plain ids or `<collection>/<key>`). */
  patchEdges(
    collection: string,
    source: string,
    from: string,
    to: string,
    patch: { active?: boolean },
  ): number;
  /** Soft-deletes vertices (CAR's DELETE is soft) and deactivates their edges. */
  deleteVertices(
    source: string,
    collection: string,
    ids: string[],
    by: 'external_id' | 'key',
  ): number;
  /** CAR's `model_state_id` of a source. */
  getModelState(source: string): string | undefined;
  setModelState(source: string, value: string): void;
  /** Opens CAR's full-import session: imports from now on count as reported by it. */
  beginFullImportSession(source: string): void;
  /** Closes the session, deactivating the source's edges it did not report. */
  endFullImportSession(source: string): CollectionCounts;
}
