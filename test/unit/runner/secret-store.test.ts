import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../src/errors.ts';
import { createSecretBox, loadSecretKey } from '../../../src/runner/secret-box.ts';
import { ConnectionStore } from '../../../src/runner/connection-store.ts';
import { openRunnerDb, type RunnerDatabase } from '../../../src/runner/runner-db.ts';
import {
  validateConfigurationInput,
  validateConnectionInput,
} from '../../../src/runner/validation.ts';
import { CLIENT_SECRET, configurationBody, connectionBody } from './fixtures.ts';

let dir: string;
let db: RunnerDatabase | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mde-car-runner-'));
});

afterEach(() => {
  db?.close();
  db = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('secret key', () => {
  it('creates secret.key with mode 0600 on first start and reads the same key afterwards', () => {
    const first = loadSecretKey({ dataDir: dir });
    expect(first.source).toBe('file-created');
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const second = loadSecretKey({ dataDir: dir });
    expect(second.source).toBe('file');
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('prefers MDE_CAR_SECRET_KEY and rejects one that is not 32 bytes', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadSecretKey({ dataDir: dir, envValue: key }).source).toBe('env');
    expect(readdirSync(dir)).toEqual([]);
    expect(() => loadSecretKey({ dataDir: dir, envValue: 'c2hvcnQ=' })).toThrow(/32/);
  });
});

describe('secret box', () => {
  it('round-trips a secret and produces a different ciphertext each time', () => {
    const box = createSecretBox(Buffer.alloc(32, 1));
    const a = box.seal(CLIENT_SECRET);
    const b = box.seal(CLIENT_SECRET);
    expect(a).not.toBe(b);
    expect(a).not.toContain(CLIENT_SECRET);
    expect(box.open(a)).toBe(CLIENT_SECRET);
  });

  it('refuses to open a value sealed with another key', () => {
    const sealed = createSecretBox(Buffer.alloc(32, 1)).seal(CLIENT_SECRET);
    let caught: unknown;
    try {
      createSecretBox(Buffer.alloc(32, 2)).open(sealed);
    } catch (err) {
      caught = err;
    }
    expect(hasCode(caught, 'STORE_FAILED')).toBe(true);
  });
});

describe('connection store', () => {
  function openStore(): ConnectionStore {
    db = openRunnerDb(join(dir, 'connections.db'));
    return new ConnectionStore(
      db,
      createSecretBox(loadSecretKey({ dataDir: dir }).key),
      () => new Date(),
    );
  }

  it('keeps the client secret out of the database file and out of every view', () => {
    const store = openStore();
    store.create(validateConnectionInput(connectionBody()));
    const view = store.createConfiguration(
      'contoso-prod',
      validateConfigurationInput(configurationBody(), { hasStoredSecret: false }),
    );
    expect(view.hasClientSecret).toBe(true);
    expect(JSON.stringify(store.list())).not.toContain(CLIENT_SECRET);
    db?.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file)).includes(Buffer.from(CLIENT_SECRET))).toBe(false);
    }
    const row = store.configurationRow('contoso-prod', 'primary');
    expect(store.readSecret(row)).toBe(CLIENT_SECRET);
  });

  it('keeps the stored secret when an edit omits it and replaces it when an edit gives one', () => {
    const store = openStore();
    store.create(validateConnectionInput(connectionBody()));
    store.createConfiguration(
      'contoso-prod',
      validateConfigurationInput(configurationBody(), { hasStoredSecret: false }),
    );
    const edit = validateConfigurationInput(
      configurationBody({ clientSecret: undefined, description: 'edited' }),
      {
        hasStoredSecret: true,
      },
    );
    store.updateConfiguration('contoso-prod', 'primary', edit);
    expect(store.readSecret(store.configurationRow('contoso-prod', 'primary'))).toBe(CLIENT_SECRET);
    expect(store.getConfiguration('contoso-prod', 'primary').description).toBe('edited');

    const replace = validateConfigurationInput(configurationBody({ clientSecret: 'new-secret' }), {
      hasStoredSecret: true,
    });
    store.updateConfiguration('contoso-prod', 'primary', replace);
    expect(store.readSecret(store.configurationRow('contoso-prod', 'primary'))).toBe('new-secret');
  });

  it('answers NOT_FOUND for an unknown connection and CONFLICT for a duplicate name', () => {
    const store = openStore();
    store.create(validateConnectionInput(connectionBody()));
    expect(() => store.get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => store.create(validateConnectionInput(connectionBody()))).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
  });
});
