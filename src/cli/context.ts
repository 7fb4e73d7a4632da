import type { Command } from 'commander';
import { type Config, type ConfigOverrides, loadConfig } from '../config.js';
import { type AppContext, createAppContext } from '../main.js';

export interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
  referenceDir?: string;
}

/** Opens the store named by the global flags (or environment) for one CLI command. */
export const openContext = async (command: Command, overrides: ConfigOverrides = {}): Promise<AppContext> => {
  const options = command.optsWithGlobals<GlobalOptions>();
  const config: Config = loadConfig({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    referenceDir: options.referenceDir,
    ...overrides,
  });
  return createAppContext(config);
};

/** Runs fn with an open context and always closes it, so the store is never left locked. */
export const withContext = async <T>(command: Command, fn: (context: AppContext) => Promise<T>): Promise<T> => {
  const context = await openContext(command);
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
};
