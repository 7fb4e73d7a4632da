import type { Migration } from './migration.js';

/**
 * An alert may gather several findings of one rule: a goods alert names every item and list entry of a
 * movement it found (ADR 0010). The movement's risk counts each of them, as it did when each was an alert.
 */
export const migration: Migration = {
  id: '0014-alert-finding-count',
  up: `
ALTER TABLE alerts ADD COLUMN finding_count INTEGER NOT NULL DEFAULT 1;
`,
};
