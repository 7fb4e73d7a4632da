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

/** `INSERT INTO t (…) VALUES (?, ?, …) [ON CONFLICT …]`: the statements runMany can send many rows at once. */
const MULTI_ROW_INSERT = /^(\s*INSERT\s+INTO\s+[^(]+\([^)]*\)\s*VALUES\s*)\(([?,\s]+)\)(\s*(?:ON\s+CONFLICT[\s\S]*)?)$/i;

/**
 * The multi-row form of a one-row INSERT, or null for statements that must run row by row: anything
 * else, and upserts, since a DO UPDATE may not touch one row twice in a statement.
 */
export const multiRowInsert = (sql: string): { withRows(count: number): string } | null => {
  if (/DO\s+UPDATE/i.test(sql)) return null;
  const match = MULTI_ROW_INSERT.exec(sql);
  if (!match) return null;
  const [, head, tuple, tail] = match as unknown as [string, string, string, string];
  return { withRows: (count) => `${head}${Array.from({ length: count }, () => `(${tuple})`).join(', ')}${tail}` };
};
