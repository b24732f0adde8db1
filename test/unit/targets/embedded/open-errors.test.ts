import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
