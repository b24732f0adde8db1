/**
 * The target factory: the one place that turns `config.target.kind` into a GraphTarget
 * (DESIGN.md §7). Callers (sync, runner, CLI) never construct a target themselves.
 */
import type { AppConfig } from '../config/types.ts';
import type { Logger } from '../log.ts';
import { openCarTarget } from './car/open.ts';
import { openEmbeddedStore } from './embedded/index.ts';
import { openFilesTarget } from './files/open.ts';
import type { GraphTarget } from './target.ts';

/**
 * Opens the configured target: the embedded store (default), the CAR service (with its ledger
 * at `dbPath`) or import files (with a ledger in the output folder). Throws CONFIG_INVALID for
 * missing CAR credentials or output folder, STORE_FAILED when a store cannot be opened.
 */
export async function createTarget(config: AppConfig, logger: Logger): Promise<GraphTarget> {
  switch (config.target.kind) {
    case 'car':
      return openCarTarget(config, logger);
    case 'files':
      return openFilesTarget(config, logger);
    case 'embedded':
      return openEmbeddedStore({ path: config.target.dbPath, logger });
  }
}
