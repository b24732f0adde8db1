import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../../src/errors.ts';
import { silentLogger } from '../../../../src/log.ts';
import { openEmbeddedStore } from '../../../../src/targets/embedded/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openEmbeddedStore', () => {
  it.each([true, false])(
    'names the file and what to do when it is not a database (readonly %s)',
    (readonly) => {
      const dir = mkdtempSync(join(tmpdir(), 'mde-car-open-'));
      dirs.push(dir);
      const path = join(dir, 'notes.txt');
      writeFileSync(path, 'this is not a database, but it is long enough to be read as one\n');

      let caught: unknown;
      try {
        openEmbeddedStore({ path, logger: silentLogger(), readonly });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ConnectorError);
      expect((caught as ConnectorError).code).toBe('STORE_FAILED');
      expect((caught as Error).message).toContain(path);
      expect((caught as Error).message).toMatch(/point --db at/);
    },
  );

  it('refuses to search an empty file and says to run a sync first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mde-car-open-'));
    dirs.push(dir);
    const path = join(dir, 'empty.db');
    writeFileSync(path, '');
    expect(() => openEmbeddedStore({ path, logger: silentLogger(), readonly: true })).toThrow(
      /is empty .*run mde-car sync/,
    );
  });

  it.each([true, false])(
    'refuses a store written by a newer connector (readonly %s)',
    (readonly) => {
      const dir = mkdtempSync(join(tmpdir(), 'mde-car-open-'));
      dirs.push(dir);
      const path = join(dir, 'newer.db');
      const store = openEmbeddedStore({ path, logger: silentLogger() });
      void store.close();
      const db = new Database(path);
      db.pragma('user_version = 99');
      db.close();
      expect(() => openEmbeddedStore({ path, logger: silentLogger(), readonly })).toThrow(
        /schema version 99, newer than this connector/,
      );
    },
  );
});
