/**
 * Schema version 3: a compact graph. Random upserts into wide text-keyed edge B-trees that no
 * longer fit the page cache made writes slow at 100,000 machines, so every vertex gets a small
 * integer id (`vid`) and an edge is keyed by its two ends' vids and an edge-kind number. The
 * source of an edge is its from vertex's; the run and report that last wrote it are one
 * integer `stamp`. An edge end never imported as a vertex is kept as a stub vertex row with
 * `data` NULL, which every vertex read skips.
 */

/** SQL bringing a version-2 store to version 3, keeping every vertex and edge. */
export const MIGRATION_V3 = `
  CREATE TABLE vertices_v3 (
    vid             INTEGER PRIMARY KEY,
    source          TEXT    NOT NULL,
    collection      TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    name            TEXT,
    data            TEXT,
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
  INSERT INTO vertices_v3 (vid, source, collection, id, name, data, report, first_reported,
    last_reported, last_run_id, deleted, lifecycle, miss_count, inactive_since)
  SELECT rowid, source, collection, id, name, data, report, first_reported, last_reported,
    last_run_id, deleted, lifecycle, miss_count, inactive_since FROM vertices ORDER BY rowid;

  -- Edge collections are named <from>_<to>; the kind number stands for the name in edge rows.
  CREATE TABLE edge_kinds (
    kind             INTEGER PRIMARY KEY,
    collection       TEXT NOT NULL UNIQUE,
    from_collection  TEXT NOT NULL,
    to_collection    TEXT NOT NULL
  );
  INSERT INTO edge_kinds (collection, from_collection, to_collection)
  SELECT collection,
    CASE WHEN instr(collection, '_') = 0 THEN collection
      ELSE substr(collection, 1, instr(collection, '_') - 1) END,
    CASE WHEN instr(collection, '_') = 0 THEN collection
      ELSE substr(collection, instr(collection, '_') + 1) END
  FROM (SELECT DISTINCT collection FROM edges ORDER BY collection);

  -- One row per (run, report) that wrote edges.
  CREATE TABLE stamps (
    stamp   INTEGER PRIMARY KEY,
    run_id  TEXT,
    report  TEXT
  );
  CREATE UNIQUE INDEX stamps_by_run ON stamps (run_id, report);
  INSERT INTO stamps (run_id, report)
  SELECT DISTINCT last_run_id, report FROM edges
  WHERE last_run_id IS NOT NULL OR report IS NOT NULL;

  INSERT OR IGNORE INTO vertices_v3 (source, collection, id, first_reported, last_reported)
  SELECT e.source, k.from_collection, e.from_id, 0, 0
    FROM edges e JOIN edge_kinds k ON k.collection = e.collection
  UNION
  SELECT e.source, k.to_collection, e.to_id, 0, 0
    FROM edges e JOIN edge_kinds k ON k.collection = e.collection;

  CREATE TABLE edges_v3 (
    from_vid        INTEGER NOT NULL,
    kind            INTEGER NOT NULL,
    to_vid          INTEGER NOT NULL,
    active          INTEGER NOT NULL,
    first_reported  INTEGER NOT NULL,
    last_reported   INTEGER NOT NULL,
    last_active_at  INTEGER,
    stamp           INTEGER,
    data            TEXT,
    PRIMARY KEY (from_vid, kind, to_vid)
  ) WITHOUT ROWID;
  INSERT INTO edges_v3 (from_vid, kind, to_vid, active, first_reported, last_reported,
    last_active_at, stamp, data)
  SELECT f.vid, k.kind, t.vid, e.active, e.first_reported, e.last_reported, e.last_active_at,
    s.stamp, e.data
  FROM edges e
    JOIN edge_kinds k ON k.collection = e.collection
    JOIN vertices_v3 f ON f.source = e.source AND f.collection = k.from_collection AND f.id = e.from_id
    JOIN vertices_v3 t ON t.source = e.source AND t.collection = k.to_collection AND t.id = e.to_id
    LEFT JOIN stamps s ON s.run_id IS e.last_run_id AND s.report IS e.report;

  DROP TABLE edges;
  DROP TABLE vertices;
  ALTER TABLE vertices_v3 RENAME TO vertices;
  ALTER TABLE edges_v3 RENAME TO edges;
  CREATE INDEX vertices_by_name ON vertices (collection, name);
  -- Search goes from an address to its holders; the primary key serves the other direction.
  CREATE INDEX edges_by_to ON edges (to_vid, kind);
`;
