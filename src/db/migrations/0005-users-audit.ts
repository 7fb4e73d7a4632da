import type { Migration } from '../migrate.js';

export const migration: Migration = {
  id: '0005-users-audit',
  up: 'CREATE TABLE IF NOT EXISTS users_audit_schema_marker (id INTEGER PRIMARY KEY)',
};
