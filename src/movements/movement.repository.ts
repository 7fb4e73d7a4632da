import type { Db, SqlValue } from '../db/db.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/pagination.js';
import type { Declaration } from './declaration.js';
import {
  effectiveState,
  isPastLimit,
  type Movement,
  type MovementEvent,
  type MovementState,
} from './movement.js';

interface MovementRow {
  id: string;
  lrn: string;
  declarant_key: string;
  mrn: string | null;
  state: MovementState;
  state_before_hold: MovementState | null;
  limit_date: string | null;
  limit_at: string | null;
  declared_at: string;
  updated_at: string;
  event_count: number;
  declaration_json: string;
  original_format: 'json' | 'ie015';
}

interface EventRow {
  id: string;
  movement_id: string;
  seq: number;
  type: MovementEvent['type'];
  time: string;
  office: string | null;
  actor: string;
  details_json: string | null;
  recorded_at: string;
  outcome: MovementEvent['outcome'];
  refusal_reason: string | null;
  note: string | null;
  state_before: MovementState;
  state_after: MovementState;
}

const MOVEMENT_COLUMNS =
  'm.id, m.lrn, m.declarant_key, m.mrn, m.state, m.state_before_hold, m.limit_date, m.limit_at, m.declared_at, m.updated_at, m.event_count, m.declaration_json, m.original_format';

const EVENT_COLUMNS =
  'id, movement_id, seq, type, time, office, actor, details_json, recorded_at, outcome, refusal_reason, note, state_before, state_after';

const toMovement = (row: MovementRow, now: Date): Movement => ({
  id: row.id,
  lrn: row.lrn,
  mrn: row.mrn,
  declarantKey: row.declarant_key,
  state: effectiveState(row.state, row.limit_at, now),
  recordedState: row.state,
  stateBeforeHold: row.state_before_hold,
  overdue: row.state === 'overdue' || isPastLimit(row.state, row.limit_at, now),
  declaredAt: row.declared_at,
  updatedAt: row.updated_at,
  limitDate: row.limit_date,
  eventCount: Number(row.event_count),
  declaration: JSON.parse(row.declaration_json) as Declaration,
  originalFormat: row.original_format,
});

const toEvent = (row: EventRow): MovementEvent => ({
  id: row.id,
  movementId: row.movement_id,
  seq: Number(row.seq),
  type: row.type,
  time: row.time,
  office: row.office,
  actor: row.actor,
  details: row.details_json === null ? null : (JSON.parse(row.details_json) as Record<string, unknown>),
  recordedAt: row.recorded_at,
  outcome: row.outcome,
  refusalReason: row.refusal_reason,
  note: row.note,
  stateBefore: row.state_before,
  stateAfter: row.state_after,
});

export interface NewMovement {
  id: string;
  lrn: string;
  declarantKey: string;
  declaration: Declaration;
  limitDate: string;
  limitAt: string;
  declaredAt: string;
  originalFormat: 'json' | 'ie015';
  originalMessage: string;
  searchKeys: string[];
}

export interface MovementFilters {
  states?: MovementState[];
  overdue?: boolean;
  declaredFrom?: string;
  declaredTo?: string;
  /** Keys of movement_search (offices, countries, HS prefixes, party words) that must all match. */
  searchKeys?: string[];
  /** Keys of which at least one must match: an officer's offices. */
  anyOfKeys?: string[];
  lrn?: string;
}

export const declarationKey = (declarantKey: string, lrn: string): string => `${declarantKey}\u0000${lrn}`;

const eventParams = (event: MovementEvent): SqlValue[] => [
  event.id,
  event.movementId,
  event.seq,
  event.type,
  event.time,
  event.office,
  event.actor,
  event.details === null ? null : JSON.stringify(event.details),
  event.recordedAt,
  event.outcome,
  event.refusalReason,
  event.note,
  event.stateBefore,
  event.stateAfter,
];

const EN_ROUTE_SQL = "('released', 'passed_transit', 'incident')";

export class MovementRepository {
  constructor(private readonly db: Db) {}

  /** Stores movements with their search rows and submitted events: a few multi-row statements per batch. */
  async insertMany(movements: readonly { movement: NewMovement; submitted: MovementEvent }[]): Promise<void> {
    if (movements.length === 0) return;
    await this.db.runMany(
      `INSERT INTO movements (id, lrn, declarant_key, mrn, state, state_before_hold, declaration_type,
         office_of_departure, office_of_destination, limit_date, limit_at, declared_at, updated_at, event_count,
         declaration_json, original_format, original_message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      movements.map(({ movement }) => [
        movement.id,
        movement.lrn,
        movement.declarantKey,
        null,
        'submitted',
        null,
        movement.declaration.declarationType,
        movement.declaration.officeOfDeparture,
        movement.declaration.officeOfDestination,
        movement.limitDate,
        movement.limitAt,
        movement.declaredAt,
        movement.declaredAt,
        1,
        JSON.stringify(movement.declaration),
        movement.originalFormat,
        movement.originalMessage,
      ]),
    );
    await this.db.runMany(
      'INSERT INTO movement_search (key, declared_at, movement_id) VALUES (?, ?, ?)',
      movements.flatMap(({ movement }) => movement.searchKeys.map((key) => [key, movement.declaredAt, movement.id])),
    );
    await this.db.runMany(
      `INSERT INTO movement_events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      movements.map(({ submitted }) => eventParams(submitted)),
    );
  }

  /** Which of these (declarant, LRN) pairs are already declared: one query for a whole batch. */
  async existingDeclarations(keys: readonly { declarantKey: string; lrn: string }[]): Promise<Set<string>> {
    const rows = await this.allIn<{ declarant_key: string; lrn: string }>(
      'SELECT declarant_key, lrn FROM movements WHERE lrn IN',
      [...new Set(keys.map((key) => key.lrn))],
    );
    return new Set(rows.map((row) => declarationKey(row.declarant_key, row.lrn)));
  }

  async findById(id: string, now: Date): Promise<Movement | undefined> {
    const row = await this.db.get<MovementRow>(`SELECT ${MOVEMENT_COLUMNS} FROM movements m WHERE m.id = ?`, [id]);
    return row && toMovement(row, now);
  }

  async findByMrn(mrn: string, now: Date): Promise<Movement | undefined> {
    const row = await this.db.get<MovementRow>(`SELECT ${MOVEMENT_COLUMNS} FROM movements m WHERE m.mrn = ?`, [mrn]);
    return row && toMovement(row, now);
  }

  async originalMessage(id: string): Promise<{ format: 'json' | 'ie015'; message: string } | undefined> {
    const row = await this.db.get<{ original_format: 'json' | 'ie015'; original_message: string }>(
      'SELECT original_format, original_message FROM movements WHERE id = ?',
      [id],
    );
    return row && { format: row.original_format, message: row.original_message };
  }

  /** The recorded events among these ids, by id: one query per 500 ids. */
  async findEvents(ids: readonly string[]): Promise<Map<string, MovementEvent>> {
    const found = new Map<string, MovementEvent>();
    for (const row of await this.allIn<EventRow>(`SELECT ${EVENT_COLUMNS} FROM movement_events WHERE id IN`, [...new Set(ids)])) {
      found.set(row.id, toEvent(row));
    }
    return found;
  }

  /** Movements named by any of these ids, MRNs or LRNs, each once. */
  async findMany(keys: { ids: readonly string[]; mrns: readonly string[]; lrns: readonly string[] }, now: Date): Promise<Movement[]> {
    const rows = new Map<string, MovementRow>();
    for (const [column, values] of [['id', keys.ids], ['mrn', keys.mrns], ['lrn', keys.lrns]] as const) {
      for (const row of await this.allIn<MovementRow>(`SELECT ${MOVEMENT_COLUMNS} FROM movements m WHERE m.${column} IN`, [...new Set(values)])) {
        rows.set(row.id, row);
      }
    }
    return [...rows.values()].map((row) => toMovement(row, now));
  }

  private async allIn<T>(sqlEndingInIn: string, values: readonly string[]): Promise<T[]> {
    const rows: T[] = [];
    for (let start = 0; start < values.length; start += 500) {
      const chunk = values.slice(start, start + 500);
      rows.push(...(await this.db.all<T>(`${sqlEndingInIn} (${chunk.map(() => '?').join(', ')})`, chunk)));
    }
    return rows;
  }

  async events(movementId: string): Promise<MovementEvent[]> {
    const rows = await this.db.all<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM movement_events WHERE movement_id = ? ORDER BY seq`,
      [movementId],
    );
    return rows.map(toEvent);
  }

  async insertEvents(events: readonly MovementEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.runMany(`INSERT INTO movement_events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, events.map(eventParams));
  }

  /**
   * Moves the projection forward to `eventCount` events; `expectedEventCount`, the count it was read at,
   * guards against two writers applying events to one movement at once.
   */
  async updateStatus(
    id: string,
    change: { state: MovementState; stateBeforeHold: MovementState | null; mrn: string | null; updatedAt: string; eventCount: number; expectedEventCount: number },
  ): Promise<boolean> {
    const result = await this.db.run(
      `UPDATE movements SET state = ?, state_before_hold = ?, mrn = COALESCE(?, mrn), updated_at = ?, event_count = ?
       WHERE id = ? AND event_count = ?`,
      [change.state, change.stateBeforeHold, change.mrn, change.updatedAt, change.eventCount, id, change.expectedEventCount],
    );
    return result.changes === 1;
  }

  async nextCounter(name: string): Promise<number> {
    const row = await this.db.get<{ value: number }>(
      `INSERT INTO counters (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`,
      [name],
    );
    return Number(row?.value);
  }

  /** Movements still en route past their time limit that the sweep has not marked yet, oldest limit first. */
  async pastLimit(now: Date, limit: number): Promise<Movement[]> {
    const rows = await this.db.all<MovementRow>(
      `SELECT ${MOVEMENT_COLUMNS} FROM movements m
       WHERE m.limit_at < ? AND m.state IN ${EN_ROUTE_SQL}
         AND NOT EXISTS (SELECT 1 FROM movement_events e WHERE e.id = 'overdue-' || m.id)
       ORDER BY m.limit_at LIMIT ?`,
      [now.toISOString(), limit],
    );
    return rows.map((row) => toMovement(row, now));
  }

  /** How many rows a driver would scan, counted no further than `cap`: enough to pick the smaller one. */
  private async boundedCount(sql: string, params: SqlValue[], cap = 20_000): Promise<number> {
    const row = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (${sql} LIMIT ${cap}) bounded`, params);
    return Number(row?.n ?? 0);
  }

  /**
   * Newest first. The smallest of the candidate drivers (a search key, or a single state) is scanned in
   * listing order and the other filters are primary-key probes, so a page costs about one index range
   * whatever the store's size.
   */
  async list(filters: MovementFilters, page: { cursor?: string; limit: number }, now: Date): Promise<Page<Movement>> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const nowIso = now.toISOString();
    const keys = filters.searchKeys ?? [];
    const singleState = filters.states?.length === 1 && filters.states[0] !== 'overdue' ? filters.states[0] : undefined;
    const sizes = await Promise.all(
      keys.length + (singleState ? 1 : 0) > 1
        ? [
            ...keys.map((key) => this.boundedCount('SELECT 1 FROM movement_search WHERE key = ?', [key])),
            ...(singleState ? [this.boundedCount('SELECT 1 FROM movements WHERE state = ?', [singleState])] : []),
          ]
        : [],
    );
    const smallest = sizes.length > 0 ? sizes.indexOf(Math.min(...sizes)) : 0;
    const driving = keys.length > 0 && smallest < keys.length ? keys[smallest] : undefined;
    const probes = keys.filter((key) => key !== driving);
    const order = driving ? { at: 's.declared_at', id: 's.movement_id' } : { at: 'm.declared_at', id: 'm.id' };
    if (driving) {
      where.push('s.key = ?');
      params.push(driving);
    }
    for (const key of probes) {
      where.push(`EXISTS (SELECT 1 FROM movement_search p WHERE p.key = ? AND p.declared_at = ${order.at} AND p.movement_id = ${order.id})`);
      params.push(key);
    }
    if (filters.anyOfKeys) {
      where.push(
        filters.anyOfKeys.length === 0
          ? '1 = 0'
          : `EXISTS (SELECT 1 FROM movement_search a WHERE a.key IN (${filters.anyOfKeys.map(() => '?').join(', ')}) AND a.declared_at = ${order.at} AND a.movement_id = ${order.id})`,
      );
      params.push(...filters.anyOfKeys);
    }
    if (filters.states && filters.states.length > 0) {
      const alternatives: string[] = [];
      for (const state of filters.states) {
        if (state === 'overdue') {
          alternatives.push(`(m.state = 'overdue' OR (m.state IN ${EN_ROUTE_SQL} AND m.limit_at < ?))`);
          params.push(nowIso);
        } else if (['released', 'passed_transit', 'incident'].includes(state)) {
          alternatives.push('(m.state = ? AND (m.limit_at IS NULL OR m.limit_at >= ?))');
          params.push(state, nowIso);
        } else {
          alternatives.push('m.state = ?');
          params.push(state);
        }
      }
      where.push(`(${alternatives.join(' OR ')})`);
    }
    if (filters.overdue !== undefined) {
      const overdueSql = `(m.state = 'overdue' OR (m.state IN ${EN_ROUTE_SQL} AND m.limit_at < ?))`;
      where.push(filters.overdue ? overdueSql : `NOT ${overdueSql}`);
      params.push(nowIso);
    }
    if (filters.declaredFrom) {
      where.push(`${order.at} >= ?`);
      params.push(filters.declaredFrom);
    }
    if (filters.declaredTo) {
      where.push(`${order.at} < ?`);
      params.push(filters.declaredTo);
    }
    if (filters.lrn) {
      where.push('m.lrn = ?');
      params.push(filters.lrn);
    }
    if (page.cursor) {
      const [declaredAt, id] = decodeCursor(page.cursor, 2) as [string, string];
      where.push(`(${order.at} < ? OR (${order.at} = ? AND ${order.id} < ?))`);
      params.push(declaredAt, declaredAt, id);
    }
    const from = driving ? 'movement_search s JOIN movements m ON m.id = s.movement_id' : 'movements m';
    const sql = `SELECT ${MOVEMENT_COLUMNS} FROM ${from}
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order.at} DESC, ${order.id} DESC LIMIT ?`;
    const rows = await this.db.all<MovementRow>(sql, [...params, page.limit + 1]);
    const items = rows.slice(0, page.limit).map((row) => toMovement(row, now));
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > page.limit && last ? encodeCursor([last.declaredAt, last.id]) : null,
    };
  }
}
