/**
 * What the CAR emulator uses of the embedded store (src/targets/embedded): CAR's import
 * semantics without run tracking, edge patches, soft deletes, model state and the full-import
 * session. Named here so the emulator's dependency is stated in one place.
 */
import type { EmbeddedStore } from '../targets/embedded/index.ts';

export type EmulatorStore = Pick<
  EmbeddedStore,
  | 'applyImport'
  | 'patchEdges'
  | 'deleteVertices'
  | 'getModelState'
  | 'setModelState'
  | 'beginFullImportSession'
  | 'endFullImportSession'
  | 'listVertices'
  | 'listEdges'
  | 'getVertex'
  | 'close'
>;
