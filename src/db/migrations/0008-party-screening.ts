import type { Migration } from './migration.js';

/**
 * Screening of declared parties: a durable queue written in the declaration's transaction (drained in the
 * background, refilled after a list update) and each party's latest result kept with its movement.
 */
export const migration: Migration = {
  id: '0008-party-screening',
  up: `
CREATE TABLE screening_queue (
  movement_id TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  enqueued_at TEXT NOT NULL
);
CREATE INDEX screening_queue_order ON screening_queue (enqueued_at, movement_id);

CREATE TABLE party_screenings (
  movement_id TEXT NOT NULL,
  role TEXT NOT NULL,
  party_key TEXT,
  party TEXT,
  skipped TEXT,
  matches TEXT NOT NULL,
  hit_count INTEGER NOT NULL,
  best_score REAL NOT NULL,
  screened_at TEXT NOT NULL,
  PRIMARY KEY (movement_id, role)
);
CREATE INDEX party_screenings_party ON party_screenings (party_key);
`,
};
