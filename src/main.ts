import type { Config } from './config.js';
import { connect } from './db/connect.js';
import type { Db } from './db/db.js';
import { type Clock, systemClock } from './shared/clock.js';
import { type IdGenerator, ulidGenerator } from './shared/ids.js';

/** Everything a command or the server needs, built once in one place. */
export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  close(): Promise<void>;
}

export interface ContextOverrides {
  clock?: Clock;
  ids?: IdGenerator;
  db?: Db;
}

export const createAppContext = async (config: Config, overrides: ContextOverrides = {}): Promise<AppContext> => {
  const db = overrides.db ?? (await connect(config));
  return {
    config,
    db,
    clock: overrides.clock ?? systemClock,
    ids: overrides.ids ?? ulidGenerator(),
    close: () => db.close(),
  };
};
