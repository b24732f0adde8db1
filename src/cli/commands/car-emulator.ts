import type { RegisterCommand } from './types.ts';

/** `mde-car car-emulator`: placeholder until its issue lands; the owning work replaces this file. */
export const registerCarEmulator: RegisterCommand = (program) => {
  program
    .command('car-emulator')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('mde-car car-emulator is not available in this build');
    });
};
