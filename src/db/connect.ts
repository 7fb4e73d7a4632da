import path from 'node:path';
import type { Config } from '../config.js';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

export const storeDescription = (config: Pick<Config, 'databaseUrl' | 'dataDir'>): string =>
  config.databaseUrl
    ? `PostgreSQL ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}`
    : `SQLite ${path.join(config.dataDir, 'caravan.db')}`;

/** Opens the configured store and brings its schema up to date. */
export const connect = async (config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Db> => {
  const db = config.databaseUrl
    ? openPostgres(config.databaseUrl)
    : openSqlite({ file: path.join(config.dataDir, 'caravan.db') });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
};
