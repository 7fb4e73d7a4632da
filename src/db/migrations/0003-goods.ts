import type { Migration } from '../migrate.js';

export const migration: Migration = {
  id: '0003-goods',
  up: 'CREATE TABLE IF NOT EXISTS goods_schema_marker (id INTEGER PRIMARY KEY)',
};
