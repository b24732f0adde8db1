/**
 * The embedded store's schema, versioned with `PRAGMA user_version`. Each migration runs once,
 * in order, inside a transaction; a database newer than this code is refused rather than
 * guessed at.
 */
import type { Database } from 'better-sqlite3';
import { StoreError } from '../../errors.ts';
import { MIGRATION_V3 } from './schema-v3.ts';

/** Migration n brings the schema from version n to n + 1; exported for the upgrade tests. */
export const MIGRATIONS: readonly string[] = [
  `
  -- Vertices in CAR import shape; identity is (source, collection, external id or _key).
  CREATE TABLE vertices (
    source          TEXT    NOT NULL,
    collection      TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    name            TEXT,
    data            TEXT    NOT NULL,
    report          TEXT,
    first_reported  INTEGER NOT NULL,
    last_reported   INTEGER NOT NULL,
    last_run_id     TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0,
    lifecycle       TEXT    NOT NULL DEFAULT 'active',
    miss_count      INTEGER NOT NULL DEFAULT 0,
    inactive_since  INTEGER,
    PRIMARY KEY (source, collection, id)
  ) WITHOUT ROWID;
  CREATE INDEX vertices_by_name ON vertices (collection, name);

  -- Edges keyed by their plain end ids; active plus first/last reported as CAR keeps them.
  CREATE TABLE edges (
    source          TEXT    NOT NULL,
    collection      TEXT    NOT NULL,
    from_id         TEXT    NOT NULL,
    to_id           TEXT    NOT NULL,
    data            TEXT,
    active          INTEGER NOT NULL,
    report          TEXT,
    first_reported  INTEGER NOT NULL,
    last_reported   INTEGER NOT NULL,
    last_active_at  INTEGER,
    last_run_id     TEXT,
    PRIMARY KEY (source, collection, from_id, to_id)
  ) WITHOUT ROWID;
  -- Search goes from an address to its holders; the primary key serves the other direction.
  CREATE INDEX edges_by_to ON edges (collection, to_id);

  CREATE TABLE runs (
    run_id       TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    mode         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    report_key   TEXT,
    summary      TEXT
  );
  CREATE INDEX runs_by_source ON runs (source, started_at);

  CREATE TABLE checkpoints (
    source      TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );

  -- Per-source state of the CAR emulator: model_state_id and the open full-import session.
  CREATE TABLE sources (
    source       TEXT PRIMARY KEY,
    model_state  TEXT,
    session_id   TEXT
  );
  `,
  `
  -- Vertex rows hold the whole import record as JSON (often ~1 KiB), too large for a WITHOUT
  -- ROWID B-tree to stay fast: rebuilt as a rowid table with a unique identity index.
  CREATE TABLE vertices_v2 (
    source          TEXT    NOT NULL,
    collection      TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    name            TEXT,
    data            TEXT    NOT NULL,
    report          TEXT,
    first_reported  INTEGER NOT NULL,
    last_reported   INTEGER NOT NULL,
    last_run_id     TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0,
    lifecycle       TEXT    NOT NULL DEFAULT 'active',
    miss_count      INTEGER NOT NULL DEFAULT 0,
    inactive_since  INTEGER,
    UNIQUE (source, collection, id)
  );
  INSERT INTO vertices_v2 SELECT source, collection, id, name, data, report, first_reported,
    last_reported, last_run_id, deleted, lifecycle, miss_count, inactive_since FROM vertices;
  DROP TABLE vertices;
  ALTER TABLE vertices_v2 RENAME TO vertices;
  CREATE INDEX vertices_by_name ON vertices (collection, name);
  `,
  MIGRATION_V3,
  `
  -- The process that runs a sync, as {"pid", "host"}, so a second sync of the same source can
  -- tell a live run from one whose process died.
  ALTER TABLE runs ADD COLUMN owner TEXT;
  `,
  `
  -- Search finds an address or host name by its key (the identity index), so the name index,
  -- a random insert per vertex written, is not kept.
  DROP INDEX IF EXISTS vertices_by_name;
  -- The assets the lifecycle may move on without being reported: inactive, disabled or missed.
  -- A live asset (the usual case) has no entry, so writing it costs nothing here.
  CREATE INDEX vertices_to_watch ON vertices (source, collection, lifecycle, miss_count)
    WHERE lifecycle <> 'active' OR miss_count > 0;
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION. Throws STORE_FAILED for a newer database. */
export function migrate(db: Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      `the store ${path} has schema version ${current}, newer than this connector (${SCHEMA_VERSION}); upgrade the connector or point --db at another file`,
      { details: { path, version: current } },
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
