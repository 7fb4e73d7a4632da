import type { Migration } from '../migrate.js';

export const migration: Migration = {
  id: '0004-tracking',
  up: 'CREATE TABLE IF NOT EXISTS tracking_schema_marker (id INTEGER PRIMARY KEY)',
};
