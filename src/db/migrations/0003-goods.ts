import type { Migration } from './migration.js';

/**
 * Control lists as whole versions (each import is a new version holding every entry, so any two can be
 * compared and every hit names the version it came from), the result of checking each goods item, and
 * the unit values of stored items per HS-6 that value anomalies are measured against.
 */
export const migration: Migration = {
  id: '0003-goods',
  up: `
CREATE TABLE control_list_versions (
  list_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  entries TEXT NOT NULL,
  entry_count INTEGER NOT NULL,
  imported_by TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  PRIMARY KEY (list_id, version)
);

CREATE TABLE goods_checks (
  movement_id TEXT NOT NULL,
  item_index INTEGER NOT NULL,
  hs_code TEXT NOT NULL,
  result TEXT NOT NULL,
  checked_at TEXT NOT NULL,
  PRIMARY KEY (movement_id, item_index)
);

CREATE TABLE goods_unit_values (
  hs6 TEXT NOT NULL,
  movement_id TEXT NOT NULL,
  item_index INTEGER NOT NULL,
  unit_value REAL NOT NULL,
  currency TEXT NOT NULL,
  PRIMARY KEY (hs6, movement_id, item_index)
);
`,
};
