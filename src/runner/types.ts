/**
 * Shapes the runner stores and the server returns: connections and configurations as a person
 * enters them (DESIGN.md §2), their status, and the run history. Views never carry a secret;
 * `hasClientSecret` says whether one is stored.
 */
import type { CloudName } from '../config/types.ts';
import type { RunSummary } from '../sync/types.ts';

/** A connection as validated from input. */
export interface ConnectionInput {
  name: string;
  description: string;
  frequencyMinutes: number;
  hostPort: number;
  edgeGateway: string | undefined;
}

/** A configuration as validated from input; `clientSecret` undefined keeps the stored one. */
export interface ConfigurationInput {
  name: string;
  description: string;
  subscriptionId: string | undefined;
  tenantId: string;
  clientId: string;
  clientSecret: string | undefined;
  cloud: CloudName;
  loginUrl: string | undefined;
  apiUrl: string | undefined;
  graphUrl: string | undefined;
  /** Token scopes for the custom cloud; default `<apiUrl>/.default` and `<graphUrl>/.default`. */
  apiScope: string | undefined;
  graphScope: string | undefined;
  caFile: string | undefined;
}

/** A stored configuration without its secret. */
export interface ConfigurationView extends Omit<ConfigurationInput, 'clientSecret'> {
  id: number;
  connection: string;
  hasClientSecret: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A stored connection with its configurations (no secrets). */
export interface ConnectionView extends ConnectionInput {
  id: number;
  createdAt: string;
  updatedAt: string;
  configurations: ConfigurationView[];
}

/** Why a configuration is in error (issue 7): drives the badge and what the user should fix. */
export type ErrorCategory =
  'credentials' | 'permission' | 'network' | 'throttled' | 'car' | 'store' | 'config';

export type StatusState = 'unavailable' | 'connected' | 'error';

/** Status of one configuration, or of a whole connection (the worst of its configurations). */
export interface StatusView {
  state: StatusState;
  /** Present when `state` is `error`. */
  category?: ErrorCategory;
  message?: string;
  errorCode?: string;
  /** When the first import completed (ISO UTC); absent while unavailable. */
  firstImportAt?: string;
  lastSuccessAt?: string;
  lastCheckAt?: string;
  /** True while a sync of this configuration is running. */
  isRunning?: boolean;
  /** When the next scheduled run is due (ISO UTC). */
  nextRunAt?: string;
}

export interface ConfigurationStatus extends StatusView {
  configuration: string;
}

export interface ConnectionStatus extends StatusView {
  connection: string;
  configurations: ConfigurationStatus[];
}

export type RunTrigger = 'start' | 'schedule' | 'manual' | 'resume';
export type RunRecordOutcome = 'running' | 'ok' | 'partial' | 'deferred' | 'failed' | 'skipped';

/** One line of the run history; `skipped` records a due run that found the previous one going. */
export interface RunRecord {
  id: number;
  connection: string;
  configuration: string;
  runId: string | null;
  trigger: RunTrigger;
  outcome: RunRecordOutcome;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  reason: string | null;
  errorCode: string | null;
  summary: RunSummary | null;
}
