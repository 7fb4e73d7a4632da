import type { Migration } from './migration.js';

/** Goods checks follow a stored declaration through a durable queue, like party screening (ADR 0005). */
export const migration: Migration = {
  id: '0010-goods-queue',
  up: `
CREATE TABLE goods_queue (
  movement_id TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  enqueued_at TEXT NOT NULL
);
CREATE INDEX goods_queue_order ON goods_queue (enqueued_at, movement_id);
`,
};
