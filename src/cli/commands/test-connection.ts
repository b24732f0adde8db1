import type { RegisterCommand } from './types.ts';

/** `mde-car test-connection`: placeholder until its issue lands; the owning work replaces this file. */
export const registerTestConnection: RegisterCommand = (program) => {
  program
    .command('test-connection')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('mde-car test-connection is not available in this build');
    });
};
