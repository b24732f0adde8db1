/**
 * Opening the store's SQLite file: read-only opens need an existing file, and a file written by
 * an older connector is upgraded first, since the queries of this one expect the current schema.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../errors.ts';
import { migrate, SCHEMA_VERSION } from './migrations.ts';

/**
 * Brings an older store to the current schema before it is opened read-only, so search works on
 * a file written by an earlier connector; an up-to-date or missing file is left untouched. An
 * empty file or one from a newer connector is refused with what to do. Says which version it
 * upgraded from, so the caller can tell the person.
 */
export function upgradeBeforeReading(path: string): { upgradedFrom?: number } {
  if (!existsSync(path)) return {};
  const peek = openDatabase(path, true);
  let version: number;
  let hasTables: boolean;
  try {
    version = peek.pragma('user_version', { simple: true }) as number;
    hasTables =
      peek.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1`).get() !== undefined;
  } catch {
    return {}; // Not SQLite: the read-only open below reports it.
  } finally {
    peek.close();
  }
  if (version === 0 && !hasTables) {
    throw new StoreError(
      `the store ${path} is empty (no graph has been written to it); run mde-car sync with --db ${path} first, or point --db at a store file`,
      { details: { path } },
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      `the store ${path} has schema version ${version}, newer than this connector (${SCHEMA_VERSION}); upgrade the connector or point --db at another file`,
      { details: { path, version } },
    );
  }
  if (version === 0 || version === SCHEMA_VERSION) return {};

  const db = openDatabase(path, false);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db, path);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(
      `cannot upgrade the store ${path} to schema ${SCHEMA_VERSION} (${(err as Error).message}); ` +
        'make the file writable once, or run mde-car sync on it',
      { cause: err, details: { path } },
    );
  } finally {
    db.close();
  }
  return { upgradedFrom: version };
}

/** Opens the SQLite file; read-only needs an existing file. Throws STORE_FAILED. */
export function openDatabase(path: string, readonly: boolean): Database.Database {
  if (readonly && !existsSync(path)) {
    throw new StoreError(
      `no store at ${path}; run a sync first (mde-car sync) or point --db at an existing file`,
      { details: { path } },
    );
  }
  try {
    if (!readonly) mkdirSync(dirname(path), { recursive: true });
    return new Database(path, readonly ? { readonly: true, fileMustExist: true } : {});
  } catch (err) {
    throw new StoreError(
      `cannot open the store ${path}: ${(err as Error).message}; check the path and its permissions`,
      {
        cause: err,
        details: { path },
      },
    );
  }
}
