import type { Command } from 'commander';

/**
 * A command module registers itself on the program. `setExitCode` records the code the
 * process should exit with when the action resolves (errors thrown map through exit-codes.ts).
 */
export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;
