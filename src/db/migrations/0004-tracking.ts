import type { Migration } from './migration.js';

/**
 * E-seal telemetry and device bindings. Messages are keyed by (device, message id), which is what makes a
 * re-sent message a no-op; `movement_id` is set when the device is bound (at ingestion, or at release for
 * messages that arrived before it), so a movement's track is one index range. `tracking_movements` keeps
 * what the detectors need to know about each watched movement, so the in-memory state can be rebuilt at
 * start without reading declarations.
 */
const messagesTable = (withoutRowid: string): string => `
CREATE TABLE telemetry_messages (
  device_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  time TEXT NOT NULL,
  lat DOUBLE PRECISION NOT NULL,
  lon DOUBLE PRECISION NOT NULL,
  speed_kmh DOUBLE PRECISION NOT NULL,
  seal_state TEXT NOT NULL,
  battery DOUBLE PRECISION NOT NULL,
  event_code TEXT,
  movement_id TEXT,
  received_at TEXT NOT NULL,
  PRIMARY KEY (device_id, message_id)
)${withoutRowid};`;

const rest = `
CREATE INDEX telemetry_movement_time ON telemetry_messages (movement_id, time);
CREATE TABLE tracking_bindings (
  device_id TEXT NOT NULL,
  movement_id TEXT NOT NULL,
  bound_at TEXT NOT NULL,
  unbound_at TEXT,
  PRIMARY KEY (device_id, movement_id)
);
CREATE INDEX tracking_bindings_movement ON tracking_bindings (movement_id);
CREATE TABLE tracking_movements (
  movement_id TEXT PRIMARY KEY,
  context TEXT NOT NULL,
  active INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX tracking_movements_active ON tracking_movements (active);
`;

/**
 * Telemetry is the largest and hottest table: on SQLite it is clustered on its key (WITHOUT ROWID), so a
 * message costs two B-tree inserts (key, movement index) instead of three. A device's own messages are
 * read through the key's device prefix.
 */
export const migration: Migration = {
  id: '0004-tracking',
  up: { sqlite: messagesTable(' WITHOUT ROWID') + rest, postgres: messagesTable('') + rest },
};
