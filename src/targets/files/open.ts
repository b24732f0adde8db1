/**
 * Builds the import-files target from the configuration: the output folder (`--out DIR`) and
 * the ledger kept inside it, so a dry run never reads or advances the real embedded store.
 */
import { join, resolve } from 'node:path';
import { ConfigError } from '../../errors.ts';
import type { AppConfig } from '../../config/types.ts';
import type { Logger } from '../../log.ts';
import { openEmbeddedStore } from '../embedded/index.ts';
import { FilesTarget, LEDGER_FILE } from './files-target.ts';

/** Opens the files target; throws CONFIG_INVALID when no output folder is configured. */
export function openFilesTarget(config: AppConfig, logger: Logger): FilesTarget {
  const outDir = config.target.outDir;
  if (outDir === undefined || outDir === '') {
    throw new ConfigError(
      'target.outDir is missing; give --out DIR (or MDE_OUT_DIR) with --target files',
      {
        key: 'target.outDir',
      },
    );
  }
  const dir = resolve(outDir);
  return new FilesTarget({
    outDir: dir,
    ledger: openEmbeddedStore({ path: join(dir, LEDGER_FILE), logger }),
    logger: logger.child({ component: 'files' }),
    pageSize: config.target.car.pageSize,
    sourceName: config.connection.description === '' ? undefined : config.connection.description,
  });
}
