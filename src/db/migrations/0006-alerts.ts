import type { Migration } from './migration.js';

/**
 * One alert table for every source. `dedup_key` is chosen by the rule that raises the alert, so the same
 * finding (the same hit, the same episode of a detector) updates one row instead of adding rows.
 */
export const migration: Migration = {
  id: '0006-alerts',
  up: `
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  dedup_key TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  source TEXT NOT NULL,
  rule TEXT NOT NULL,
  rule_version TEXT NOT NULL,
  severity TEXT NOT NULL,
  score REAL NOT NULL,
  title TEXT NOT NULL,
  movement_id TEXT,
  party_key TEXT,
  item_index INTEGER,
  device_id TEXT,
  evidence TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  observed_at TEXT NOT NULL,
  raised_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  occurrences INTEGER NOT NULL
);
CREATE INDEX alerts_movement ON alerts (movement_id, status);
CREATE INDEX alerts_status_raised ON alerts (status, raised_at);
`,
};
