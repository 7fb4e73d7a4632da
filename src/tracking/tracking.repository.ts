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

const insertSql = new Map<number, string>();
const insertStatement = (rows: number): string => {
  let sql = insertSql.get(rows);
  if (!sql) {
    const tuples = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    sql = `INSERT INTO telemetry_messages (${COLUMNS}) VALUES ${tuples} ON CONFLICT (device_id, message_id) DO NOTHING RETURNING device_id, message_id`;
    insertSql.set(rows, sql);
  }
  return sql;
};

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

  /**
   * Inserts the messages that are new and says which they were, as a flag per message in input order.
   * A message already stored is left as it was: re-sending is a no-op, and the first copy is the one
   * that counted. The messages must be distinct by (device, message id).
   */
  async insertMessages(messages: readonly StoredMessage[]): Promise<boolean[]> {
    const inserted: boolean[] = new Array<boolean>(messages.length);
    for (let start = 0; start < messages.length; start += ROWS_PER_STATEMENT) {
      const chunk = messages.slice(start, start + ROWS_PER_STATEMENT);
      const params: SqlValue[] = [];
      for (const m of chunk) {
        params.push(m.deviceId, m.messageId, m.time, m.lat, m.lon, m.speedKmh, m.sealState, m.battery, m.eventCode ?? null, m.movementId, m.receivedAt);
      }
      const rows = await this.db.all<{ device_id: string; message_id: string }>(insertStatement(chunk.length), params);
      // The usual case, nothing re-sent, needs no matching.
      if (rows.length === chunk.length) {
        inserted.fill(true, start, start + chunk.length);
        continue;
      }
      const keys = new Set(rows.map((row) => keyOf(row.device_id, row.message_id)));
      chunk.forEach((m, i) => (inserted[start + i] = keys.has(keyOf(m.deviceId, m.messageId))));
    }
    return inserted;
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
  async attachUnbound(deviceId: string, movementId: string, from: string): Promise<number> {
    return (
      await this.db.run('UPDATE telemetry_messages SET movement_id = ? WHERE device_id = ? AND movement_id IS NULL AND time >= ?', [movementId, deviceId, from])
    ).changes;
  }

  /**
   * Read through the movement's bindings: a message carries a movement id only if its device was bound
   * to that movement, and the key's device prefix is a range, so no index on movement_id is kept.
   */
  async messagesOf(movementId: string): Promise<StoredMessage[]> {
    const rows = await this.db.all<MessageRow>(
      `SELECT ${COLUMNS} FROM telemetry_messages WHERE device_id IN (SELECT device_id FROM tracking_bindings WHERE movement_id = ?) AND movement_id = ? ORDER BY time, device_id, message_id`,
      [movementId, movementId],
    );
    return rows.map(toMessage);
  }

  async messagesOfDevice(deviceId: string, limit: number): Promise<StoredMessage[]> {
    const rows = await this.db.all<MessageRow>(`SELECT ${COLUMNS} FROM telemetry_messages WHERE device_id = ? ORDER BY time DESC LIMIT ?`, [deviceId, limit]);
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
