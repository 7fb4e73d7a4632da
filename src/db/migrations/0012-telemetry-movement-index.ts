import type { Migration } from './migration.js';

/**
 * Every telemetry message paid a second B-tree insert for the `(movement_id, time)` index, the largest
 * cost of ingestion after the commit itself (raw inserts 20–50 % faster without it). A movement's track
 * is read through its bound devices instead: every message carrying a movement id came from a device
 * bound to that movement, and the key's device prefix is already a range of that device's messages.
 */
export const migration: Migration = {
  id: '0012-telemetry-movement-index',
  up: 'DROP INDEX telemetry_movement_time;',
};
