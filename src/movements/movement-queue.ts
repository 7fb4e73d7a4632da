import type { Db } from '../db/db.js';
import type { Declaration } from './declaration.js';

/** The queue tables capabilities follow movements with (each: movement_id PRIMARY KEY, reason, enqueued_at). */
export type QueueTable = 'screening_queue' | 'goods_queue';

export interface QueuedMovement {
  id: string;
  declaration: Declaration;
  declaredAt: string;
}

/**
 * A durable queue of movements awaiting one capability's follow-up work (ADR 0005). Filling it is one
 * multi-row insert inside the declaration's transaction, so a stored movement can never miss its follow-up;
 * the work itself runs later, in batches, and each batch leaves the queue in the transaction that stores
 * its results, so a crash repeats a batch instead of losing it.
 */
export class MovementQueue {
  constructor(
    private readonly db: Db,
    private readonly table: QueueTable,
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
   * Hands the queue out in batches, oldest first, until it is empty; `work` must call `complete` for the
   * batch in its own transaction. Returns how many movements were worked on.
   */
  async drain(batchSize: number, work: (batch: QueuedMovement[], ids: string[]) => Promise<void>, onProgress: (done: number) => void = () => undefined): Promise<number> {
    let done = 0;
    for (;;) {
      const queued = await this.db.all<{ movement_id: string }>(`SELECT movement_id FROM ${this.table} ORDER BY enqueued_at, movement_id LIMIT ?`, [batchSize]);
      if (queued.length === 0) return done;
      const ids = queued.map((row) => row.movement_id);
      const rows = await this.db.all<{ id: string; declaration_json: string; declared_at: string }>(
        `SELECT id, declaration_json, declared_at FROM movements WHERE id IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      await work(
        rows.map((row) => ({ id: row.id, declaration: JSON.parse(row.declaration_json) as Declaration, declaredAt: row.declared_at })),
        ids,
      );
      done += ids.length;
      onProgress(done);
    }
  }
}
