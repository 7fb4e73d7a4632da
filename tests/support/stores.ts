import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import type { Migration } from '../../src/db/migrations/migration.js';
import { openPostgres } from '../../src/db/postgres.js';
import { openSqlite } from '../../src/db/sqlite.js';

export const postgresUrl = process.env.CARAVAN_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const postgresRequired = process.env.CARAVAN_REQUIRE_POSTGRES === '1';

let reachable: Promise<string | null> | undefined;
/** Null when PostgreSQL answers, else why not. A loaded CI machine may be slow to accept: try a few times. */
const postgresUnreachable = (): Promise<string | null> => {
  reachable ??= (async () => {
    let reason = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return null;
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    return reason;
  })();
  return reachable;
};

export interface TestStore {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty store, migrated to the latest schema or through the migrations given. */
  open(migrations?: readonly Migration[]): Promise<Db>;
  /** Why this store is skipped here, or false when it runs. */
  skip(): Promise<string | false>;
}

const sqliteStore: TestStore = {
  name: 'sqlite',
  skip: async () => false,
  open: async (migrations) => {
    const db = openSqlite({ file: ':memory:' });
    await migrate(db, migrations);
    return db;
  },
};

/** Each open() gets its own schema, so suites and files never see each other's rows. */
const postgresStore: TestStore = {
  name: 'postgres',
  skip: async () => {
    const reason = await postgresUnreachable();
    if (reason === null) return false;
    if (postgresRequired) throw new Error(`PostgreSQL is required (CARAVAN_REQUIRE_POSTGRES=1) but ${postgresUrl} is unreachable: ${reason}`);
    return `PostgreSQL unreachable at ${postgresUrl}: ${reason}`;
  },
  open: async (migrations) => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(postgresUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const db = openPostgres(url.toString(), 4);
    await migrate(db, migrations);
    const close = db.close.bind(db);
    return Object.assign(db, {
      close: async () => {
        await close();
        const cleaner = new pg.Client({ connectionString: postgresUrl });
        await cleaner.connect();
        await cleaner.query(`DROP SCHEMA ${schema} CASCADE`);
        await cleaner.end();
      },
    });
  },
};

/** The stores every repository contract suite runs against. */
export const testStores: TestStore[] = [sqliteStore, postgresStore];
