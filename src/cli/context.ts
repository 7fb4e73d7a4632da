import type { Command } from 'commander';
import { type Config, type ConfigOverrides, loadConfig } from '../config.js';
import { type AppContext, type ContextOverrides, createAppContext } from '../main.js';

export interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
  referenceDir?: string;
}

/** The configuration the global flags (or environment) name for one CLI command. */
export const configFor = (command: Command, overrides: ConfigOverrides = {}): Config => {
  const options = command.optsWithGlobals<GlobalOptions>();
  return loadConfig({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    referenceDir: options.referenceDir,
    ...overrides,
  });
};

/** Opens the store named by the global flags (or environment) for one CLI command. */
export const openContext = async (
  command: Command,
  overrides: ConfigOverrides = {},
  contextOverrides: ContextOverrides = {},
): Promise<AppContext> => createAppContext(configFor(command, overrides), contextOverrides);

/** Runs fn with an open context and always closes it, so the store is never left locked. */
export const withContext = async <T>(command: Command, fn: (context: AppContext) => Promise<T>): Promise<T> => {
  const context = await openContext(command);
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
};
