import type { Migration } from '../migrate.js';

export const migration: Migration = {
  id: '0002-screening',
  up: 'CREATE TABLE IF NOT EXISTS screening_schema_marker (id INTEGER PRIMARY KEY)',
};
