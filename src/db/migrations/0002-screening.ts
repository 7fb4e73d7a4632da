import type { Migration } from './migration.js';

/**
 * Sanctions lists as versioned snapshots: every import of a source is a new version holding the full
 * entry set (so any two versions can be compared), the changes against the version before it, and one
 * active version per source. Suppressions remember the entry's content hash so they lapse when it changes.
 */
export const migration: Migration = {
  id: '0002-screening',
  up: `
CREATE TABLE screening_list_versions (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  version INTEGER NOT NULL,
  format TEXT NOT NULL,
  files TEXT NOT NULL,
  published_at TEXT,
  imported_at TEXT NOT NULL,
  entity_count INTEGER NOT NULL,
  added INTEGER NOT NULL,
  removed INTEGER NOT NULL,
  changed INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  active INTEGER NOT NULL,
  UNIQUE (source, version)
);
CREATE INDEX screening_list_versions_active ON screening_list_versions (active, source);

CREATE TABLE screening_entities (
  version_id TEXT NOT NULL REFERENCES screening_list_versions (id),
  entity_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (version_id, entity_id)
);

CREATE TABLE screening_list_changes (
  version_id TEXT NOT NULL REFERENCES screening_list_versions (id),
  entity_id TEXT NOT NULL,
  change TEXT NOT NULL,
  PRIMARY KEY (version_id, entity_id)
);

CREATE TABLE screening_suppressions (
  id TEXT PRIMARY KEY,
  party_key TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (party_key, entity_id, content_hash)
);
`,
};
