import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
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

  constructor(
    private readonly connection: Database.Database,
    private readonly checkpointer?: WalCheckpointer,
  ) {}

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
    const result = this.connection.transaction(() => this.runManyNow(sql, rows))();
    this.checkpointer?.afterCommit();
    return result;
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
        this.checkpointer?.afterCommit();
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
    await this.checkpointer?.stop();
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

/**
 * Copies the write-ahead log back into the database file from a thread of its own. SQLite would
 * otherwise do it inside whichever commit crosses the WAL size threshold, with the event loop blocked
 * on the database file's writes and fsync; with copying moved here a commit only appends to the WAL.
 * PASSIVE never waits for writers or readers, so it cannot stall the main connection. The thread starts
 * only once the WAL has grown past what SQLite would copy on its own, so short commands never pay for it.
 */
class WalCheckpointer {
  private worker: Worker | undefined;

  constructor(
    private readonly file: string,
    private readonly intervalMs: number,
  ) {}

  afterCommit(): void {
    if (this.worker) return;
    let walBytes = 0;
    try {
      walBytes = statSync(`${this.file}-wal`).size;
    } catch {
      return;
    }
    if (walBytes < CHECKPOINTER_START_BYTES) return;
    this.worker = new Worker(CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: { file: this.file, intervalMs: this.intervalMs, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    this.worker.unref();
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Unreferenced, the worker would let the process end before it has closed its connection.
    worker.ref();
    worker.postMessage('stop');
    await exited;
  }
}

/** The checkpointer thread: its own connection, a PASSIVE checkpoint on a timer, closed on any message. */
const CHECKPOINTER_SOURCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.driver);
  const db = new Database(workerData.file);
  db.pragma('synchronous = FULL');
  const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
  const timer = setInterval(checkpoint, workerData.intervalMs);
  parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;
/** How often the checkpointer copies the WAL into the database file. */
const CHECKPOINT_INTERVAL_MS = 200;
/** SQLite's own default threshold: 1,000 pages of 4 KiB. */
const CHECKPOINTER_START_BYTES = 1000 * 4096;
/**
 * Pages the WAL may reach before a commit checkpoints it itself: a backstop for a checkpointer that
 * cannot keep up (a long reader holds old pages), large enough that it normally never triggers.
 */
const WAL_AUTOCHECKPOINT_PAGES = 16_384;

/** The page cache of the main connection, in KiB. */
const CACHE_KIB = 64 * 1024;

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
  // SQLite's default cache is 2 MB. Folding telemetry into device order touches a page per device, and a
  // large table's inner pages alone outgrow 2 MB: with 64 MB they stay in memory (sustained ingestion
  // 40–45k → 55–70k messages/s, docs/benchmarks.md).
  connection.pragma(`cache_size = -${CACHE_KIB}`);
  if (file === ':memory:') return new SqliteDb(connection);
  connection.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  // Without a limit the WAL file keeps the size of its largest burst after every checkpoint.
  connection.pragma(`journal_size_limit = ${WAL_AUTOCHECKPOINT_PAGES * 4096}`);
  return new SqliteDb(connection, new WalCheckpointer(file, CHECKPOINT_INTERVAL_MS));
};
