import type { RegisterCommand } from './types.ts';

/** `mde-car serve`: placeholder until its issue lands; the owning work replaces this file. */
export const registerServe: RegisterCommand = (program) => {
  program
    .command('serve')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('mde-car serve is not available in this build');
    });
};
