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
 * a file written by an earlier connector; an up-to-date or missing file is left untouched.
 */
export function upgradeBeforeReading(path: string): void {
  if (!existsSync(path)) return;
  const peek = openDatabase(path, true);
  let version: number;
  try {
    version = peek.pragma('user_version', { simple: true }) as number;
  } catch {
    return; // Not SQLite: the read-only open below reports it.
  } finally {
    peek.close();
  }
  if (version === 0 || version >= SCHEMA_VERSION) return;

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
