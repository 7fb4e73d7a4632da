import type { Migration } from './migration.js';

/**
 * Risk per movement under versioned rules, the queue columns alerts are filtered and sorted on (kept on
 * the alert row so a page of the queue is one index walk), and cases with their comments.
 */
export const migration: Migration = {
  id: '0007-risk-cases',
  up: `
CREATE TABLE risk_rules (
  version INTEGER PRIMARY KEY,
  rules TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE movement_risk (
  movement_id TEXT PRIMARY KEY,
  score REAL NOT NULL,
  outcome TEXT NOT NULL,
  rules_version INTEGER NOT NULL,
  breakdown TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX movement_risk_score ON movement_risk (score);

ALTER TABLE alerts ADD COLUMN risk REAL NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN severity_rank INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN offices TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN corridor TEXT;
ALTER TABLE alerts ADD COLUMN assignee TEXT;
CREATE INDEX alerts_queue ON alerts (status, risk, severity_rank, raised_at, id);

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  movement_id TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  alert_ids TEXT NOT NULL,
  assignee TEXT,
  due_at TEXT NOT NULL,
  outcome TEXT,
  reason TEXT,
  decided_by TEXT,
  decided_at TEXT,
  version INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX cases_movement ON cases (movement_id);
CREATE INDEX cases_status_due ON cases (status, due_at);

CREATE TABLE case_comments (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases (id),
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX case_comments_case ON case_comments (case_id, created_at);
`,
};
