/** Rows of the runner database as better-sqlite3 returns them (snake_case, as the columns). */

/** A connections row. */
export interface ConnectionRow {
  id: number;
  name: string;
  description: string;
  frequency_minutes: number;
  host_port: number;
  edge_gateway: string | null;
  created_at: string;
  updated_at: string;
}

/** A configurations row; `client_secret_sealed` is the sealed secret, never plaintext. */
export interface ConfigurationRow {
  id: number;
  connection_id: number;
  name: string;
  description: string;
  subscription_id: string | null;
  tenant_id: string;
  client_id: string;
  client_secret_sealed: string;
  cloud: string;
  login_url: string | null;
  api_url: string | null;
  graph_url: string | null;
  ca_file: string | null;
  api_scope: string | null;
  graph_scope: string | null;
  created_at: string;
  updated_at: string;
  first_import_at: string | null;
  last_success_at: string | null;
  last_check_at: string | null;
  error_category: string | null;
  error_code: string | null;
  error_message: string | null;
}
