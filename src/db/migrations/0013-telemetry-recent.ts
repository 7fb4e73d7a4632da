import type { Migration } from './migration.js';

/**
 * Telemetry arrives in time order from every device at once, but `telemetry_messages` is clustered by
 * device: a commit of a few thousand messages rewrote a page per device, and with a million messages
 * stored ingestion fell to half its rate (docs/adr/0009). New messages now land in a small recent table
 * whose rows are appended in arrival order; once it holds enough, it is folded into `telemetry_messages`
 * in key order, many messages per device page. Two recent tables take turns: one receives while the
 * other is folded and then emptied at once, which costs nothing per row. `telemetry_recent_slot` names
 * the one receiving.
 */
const recentTable = (slot: number): string => `
CREATE TABLE telemetry_recent_${slot} (
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
  received_at TEXT NOT NULL
);
CREATE UNIQUE INDEX telemetry_recent_${slot}_key ON telemetry_recent_${slot} (device_id, message_id);`;

export const migration: Migration = {
  id: '0013-telemetry-recent',
  up: `${recentTable(0)}${recentTable(1)}
CREATE TABLE telemetry_recent_slot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  receiving INTEGER NOT NULL CHECK (receiving IN (0, 1))
);
INSERT INTO telemetry_recent_slot (id, receiving) VALUES (1, 0);
`,
};
