import { Command } from 'commander';
import { storeDescription } from '../db/connect.js';
import { withContext } from './context.js';

export const migrateCommand = (): Command =>
  new Command('migrate')
    .description('Bring the store schema up to date (the server also does this at start)')
    .action(async (_options, command: Command) => {
      await withContext(command, async (context) => {
        process.stdout.write(`Schema of ${storeDescription(context.config)} is up to date.\n`);
      });
    });
