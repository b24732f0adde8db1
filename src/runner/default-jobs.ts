/**
 * The real sync and check jobs the service runs: a sync opens the embedded store, runs the
 * sync engine and closes the store; a check asks Defender for a token and makes one cheap call.
 * Tests give the runner their own jobs instead; these are wired by `mde-car serve`.
 */
import { createDefenderClient } from '../mde/client.ts';
import { checkConnection } from '../mde/connection-check.ts';
import { openEmbeddedStore } from '../targets/embedded/index.ts';
import { runSync } from '../sync/run.ts';
import type { CheckJobFn, SyncJobFn } from './run-job.ts';

/**
 * Syncs one configuration into the embedded store at `config.target.dbPath`.
 * Limitation: connections managed by the service always write to the embedded store, which the
 * Data Explorer reads; syncing to a CAR service is done with `mde-car sync --target car`.
 */
export const syncIntoEmbeddedStore: SyncJobFn = async ({ config, configuration, logger, now }) => {
  const target = openEmbeddedStore({ path: config.target.dbPath, logger });
  try {
    return await runSync({ config, configuration, target, logger, now });
  } finally {
    await target.close();
  }
};

/** Checks one configuration: a token, the granted roles, and one cheap call per endpoint family. */
export const checkWithDefender: CheckJobFn = async ({ config, configuration, logger, now }) => {
  const api = createDefenderClient({
    configuration,
    http: config.http,
    ...(config.connection.edgeGateway ? { edgeGateway: config.connection.edgeGateway } : {}),
    logger,
    now,
  });
  try {
    const check = await checkConnection(api);
    return {
      ok: check.ok,
      message: check.verdict,
      ...(check.failureCode ? { errorCode: check.failureCode } : {}),
    };
  } finally {
    await api.close();
  }
};
