import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db, SqlValue } from './db.js';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * better-sqlite3 is synchronous and a connection has one transaction at a time, so transactions are
 * serialised: callers outside a running transaction wait for it to finish rather than joining it.
 */
class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private lock: Promise<void> = Promise.resolve();

  constructor(private readonly connection: Database.Database) {}

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Waits until no transaction holds the connection, including ones that start while we wait. */
  private async whenFree(): Promise<void> {
    for (;;) {
      const current = this.lock;
      await current;
      if (current === this.lock) return;
    }
  }

  allNow<T>(sql: string, params: readonly SqlValue[] = []): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  runNow(sql: string, params: readonly SqlValue[] = []): { changes: number } {
    const result = this.statement(sql).run(...params);
    return { changes: result.changes };
  }

  runManyNow(sql: string, rows: readonly (readonly SqlValue[])[]): { changes: number } {
    const statement = this.statement(sql);
    let changes = 0;
    for (const row of rows) changes += statement.run(...row).changes;
    return { changes };
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    await this.whenFree();
    return this.allNow<T>(sql, params);
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    await this.whenFree();
    return this.statement(sql).get(...params) as T | undefined;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    await this.whenFree();
    return this.runNow(sql, params);
  }

  async runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<{ changes: number }> {
    await this.whenFree();
    return this.connection.transaction(() => this.runManyNow(sql, rows))();
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      this.connection.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(new SqliteTransaction(this));
        this.connection.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.connection.inTransaction) this.connection.exec('ROLLBACK');
        throw error;
      }
    } finally {
      release();
    }
  }

  execNow(sql: string): void {
    this.connection.exec(sql);
  }

  async exec(sql: string): Promise<void> {
    await this.whenFree();
    this.connection.exec(sql);
  }

  async close(): Promise<void> {
    await this.whenFree();
    this.connection.close();
  }
}

/** The view of the connection inside a transaction: no waiting on the lock the transaction holds. */
class SqliteTransaction implements Db {
  readonly dialect = 'sqlite' as const;

  constructor(private readonly owner: SqliteDb) {}

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.owner.allNow<T>(sql, params);
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.owner.allNow<T>(sql, params)[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return this.owner.runNow(sql, params);
  }

  async runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<{ changes: number }> {
    return this.owner.runManyNow(sql, rows);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async exec(sql: string): Promise<void> {
    this.owner.execNow(sql);
  }

  async close(): Promise<void> {
    throw new Error('close is not allowed inside a transaction');
  }
}

export interface SqliteOptions {
  /** A file path, or ':memory:' for tests. */
  file: string;
}

export const openSqlite = ({ file }: SqliteOptions): Db => {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const connection = new Database(file);
  connection.pragma('journal_mode = WAL');
  // FULL makes every commit durable before it is acknowledged, at a cost the benchmarks record.
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  return new SqliteDb(connection);
};
