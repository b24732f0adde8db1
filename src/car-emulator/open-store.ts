/**
 * Opens the embedded store behind the CAR emulator. A separate module so the emulator's
 * dependency on the store is one import, and the server stays free of storage details.
 */
import type { Logger } from '../log.ts';
import { openEmbeddedStore } from '../targets/embedded/index.ts';
import type { EmulatorStore } from './store-port.ts';

/** The store at `dbPath`, created when missing. Throws STORE_FAILED when it cannot be opened. */
export async function openEmulatorStore(dbPath: string, logger: Logger): Promise<EmulatorStore> {
  return openEmbeddedStore({ path: dbPath, logger });
}
