import type { RegisterCommand } from './types.ts';

/** `mde-car simulate`: placeholder until its issue lands; the owning work replaces this file. */
export const registerSimulate: RegisterCommand = (program) => {
  program
    .command('simulate')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('mde-car simulate is not available in this build');
    });
};
