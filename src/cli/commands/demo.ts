import type { RegisterCommand } from './types.ts';

/** `mde-car demo`: placeholder until its issue lands; the owning work replaces this file. */
export const registerDemo: RegisterCommand = (program) => {
  program
    .command('demo')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('mde-car demo is not available in this build');
    });
};
