import type { Migration } from './migration.js';

/**
 * The queue asks for open alerts (new or in review) by risk. With the status in the index as two values,
 * neither engine can walk one ordered range, so it sorted every open alert (300 ms at a million rows). One
 * open flag leading the index gives a single range in queue order, and a page stops after 50 rows.
 */
export const migration: Migration = {
  id: '0011-open-alerts-queue',
  up: `
ALTER TABLE alerts ADD COLUMN is_open INTEGER NOT NULL DEFAULT 1;
UPDATE alerts SET is_open = 0 WHERE status = 'closed';
CREATE INDEX alerts_open_queue ON alerts (is_open, risk, severity_rank, raised_at, id);
`,
};
