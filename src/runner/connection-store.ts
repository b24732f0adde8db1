/**
 * Connections and configurations in the runner database. Secrets are sealed before they are
 * written and opened only by `readSecret`, which the runner calls when it builds a sync
 * configuration; every view it returns is secret-free.
 */
import { ConnectorError } from '../errors.ts';
import { rowToInput } from './app-config.ts';
import type { RunnerDatabase } from './runner-db.ts';
import type { ConfigurationRow, ConnectionRow } from './store-rows.ts';
import type { SecretBox } from './secret-box.ts';
import type {
  ConfigurationInput,
  ConfigurationView,
  ConnectionInput,
  ConnectionView,
} from './types.ts';

export type { ConfigurationRow };

/** CRUD over connections and their configurations. Names are unique (per connection). */
export class ConnectionStore {
  constructor(
    private readonly db: RunnerDatabase,
    private readonly box: SecretBox,
    private readonly now: () => Date,
  ) {}

  list(): ConnectionView[] {
    const rows = this.db
      .prepare('SELECT * FROM connections ORDER BY name')
      .all() as ConnectionRow[];
    return rows.map((row) => this.toView(row));
  }

  get(name: string): ConnectionView {
    return this.toView(this.connectionRow(name));
  }

  /** Creates a connection; throws CONFLICT when the name is taken. */
  create(input: ConnectionInput): ConnectionView {
    const at = this.now().toISOString();
    try {
      this.db
        .prepare(
          `INSERT INTO connections (name, description, frequency_minutes, host_port, edge_gateway, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.name,
          input.description,
          input.frequencyMinutes,
          input.hostPort,
          input.edgeGateway ?? null,
          at,
          at,
        );
    } catch (err) {
      throw asConflict(err, `a connection named ${input.name} already exists; choose another name`);
    }
    return this.get(input.name);
  }

  /**
   * Updates a connection.
   * Limitation: the name cannot change, because it is the CAR source key of everything the
   * connection has imported; create a new connection instead.
   */
  update(name: string, input: ConnectionInput): ConnectionView {
    const row = this.connectionRow(name);
    if (input.name !== row.name) {
      throw new ConnectorError(
        'CONFLICT',
        `connection ${name} cannot be renamed to ${input.name}: the name is the CAR source key; create a new connection instead`,
        { details: { field: 'name' } },
      );
    }
    this.db
      .prepare(
        `UPDATE connections SET description = ?, frequency_minutes = ?, host_port = ?, edge_gateway = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(
        input.description,
        input.frequencyMinutes,
        input.hostPort,
        input.edgeGateway ?? null,
        this.now().toISOString(),
        row.id,
      );
    return this.get(name);
  }

  delete(name: string): void {
    const row = this.connectionRow(name);
    this.db.prepare('DELETE FROM connections WHERE id = ?').run(row.id);
  }

  getConfiguration(connection: string, name: string): ConfigurationView {
    return this.toConfigurationView(this.configurationRow(connection, name), connection);
  }

  /** The stored row (sealed secret included) for the runner's own use. */
  configurationRow(connection: string, name: string): ConfigurationRow {
    const parent = this.connectionRow(connection);
    const row = this.db
      .prepare('SELECT * FROM configurations WHERE connection_id = ? AND name = ?')
      .get(parent.id, name) as ConfigurationRow | undefined;
    if (!row) {
      throw new ConnectorError(
        'NOT_FOUND',
        `connection ${connection} has no configuration named ${name}`,
        {
          details: { connection, configuration: name },
        },
      );
    }
    return row;
  }

  /** Every configuration row with its connection name, for the scheduler. */
  allConfigurationRows(): { connection: string; row: ConfigurationRow }[] {
    const rows = this.db
      .prepare(
        `SELECT c.*, n.name AS connection_name FROM configurations c JOIN connections n ON n.id = c.connection_id ORDER BY c.id`,
      )
      .all() as (ConfigurationRow & { connection_name: string })[];
    return rows.map(({ connection_name, ...row }) => ({ connection: connection_name, row }));
  }

  /** A configuration row and its connection by id, or undefined when it was deleted. */
  byConfigurationId(id: number): { connection: ConnectionView; row: ConfigurationRow } | undefined {
    const row = this.db.prepare('SELECT * FROM configurations WHERE id = ?').get(id) as
      ConfigurationRow | undefined;
    if (!row) return undefined;
    const parent = this.db
      .prepare('SELECT * FROM connections WHERE id = ?')
      .get(row.connection_id) as ConnectionRow;
    return { connection: this.toView(parent), row };
  }

  /** Adds a configuration; the input must carry a client secret. */
  createConfiguration(connection: string, input: ConfigurationInput): ConfigurationView {
    const parent = this.connectionRow(connection);
    const at = this.now().toISOString();
    const sealed = this.box.seal(input.clientSecret ?? '');
    try {
      this.db
        .prepare(
          `INSERT INTO configurations (connection_id, name, description, subscription_id, tenant_id, client_id,
             client_secret_sealed, cloud, login_url, api_url, graph_url, ca_file, api_scope, graph_scope, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(parent.id, ...configurationValues(input), sealed, ...urlValues(input), at, at);
    } catch (err) {
      throw asConflict(
        err,
        `connection ${connection} already has a configuration named ${input.name}`,
      );
    }
    return this.getConfiguration(connection, input.name);
  }

  /** Updates a configuration; an absent secret keeps the stored one. */
  updateConfiguration(
    connection: string,
    name: string,
    input: ConfigurationInput,
  ): ConfigurationView {
    const row = this.configurationRow(connection, name);
    const sealed =
      input.clientSecret === undefined
        ? row.client_secret_sealed
        : this.box.seal(input.clientSecret);
    try {
      this.db
        .prepare(
          `UPDATE configurations SET name = ?, description = ?, subscription_id = ?, tenant_id = ?, client_id = ?,
             client_secret_sealed = ?, cloud = ?, login_url = ?, api_url = ?, graph_url = ?, ca_file = ?,
             api_scope = ?, graph_scope = ?, updated_at = ?
           WHERE id = ?`,
        )
        .run(
          ...configurationValues(input),
          sealed,
          ...urlValues(input),
          this.now().toISOString(),
          row.id,
        );
    } catch (err) {
      throw asConflict(
        err,
        `connection ${connection} already has a configuration named ${input.name}`,
      );
    }
    return this.getConfiguration(connection, input.name);
  }

  deleteConfiguration(connection: string, name: string): void {
    const row = this.configurationRow(connection, name);
    this.db.prepare('DELETE FROM configurations WHERE id = ?').run(row.id);
  }

  /** The plaintext secret of a configuration, for building a sync; never for a response. */
  readSecret(row: ConfigurationRow): string {
    return this.box.open(row.client_secret_sealed);
  }

  private connectionRow(name: string): ConnectionRow {
    const row = this.db.prepare('SELECT * FROM connections WHERE name = ?').get(name) as
      ConnectionRow | undefined;
    if (!row) {
      throw new ConnectorError(
        'NOT_FOUND',
        `there is no connection named ${name}; list them with GET /api/connections`,
        {
          details: { connection: name },
        },
      );
    }
    return row;
  }

  private toView(row: ConnectionRow): ConnectionView {
    const configurations = this.db
      .prepare('SELECT * FROM configurations WHERE connection_id = ? ORDER BY name')
      .all(row.id) as ConfigurationRow[];
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      frequencyMinutes: row.frequency_minutes,
      hostPort: row.host_port,
      edgeGateway: row.edge_gateway ?? undefined,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      configurations: configurations.map((c) => this.toConfigurationView(c, row.name)),
    };
  }

  private toConfigurationView(row: ConfigurationRow, connection: string): ConfigurationView {
    const { clientSecret: _secret, ...fields } = rowToInput(row);
    return {
      ...fields,
      id: row.id,
      connection,
      hasClientSecret: row.client_secret_sealed !== '',
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

function configurationValues(input: ConfigurationInput): (string | null)[] {
  return [
    input.name,
    input.description,
    input.subscriptionId ?? null,
    input.tenantId,
    input.clientId,
  ];
}

function urlValues(input: ConfigurationInput): (string | null)[] {
  return [
    input.cloud,
    input.loginUrl ?? null,
    input.apiUrl ?? null,
    input.graphUrl ?? null,
    input.caFile ?? null,
    input.apiScope ?? null,
    input.graphScope ?? null,
  ];
}

function asConflict(err: unknown, message: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
    return new ConnectorError('CONFLICT', message, { cause: err, details: { field: 'name' } });
  }
  return err;
}
