import type { RegisterCommand } from './types.ts';

/** `mde-car bench`: placeholder until its issue lands; the owning work replaces this file. */
export const registerBench: RegisterCommand = (program) => {
  program
    .command('bench')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('mde-car bench is not available in this build');
    });
};
