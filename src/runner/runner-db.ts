/**
 * The runner's own SQLite file (`<dataDir>/connections.db`), separate from the graph store:
 * connections, configurations (secrets sealed by a SecretBox), per-configuration status and the
 * run history. Schema changes go through `MIGRATIONS`, applied in order inside a transaction.
 */
import Database from 'better-sqlite3';
import { StoreError } from '../errors.ts';

export type RunnerDatabase = Database.Database;

const MIGRATIONS: string[] = [
  `CREATE TABLE connections (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     description TEXT NOT NULL,
     frequency_minutes INTEGER NOT NULL,
     host_port INTEGER NOT NULL,
     edge_gateway TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE configurations (
     id INTEGER PRIMARY KEY,
     connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     description TEXT NOT NULL,
     subscription_id TEXT,
     tenant_id TEXT NOT NULL,
     client_id TEXT NOT NULL,
     client_secret_sealed TEXT NOT NULL,
     cloud TEXT NOT NULL,
     login_url TEXT,
     api_url TEXT,
     graph_url TEXT,
     ca_file TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     first_import_at TEXT,
     last_success_at TEXT,
     last_check_at TEXT,
     error_category TEXT,
     error_code TEXT,
     error_message TEXT,
     UNIQUE (connection_id, name)
   );
   CREATE TABLE runs (
     id INTEGER PRIMARY KEY,
     configuration_id INTEGER NOT NULL REFERENCES configurations(id) ON DELETE CASCADE,
     run_id TEXT,
     trigger TEXT NOT NULL,
     outcome TEXT NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     duration_ms INTEGER,
     reason TEXT,
     error_code TEXT,
     summary_json TEXT
   );
   CREATE INDEX runs_by_configuration ON runs (configuration_id, id DESC);`,
  `ALTER TABLE configurations ADD COLUMN api_scope TEXT;
   ALTER TABLE configurations ADD COLUMN graph_scope TEXT;`,
];

/** Opens (creating and migrating) the runner database; throws STORE_FAILED. */
export function openRunnerDb(path: string): RunnerDatabase {
  let db: RunnerDatabase;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    throw new StoreError(
      `the connection store ${path} cannot be opened; check that the data directory is writable`,
      { cause: err },
    );
  }
  return db;
}

function migrate(db: RunnerDatabase): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const apply = db.transaction(() => {
    for (let index = version; index < MIGRATIONS.length; index += 1) {
      db.exec(MIGRATIONS[index] ?? '');
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  apply();
}
