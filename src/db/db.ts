export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | null;

/**
 * The one storage port every repository is written against. SQL uses `?` placeholders and the
 * portable subset both engines share (ON CONFLICT, RETURNING, CTEs); the drivers hide the rest.
 */
export interface Db {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** The same statement for many parameter sets: one round trip per row on PostgreSQL, one prepared statement on SQLite. */
  runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<{ changes: number }>;
  /** Runs fn in one transaction; everything fn writes through `tx` commits or rolls back together. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
