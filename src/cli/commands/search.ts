import type { RegisterCommand } from './types.ts';

/** `mde-car search`: placeholder until its issue lands; the owning work replaces this file. */
export const registerSearch: RegisterCommand = (program) => {
  program
    .command('search')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('mde-car search is not available in this build');
    });
};
