import type { Db } from '../db/db.js';
import type { Declaration } from './declaration.js';

/** The queue tables capabilities follow movements with (each: movement_id PRIMARY KEY, reason, enqueued_at). */
export type QueueTable = 'screening_queue' | 'goods_queue';

export interface QueuedMovement<Fields extends keyof Declaration = keyof Declaration> {
  id: string;
  declaration: Pick<Declaration, Fields>;
  declaredAt: string;
}

/**
 * A durable queue of movements awaiting one capability's follow-up work (ADR 0005). Filling it is one
 * multi-row insert inside the declaration's transaction, so a stored movement can never miss its follow-up;
 * the work itself runs later, in batches, and each batch leaves the queue in the transaction that stores
 * its results, so a crash repeats a batch instead of losing it.
 */
export class MovementQueue<Fields extends keyof Declaration = keyof Declaration> {
  /**
   * @param fields the parts of each declaration the follow-up work reads, when not all of it: the store
   * extracts them, so the rest (parties, transport, guarantee) is neither copied out nor parsed.
   */
  constructor(
    private readonly db: Db,
    private readonly table: QueueTable,
    private readonly fields?: readonly Fields[],
  ) {}

  async enqueue(tx: Db, movementIds: readonly string[], reason: string, at: string): Promise<void> {
    await tx.runMany(
      `INSERT INTO ${this.table} (movement_id, reason, enqueued_at) VALUES (?, ?, ?) ON CONFLICT (movement_id) DO NOTHING`,
      movementIds.map((id) => [id, reason, at]),
    );
  }

  async pending(): Promise<number> {
    const row = await this.db.get<{ count: number }>(`SELECT COUNT(*) AS count FROM ${this.table}`);
    return Number(row?.count ?? 0);
  }

  async has(movementId: string): Promise<boolean> {
    return (await this.db.get(`SELECT 1 AS queued FROM ${this.table} WHERE movement_id = ?`, [movementId])) !== undefined;
  }

  /** Removes finished movements, inside the transaction that stored what was done for them. */
  async complete(tx: Db, movementIds: readonly string[]): Promise<void> {
    if (movementIds.length === 0) return;
    await tx.run(`DELETE FROM ${this.table} WHERE movement_id IN (${movementIds.map(() => '?').join(', ')})`, movementIds);
  }

  /**
   * Hands the queue out in batches, oldest first and in queue order within a batch, until it is empty;
   * `work` must call `complete` for the batch in its own transaction. Returns how many movements were
   * worked on.
   */
  async drain(batchSize: number, work: (batch: QueuedMovement<Fields>[], ids: string[]) => Promise<void>, onProgress: (done: number) => void = () => undefined): Promise<number> {
    let done = 0;
    for (;;) {
      // One query hands out the batch with its declarations, in queue order; an id whose movement is gone
      // still leaves the queue with the batch.
      const rows = await this.db.all<{ movement_id: string; declaration_json: string | null; declared_at: string | null }>(
        `SELECT q.movement_id, ${this.declarationColumn()} AS declaration_json, m.declared_at FROM ${this.table} q LEFT JOIN movements m ON m.id = q.movement_id
         ORDER BY q.enqueued_at, q.movement_id LIMIT ?`,
        [batchSize],
      );
      if (rows.length === 0) return done;
      const batch: QueuedMovement<Fields>[] = [];
      for (const row of rows) {
        if (row.declaration_json !== null && row.declared_at !== null) {
          const declaration = JSON.parse(row.declaration_json) as Record<string, unknown>;
          // An optional part the declaration lacks comes out as null; the declaration's type says absent.
          for (const field of this.fields ?? []) if (declaration[field] === null) delete declaration[field];
          batch.push({ id: row.movement_id, declaration: declaration as Pick<Declaration, Fields>, declaredAt: row.declared_at });
        }
      }
      await work(batch, rows.map((row) => row.movement_id));
      done += rows.length;
      onProgress(done);
    }
  }

  private declarationColumn(): string {
    if (!this.fields) return 'm.declaration_json';
    if (this.db.dialect === 'sqlite') return `json_object(${this.fields.map((field) => `'${field}', m.declaration_json -> '$.${field}'`).join(', ')})`;
    // PostgreSQL keeps the declaration as text: parsed once per row, then picked from.
    return `(SELECT json_build_object(${this.fields.map((field) => `'${field}', parsed.declaration -> '${field}'`).join(', ')})::text
      FROM (SELECT m.declaration_json::json AS declaration) parsed)`;
  }
}
