import type { RegisterCommand } from './types.ts';
import { registerTestConnection } from './test-connection.ts';
import { registerSimulate } from './simulate.ts';
import { registerSync } from './sync.ts';
import { registerSearch } from './search.ts';
import { registerCarEmulator } from './car-emulator.ts';
import { registerServe } from './serve.ts';
import { registerDemo } from './demo.ts';
import { registerBench } from './bench.ts';

/** Every command, in the order `mde-car --help` lists them. */
export const COMMANDS: RegisterCommand[] = [
  registerDemo,
  registerSync,
  registerSearch,
  registerTestConnection,
  registerSimulate,
  registerCarEmulator,
  registerServe,
  registerBench,
];
