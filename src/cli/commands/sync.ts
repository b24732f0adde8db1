import type { RegisterCommand } from './types.ts';

/** `mde-car sync`: placeholder until its issue lands; the owning work replaces this file. */
export const registerSync: RegisterCommand = (program) => {
  program
    .command('sync')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('mde-car sync is not available in this build');
    });
};
