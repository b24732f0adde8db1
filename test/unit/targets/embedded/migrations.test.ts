import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/log.ts';
import { openEmbeddedStore, SCHEMA_VERSION } from '../../../../src/targets/embedded/index.ts';
import { MIGRATIONS } from '../../../../src/targets/embedded/migrations.ts';
import { tempStores } from './temp-store.ts';

let stores = tempStores();
afterEach(async () => {
  await stores.cleanup();
  stores = tempStores();
});

describe('store schema migrations', () => {
  it('upgrades a version-1 file to the current version and keeps its vertices', async () => {
    const path = join(stores.dir, 'old.db');
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare(
      `INSERT INTO vertices (source, collection, id, name, data, first_reported, last_reported)
       VALUES ('mde-test', 'ipaddress', '10.0.0.1', '10.0.0.1', '{"_key":"10.0.0.1"}', 1, 1)`,
    ).run();
    db.close();

    const store = openEmbeddedStore({ path, logger: silentLogger() });
    expect(store.getVertex('ipaddress', '10.0.0.1')?.record).toEqual({ _key: '10.0.0.1' });
    await store.close();
    const reopened = new Database(path, { readonly: true });
    expect(reopened.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    reopened.close();
  });

  it('refuses a file written by a newer connector with STORE_FAILED', () => {
    const path = join(stores.dir, 'newer.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openEmbeddedStore({ path, logger: silentLogger() })).toThrow(
      expect.objectContaining({ code: 'STORE_FAILED' }),
    );
  });
});
