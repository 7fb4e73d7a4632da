import type { Db, SqlValue } from '../db/db.js';
import type { MovementContext, SealState, TelemetryMessage } from './movement-context.js';

export interface StoredMessage extends TelemetryMessage {
  movementId: string | null;
  receivedAt: string;
}

export interface Binding {
  deviceId: string;
  movementId: string;
  boundAt: string;
  unboundAt: string | null;
}

interface MessageRow {
  device_id: string;
  message_id: string;
  time: string;
  lat: number;
  lon: number;
  speed_kmh: number;
  seal_state: string;
  battery: number;
  event_code: string | null;
  movement_id: string | null;
  received_at: string;
}

const COLUMNS = 'device_id, message_id, time, lat, lon, speed_kmh, seal_state, battery, event_code, movement_id, received_at';
/** Rows per multi-row INSERT: 5,500 parameters, below SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 500;

/** Which of the two recent tables (migration 0013) a message goes to. */
export type RecentSlot = 0 | 1;
const recentTable = (slot: RecentSlot): string => `telemetry_recent_${slot}`;
/** Every table a message can be in: folded, or in either recent table (one may be half folded). */
const MESSAGE_TABLES = ['telemetry_messages', recentTable(0), recentTable(1)] as const;

/** A position in key order, (device, message id); folding goes from one to the next. */
export interface MessageKeyPosition {
  deviceId: string;
  messageId: string;
}
/** Before every key: device ids are never empty. */
export const FIRST_KEY: MessageKeyPosition = { deviceId: '', messageId: '' };

const memo = <T>(build: (n: number) => T): ((n: number) => T) => {
  const cache = new Map<number, T>();
  return (n) => {
    let value = cache.get(n);
    if (value === undefined) cache.set(n, (value = build(n)));
    return value;
  };
};

const insertStatements = [0, 1].map((slot) =>
  memo((rows) => {
    const tuples = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    return `INSERT INTO ${recentTable(slot as RecentSlot)} (${COLUMNS}) VALUES ${tuples} ON CONFLICT (device_id, message_id) DO NOTHING RETURNING device_id, message_id`;
  }),
);

/** The keys among a list that are already in the folded table or in the given recent table. */
const storedKeysStatements = [0, 1].map((slot) =>
  memo((rows) => {
    // CAST: PostgreSQL cannot type a bare parameter in VALUES; SQLite takes the same form.
    const pairs = Array.from({ length: rows }, () => '(CAST(? AS TEXT), CAST(? AS TEXT))').join(', ');
    const inTable = (table: string) => `EXISTS (SELECT 1 FROM ${table} t WHERE t.device_id = v.column1 AND t.message_id = v.column2)`;
    return `SELECT v.column1 AS device_id, v.column2 AS message_id FROM (VALUES ${pairs}) AS v WHERE ${inTable('telemetry_messages')} OR ${inTable(recentTable(slot as RecentSlot))}`;
  }),
);

const toMessage = (row: MessageRow): StoredMessage => ({
  deviceId: row.device_id,
  messageId: row.message_id,
  time: row.time,
  lat: Number(row.lat),
  lon: Number(row.lon),
  speedKmh: Number(row.speed_kmh),
  sealState: row.seal_state as SealState,
  battery: Number(row.battery),
  ...(row.event_code ? { eventCode: row.event_code } : {}),
  movementId: row.movement_id,
  receivedAt: row.received_at,
});

const keyOf = (deviceId: string, messageId: string): string => `${deviceId}\u0000${messageId}`;

export class TrackingRepository {
  constructor(private readonly db: Db) {}

  /** The recent table receiving messages now. On PostgreSQL the row stays locked so it cannot turn over under this transaction. */
  async receivingSlot(): Promise<RecentSlot> {
    const lock = this.db.dialect === 'postgres' ? ' FOR SHARE' : '';
    const row = await this.db.get<{ receiving: number }>(`SELECT receiving FROM telemetry_recent_slot WHERE id = 1${lock}`);
    return Number(row!.receiving) as RecentSlot;
  }

  /**
   * Inserts the messages that are new and says which they were, as a flag per message in input order.
   * A message already stored is left as it was: re-sending is a no-op, and the first copy is the one
   * that counted. The messages must be distinct by (device, message id). Only those for which
   * `mayBeStored` holds are looked up among the folded ones; the caller knows the rest are new.
   */
  async insertMessages(messages: readonly StoredMessage[], mayBeStored: (message: StoredMessage) => boolean = () => true): Promise<boolean[]> {
    const inserted: boolean[] = new Array<boolean>(messages.length).fill(false);
    const receiving = await this.receivingSlot();
    const other = (1 - receiving) as RecentSlot;
    for (let start = 0; start < messages.length; start += ROWS_PER_STATEMENT) {
      let chunk = messages.slice(start, start + ROWS_PER_STATEMENT);
      const offset = new Map(chunk.map((m, i) => [keyOf(m.deviceId, m.messageId), start + i]));
      // The receiving table's unique key catches a copy within it; a copy already folded, or waiting in
      // the table being folded, is looked up.
      const doubtful = chunk.filter(mayBeStored);
      if (doubtful.length > 0) {
        const stored = await this.db.all<{ device_id: string; message_id: string }>(
          storedKeysStatements[other]!(doubtful.length),
          doubtful.flatMap((m) => [m.deviceId, m.messageId]),
        );
        if (stored.length > 0) {
          const known = new Set(stored.map((row) => keyOf(row.device_id, row.message_id)));
          chunk = chunk.filter((m) => !known.has(keyOf(m.deviceId, m.messageId)));
          if (chunk.length === 0) continue;
        }
      }
      const params: SqlValue[] = [];
      for (const m of chunk) {
        params.push(m.deviceId, m.messageId, m.time, m.lat, m.lon, m.speedKmh, m.sealState, m.battery, m.eventCode ?? null, m.movementId, m.receivedAt);
      }
      const rows = await this.db.all<{ device_id: string; message_id: string }>(insertStatements[receiving]!(chunk.length), params);
      for (const row of rows) inserted[offset.get(keyOf(row.device_id, row.message_id))!] = true;
    }
    return inserted;
  }

  /** The time of each device's latest stored message; a device with none is absent. */
  async latestTimes(deviceIds: readonly string[]): Promise<Map<string, string>> {
    const latest = new Map<string, string>();
    for (let start = 0; start < deviceIds.length; start += ROWS_PER_STATEMENT) {
      const chunk = deviceIds.slice(start, start + ROWS_PER_STATEMENT);
      const list = chunk.map(() => '?').join(', ');
      const rows = await this.db.all<{ device_id: string; latest: string }>(
        `SELECT device_id, max(time) AS latest FROM (${MESSAGE_TABLES.map((table) => `SELECT device_id, time FROM ${table} WHERE device_id IN (${list})`).join(' UNION ALL ')}) AS stored GROUP BY device_id`,
        MESSAGE_TABLES.flatMap(() => chunk),
      );
      for (const row of rows) latest.set(row.device_id, row.latest);
    }
    return latest;
  }

  async recentCount(slot: RecentSlot): Promise<number> {
    const row = await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${recentTable(slot)}`);
    return Number(row!.n);
  }

  /**
   * Which recent table to fold next. When the other one is empty, the receiving one stops receiving and
   * is the one to fold (`turned`); when the other still holds messages (a fold cut short by a restart or
   * an error), that one is folded first and nothing turns.
   */
  async turnOver(): Promise<{ slot: RecentSlot; turned: boolean }> {
    const lock = this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const row = await this.db.get<{ receiving: number }>(`SELECT receiving FROM telemetry_recent_slot WHERE id = 1${lock}`);
    const receiving = Number(row!.receiving) as RecentSlot;
    const other = (1 - receiving) as RecentSlot;
    if (await this.db.get(`SELECT 1 AS present FROM ${recentTable(other)} LIMIT 1`)) return { slot: other, turned: false };
    await this.db.run('UPDATE telemetry_recent_slot SET receiving = ? WHERE id = 1', [other]);
    return { slot: receiving, turned: true };
  }

  /**
   * Copies the next `limit` messages of a recent table after `after`, in key order, into the folded table,
   * and says where it stopped, or null when nothing was left. A message already folded (a fold that was
   * interrupted) is skipped, so folding again is harmless.
   */
  async foldRecent(slot: RecentSlot, after: MessageKeyPosition, limit: number): Promise<MessageKeyPosition | null> {
    const table = recentTable(slot);
    const last = await this.db.get<{ device_id: string; message_id: string }>(
      `SELECT device_id, message_id FROM ${table} WHERE (device_id, message_id) > (?, ?) ORDER BY device_id, message_id LIMIT 1 OFFSET ?`,
      [after.deviceId, after.messageId, limit - 1],
    );
    const upTo = last ? ' AND (device_id, message_id) <= (?, ?)' : '';
    await this.db.run(
      `INSERT INTO telemetry_messages (${COLUMNS}) SELECT ${COLUMNS} FROM ${table} WHERE (device_id, message_id) > (?, ?)${upTo} ORDER BY device_id, message_id ON CONFLICT (device_id, message_id) DO NOTHING`,
      last ? [after.deviceId, after.messageId, last.device_id, last.message_id] : [after.deviceId, after.messageId],
    );
    return last ? { deviceId: last.device_id, messageId: last.message_id } : null;
  }

  /** Empties a folded recent table: all its pages at once, nothing per row. */
  async clearRecent(slot: RecentSlot): Promise<void> {
    await this.db.run(this.db.dialect === 'postgres' ? `TRUNCATE ${recentTable(slot)}` : `DELETE FROM ${recentTable(slot)}`);
  }

  async bind(deviceId: string, movementId: string, at: string): Promise<void> {
    await this.db.run(
      'INSERT INTO tracking_bindings (device_id, movement_id, bound_at, unbound_at) VALUES (?, ?, ?, NULL) ON CONFLICT (device_id, movement_id) DO UPDATE SET unbound_at = NULL',
      [deviceId, movementId, at],
    );
  }

  async unbind(movementId: string, at: string): Promise<void> {
    await this.db.run('UPDATE tracking_bindings SET unbound_at = ? WHERE movement_id = ? AND unbound_at IS NULL', [at, movementId]);
  }

  async activeBindings(): Promise<Binding[]> {
    const rows = await this.db.all<{ device_id: string; movement_id: string; bound_at: string; unbound_at: string | null }>(
      'SELECT device_id, movement_id, bound_at, unbound_at FROM tracking_bindings WHERE unbound_at IS NULL',
    );
    return rows.map((row) => ({ deviceId: row.device_id, movementId: row.movement_id, boundAt: row.bound_at, unboundAt: row.unbound_at }));
  }

  async bindingsOf(movementId: string): Promise<Binding[]> {
    const rows = await this.db.all<{ device_id: string; movement_id: string; bound_at: string; unbound_at: string | null }>(
      'SELECT device_id, movement_id, bound_at, unbound_at FROM tracking_bindings WHERE movement_id = ? ORDER BY device_id',
      [movementId],
    );
    return rows.map((row) => ({ deviceId: row.device_id, movementId: row.movement_id, boundAt: row.bound_at, unboundAt: row.unbound_at }));
  }

  /** Gives the device's not-yet-bound messages from `from` on to the movement (sent before the release reached us). */
  async attachUnbound(deviceId: string, movementId: string, from: string): Promise<void> {
    for (const table of MESSAGE_TABLES) {
      await this.db.run(`UPDATE ${table} SET movement_id = ? WHERE device_id = ? AND movement_id IS NULL AND time >= ?`, [movementId, deviceId, from]);
    }
  }

  /**
   * Read through the movement's bindings: a message carries a movement id only if its device was bound
   * to that movement, and the key's device prefix is a range, so no index on movement_id is kept. A
   * message being folded is in two tables at once; UNION keeps one copy.
   */
  async messagesOf(movementId: string): Promise<StoredMessage[]> {
    const rows = await this.db.all<MessageRow>(
      `${MESSAGE_TABLES.map((table) => `SELECT ${COLUMNS} FROM ${table} WHERE device_id IN (SELECT device_id FROM tracking_bindings WHERE movement_id = ?) AND movement_id = ?`).join(' UNION ')} ORDER BY time, device_id, message_id`,
      MESSAGE_TABLES.flatMap(() => [movementId, movementId]),
    );
    return rows.map(toMessage);
  }

  async messagesOfDevice(deviceId: string, limit: number): Promise<StoredMessage[]> {
    const rows = await this.db.all<MessageRow>(
      `${MESSAGE_TABLES.map((table) => `SELECT ${COLUMNS} FROM ${table} WHERE device_id = ?`).join(' UNION ')} ORDER BY time DESC LIMIT ?`,
      [...MESSAGE_TABLES.map(() => deviceId), limit],
    );
    return rows.map(toMessage).reverse();
  }

  async saveContext(context: MovementContext, active: boolean, at: string): Promise<void> {
    await this.db.run(
      'INSERT INTO tracking_movements (movement_id, context, active, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (movement_id) DO UPDATE SET context = excluded.context, active = excluded.active, updated_at = excluded.updated_at',
      [context.movementId, JSON.stringify(context), active ? 1 : 0, at],
    );
  }

  async context(movementId: string): Promise<{ context: MovementContext; active: boolean } | undefined> {
    const row = await this.db.get<{ context: string; active: number }>('SELECT context, active FROM tracking_movements WHERE movement_id = ?', [movementId]);
    return row ? { context: JSON.parse(row.context) as MovementContext, active: Number(row.active) === 1 } : undefined;
  }

  async activeContexts(): Promise<MovementContext[]> {
    const rows = await this.db.all<{ context: string }>('SELECT context FROM tracking_movements WHERE active = 1');
    return rows.map((row) => JSON.parse(row.context) as MovementContext);
  }
}

export { keyOf as messageKey };
