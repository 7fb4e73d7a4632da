import type { Migration } from './migration.js';

/**
 * Files attached to cases (inspection photos, scanned documents, lab reports). The content is kept in the
 * store, base64 in a text column, so an attachment commits with its audit record on either engine and a
 * backup of the store is a backup of the evidence. Its SHA-256 is recorded for the audit trail.
 */
export const migration: Migration = {
  id: '0009-case-attachments',
  up: `
CREATE TABLE case_attachments (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases (id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments (case_id, uploaded_at);
`,
};
