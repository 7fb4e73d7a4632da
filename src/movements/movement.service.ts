import type { Db } from '../db/db.js';
import type { Clock } from '../shared/clock.js';
import { DomainError, type FieldIssue, notFound, validationError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/ids.js';
import type { Page } from '../shared/pagination.js';
import { searchWords } from '../shared/text.js';
import {
  checkDeclarationReferences,
  type Declaration,
  declarantKey,
  declarationLimits,
  parseDeclaration,
} from './declaration.js';
import { type OfficeEvent, parseOfficeEvent } from './movement-event.js';
import { declarationKey, MovementRepository, type MovementFilters } from './movement.repository.js';
import {
  applyEvent,
  effectiveState,
  isPastLimit,
  limitInstant,
  type Movement,
  type MovementEvent,
  type MovementEventType,
  officeRemark,
} from './movement.js';
import { countryKey, HS_PREFIX_LENGTHS, hsKey, movementSearchKeys, officeKey, partyKey } from './movement-search.js';
import { formatMrn, isValidMrn } from './mrn.js';

export interface MovementListFilters extends Omit<MovementFilters, 'searchKeys'> {
  office?: string;
  countryOfRouting?: string;
  /** HS code prefix of any goods item: 2, 4, 6, 8 or 10 digits. */
  hsPrefix?: string;
  /** Words of a party name, any script; each must be a whole word of some party's name. */
  party?: string;
}

/** Which offices' movements a caller may see: all, or those touching one of the listed offices. */
export interface OfficeScope {
  offices: readonly string[] | 'all';
}

export const ALL_OFFICES: OfficeScope = { offices: 'all' };

/** The offices a declaration touches in any role: departure, transit, exit, destination. */
export const officesTouched = (declaration: Pick<Declaration, 'officeOfDeparture' | 'officesOfTransit' | 'officesOfExit' | 'officeOfDestination'>): string[] => [
  declaration.officeOfDeparture,
  ...declaration.officesOfTransit,
  ...declaration.officesOfExit,
  declaration.officeOfDestination,
];

export const isVisible = (declaration: Declaration, scope: OfficeScope): boolean =>
  scope.offices === 'all' || officesTouched(declaration).some((office) => scope.offices.includes(office));

export interface MovementReferences {
  officeExists(code: string): boolean;
  checkHsCode(code: string): { ok: true; normalised: string } | { ok: false; reason: string };
}

export interface MovementServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  references: MovementReferences;
}

export type OriginalFormat = 'json' | 'ie015';

/** A declaration as it was stored: what other capabilities need to screen, check or track it. */
export interface StoredDeclaration {
  id: string;
  lrn: string;
  declaration: Declaration;
  declaredAt: string;
  limitDate: string;
}

/**
 * Other capabilities (screening, goods control, tracking) follow the registry through these hooks. They
 * run inside the transaction that stores the change, so their own records commit or roll back with it;
 * work too slow for an ingest path belongs in a durable queue written here and drained elsewhere.
 */
export interface MovementObserver {
  declarationsStored?(tx: Db, stored: readonly StoredDeclaration[]): Promise<void>;
  eventApplied?(tx: Db, movement: Movement, event: MovementEvent): Promise<void>;
}

export interface IncomingDeclaration {
  input: unknown;
  format: OriginalFormat;
  /** The message exactly as received, kept with the movement. */
  original: string;
  /** Line (NDJSON) or position the report should name. */
  line?: number;
}

export interface RejectedRecord {
  index: number;
  line?: number;
  reference?: string;
  code: DomainError['code'];
  message: string;
  issues: FieldIssue[];
}

export interface DeclarationBatchReport {
  accepted: { index: number; line?: number; id: string; lrn: string }[];
  rejected: RejectedRecord[];
}

export interface EventOutcome {
  duplicate: boolean;
  event: MovementEvent;
  movement: Movement;
}

export interface EventBatchReport {
  applied: number;
  refused: { index: number; line?: number; id: string; reason: string }[];
  duplicates: number;
  rejected: RejectedRecord[];
}

export interface MovementDetail {
  movement: Movement;
  events: MovementEvent[];
}

const BATCH_SIZE = 500;

interface EventToApply {
  event: { id: string; type: MovementEventType; time: string; lrn?: string | undefined; mrn?: string | undefined; office?: string; details?: Record<string, unknown> };
  /** Set when Caravan itself names the movement (system events); office events name it by MRN or LRN. */
  movementId?: string;
}
/** An office clock this far ahead of ours is worth a note on the event, not a refusal. */
const EVENT_CLOCK_SKEW_MS = 10 * 60 * 1000;
const MAX_CONFLICT_RETRIES = 3;

const addDays = (date: string, days: number): string => {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
};

const toRejected = (error: unknown, index: number, line?: number, reference?: string): RejectedRecord => {
  if (error instanceof DomainError) {
    return { index, ...(line !== undefined ? { line } : {}), ...(reference ? { reference } : {}), code: error.code, message: error.message, issues: error.issues };
  }
  throw error;
};

export class MovementService {
  private readonly observers: MovementObserver[] = [];

  constructor(private readonly deps: MovementServiceDeps) {}

  observe(observer: MovementObserver): void {
    this.observers.push(observer);
  }

  private get now(): Date {
    return this.deps.clock.now();
  }

  /** Validates one declaration completely, without touching the store. */
  private prepare(incoming: IncomingDeclaration, declaredAt: string) {
    const parsed = parseDeclaration(incoming.input);
    if (!parsed.ok) throw validationError('The declaration is invalid', parsed.issues);
    const declaredOn = declaredAt.slice(0, 10);
    const issues = checkDeclarationReferences(
      parsed.declaration,
      {
        officeExists: (code) => this.deps.references.officeExists(code),
        checkHsCode: (code) => this.deps.references.checkHsCode(code),
      },
      declaredOn,
    );
    if (issues.length > 0) throw validationError('The declaration refers to unknown or impossible data', issues);
    const declaration: Declaration = {
      ...parsed.declaration,
      goodsItems: parsed.declaration.goodsItems.map((item) => {
        const checked = this.deps.references.checkHsCode(item.hsCode);
        return { ...item, hsCode: checked.ok ? checked.normalised : item.hsCode };
      }),
    };
    const limitDate = declaration.limitDate ?? addDays(declaredOn, declarationLimits.defaultTransitDays);
    const id = this.deps.ids.next();
    return {
      movement: {
        id,
        lrn: declaration.lrn,
        declarantKey: declarantKey(declaration),
        declaration,
        limitDate,
        limitAt: limitInstant(limitDate),
        declaredAt,
        originalFormat: incoming.format,
        originalMessage: incoming.original,
        searchKeys: movementSearchKeys(declaration),
      },
      submitted: {
        id: this.deps.ids.next(),
        movementId: id,
        seq: 1,
        type: 'submitted' as const,
        time: declaredAt,
        office: declaration.officeOfDeparture,
        actor: '',
        details: null,
        recordedAt: declaredAt,
        outcome: 'applied' as const,
        refusalReason: null,
        note: null,
        stateBefore: 'submitted' as const,
        stateAfter: 'submitted' as const,
      },
    };
  }

  private duplicateLrn(lrn: string): DomainError {
    return new DomainError('duplicate', `LRN ${lrn} is already declared by this declarant`, [
      { path: 'lrn', message: 'is already used by this holder of the transit procedure' },
    ]);
  }

  async declare(incoming: IncomingDeclaration, actor: string): Promise<Movement> {
    const prepared = this.prepare(incoming, this.now.toISOString());
    const [outcome] = await this.storeChunk([{ index: 0, value: prepared }], actor);
    if (outcome?.error) throw outcome.error;
    return this.get(prepared.movement.id).then((detail) => detail.movement);
  }

  /**
   * Stores the valid declarations of a batch and reports each invalid one. Good records commit in
   * chunks; a chunk that fails as a whole is retried record by record, so one bad row never sinks others.
   */
  async declareMany(
    records: readonly IncomingDeclaration[],
    actor: string,
    onProgress?: (done: number) => void,
  ): Promise<DeclarationBatchReport> {
    const report: DeclarationBatchReport = { accepted: [], rejected: [] };
    type Prepared = { index: number; line?: number; value: ReturnType<MovementService['prepare']> };
    const prepareChunk = (start: number): Prepared[] => {
      const declaredAt = this.now.toISOString();
      const prepared: Prepared[] = [];
      records.slice(start, start + BATCH_SIZE).forEach((record, offset) => {
        const index = start + offset;
        try {
          prepared.push({ index, ...(record.line !== undefined ? { line: record.line } : {}), value: this.prepare(record, declaredAt) });
        } catch (error) {
          report.rejected.push(toRejected(error, index, record.line, lrnOf(record.input)));
        }
      });
      return prepared;
    };
    const store = (prepared: Prepared[]) =>
      this.storeChunk(prepared, actor).catch(async () => {
        const results = [];
        for (const item of prepared) results.push(...(await this.storeChunk([item], actor)));
        return results;
      });
    // The next chunk is validated while the store works on this one: on PostgreSQL that overlaps the
    // server's work with ours; on SQLite, whose calls do not yield, it changes nothing.
    let next = records.length > 0 ? prepareChunk(0) : [];
    for (let start = 0; start < records.length; start += BATCH_SIZE) {
      const storing = store(next);
      next = start + BATCH_SIZE < records.length ? prepareChunk(start + BATCH_SIZE) : [];
      for (const outcome of await storing) {
        if (outcome.error) report.rejected.push(toRejected(outcome.error, outcome.index, outcome.line, outcome.lrn));
        else report.accepted.push({ index: outcome.index, ...(outcome.line !== undefined ? { line: outcome.line } : {}), id: outcome.id, lrn: outcome.lrn });
      }
      onProgress?.(Math.min(start + BATCH_SIZE, records.length));
    }
    report.rejected.sort((a, b) => a.index - b.index);
    return report;
  }

  private async storeChunk(
    items: { index: number; line?: number; value: ReturnType<MovementService['prepare']> }[],
    actor: string,
  ): Promise<{ index: number; line?: number; id: string; lrn: string; error?: DomainError }[]> {
    return this.deps.db.transaction(async (tx) => {
      const repository = new MovementRepository(tx);
      const taken = await repository.existingDeclarations(items.map(({ value }) => value.movement));
      const outcomes: { index: number; line?: number; id: string; lrn: string; error?: DomainError }[] = [];
      const accepted: ReturnType<MovementService['prepare']>[] = [];
      for (const { index, line, value } of items) {
        const { movement } = value;
        const key = declarationKey(movement.declarantKey, movement.lrn);
        const base = { index, ...(line !== undefined ? { line } : {}), id: movement.id, lrn: movement.lrn };
        if (taken.has(key)) {
          outcomes.push({ ...base, error: this.duplicateLrn(movement.lrn) });
          continue;
        }
        taken.add(key);
        accepted.push(value);
        outcomes.push(base);
      }
      await repository.insertMany(accepted.map(({ movement, submitted }) => ({ movement, submitted: { ...submitted, actor } })));
      const stored = accepted.map(({ movement }) => ({
        id: movement.id,
        lrn: movement.lrn,
        declaration: movement.declaration,
        declaredAt: movement.declaredAt,
        limitDate: movement.limitDate,
      }));
      for (const observer of this.observers) await observer.declarationsStored?.(tx, stored);
      return outcomes;
    });
  }

  private validateEvent(input: unknown): OfficeEvent {
    const parsed = parseOfficeEvent(input);
    if (!parsed.ok) throw validationError('The event is invalid', parsed.issues);
    const event = parsed.event;
    const issues: FieldIssue[] = [];
    if (event.office && !this.deps.references.officeExists(event.office)) {
      issues.push({ path: 'office', message: `unknown customs office ${event.office}` });
    }
    if (event.mrn && !isValidMrn(event.mrn)) issues.push({ path: 'mrn', message: 'has a wrong check character' });
    if (issues.length > 0) throw validationError('The event is invalid', issues);
    return event;
  }

  /** Records an event in the movement's history: applied if it fits the lifecycle, otherwise refused with the reason. */
  async recordEvent(input: unknown, actor: string): Promise<EventOutcome> {
    const event = this.validateEvent(input);
    return this.withConflictRetry(() => this.deps.db.transaction((tx) => this.applyOne(tx, { event }, actor)));
  }

  /**
   * Applies a lifecycle change Caravan itself decides (overdue sweep, holds from case decisions). Given a
   * transaction, it applies there, so the change commits with the decision that caused it.
   */
  async recordSystemEvent(
    movementId: string,
    change: { id: string; type: Extract<MovementEventType, 'overdue' | 'hold' | 'hold_released'>; details?: Record<string, unknown> },
    actor: string,
    tx?: Db,
  ): Promise<EventOutcome> {
    const movement = await new MovementRepository(tx ?? this.deps.db).findById(movementId, this.now);
    if (!movement) throw notFound('Movement', movementId);
    const event = { id: change.id, type: change.type, time: this.now.toISOString(), mrn: movement.mrn ?? undefined, lrn: movement.lrn, ...(change.details ? { details: change.details } : {}) };
    if (tx) return this.applyOne(tx, { event, movementId: movement.id }, actor);
    return this.withConflictRetry(() => this.deps.db.transaction((inner) => this.applyOne(inner, { event, movementId: movement.id }, actor)));
  }

  private async withConflictRetry<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'conflict' && tries < MAX_CONFLICT_RETRIES)) throw error;
      }
    }
  }

  private async applyOne(tx: Db, item: EventToApply, actor: string): Promise<EventOutcome> {
    const [outcome] = await this.applyBatch(tx, [item], actor);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Applies events in order inside one transaction. The movements and event ids the batch names are read
   * in a few queries, each event is applied to the movement as the earlier ones in the batch left it, and
   * the new events and each movement's final state are written once at the end; observers then see each
   * applied event in order. Each item's outcome is returned in place, or the error that rejected it alone;
   * a movement another writer changed meanwhile fails the whole batch with a conflict, to be retried.
   */
  private async applyBatch(tx: Db, items: readonly EventToApply[], actor: string): Promise<(EventOutcome | Error)[]> {
    const repository = new MovementRepository(tx);
    const now = this.now;
    const nowIso = now.toISOString();
    const recordedBefore = await repository.findEvents(items.map(({ event }) => event.id));
    const current = new Map<string, Movement>();
    for (const movement of await repository.findMany(
      {
        ids: [...items.flatMap(({ movementId }) => (movementId ? [movementId] : [])), ...[...recordedBefore.values()].map((event) => event.movementId)],
        mrns: items.flatMap(({ event }) => (event.mrn ? [event.mrn] : [])),
        lrns: items.flatMap(({ event }) => (!event.mrn && event.lrn ? [event.lrn] : [])),
      },
      now,
    )) {
      current.set(movement.id, movement);
    }
    const byMrn = new Map([...current.values()].flatMap((movement) => (movement.mrn ? [[movement.mrn, movement.id] as const] : [])));
    const byLrn = new Map<string, string[]>();
    for (const movement of current.values()) byLrn.set(movement.lrn, [...(byLrn.get(movement.lrn) ?? []), movement.id]);
    const recordedNow = new Map<string, MovementEvent>();
    const readAtCount = new Map<string, number>();
    const applied: { movement: Movement; event: MovementEvent }[] = [];
    const outcomes: (EventOutcome | Error)[] = [];

    for (const { event, movementId } of items) {
      const existing = recordedNow.get(event.id) ?? recordedBefore.get(event.id);
      if (existing) {
        const movement = current.get(existing.movementId)!;
        const sameMovement = movementId ? movementId === movement.id : event.mrn ? event.mrn === movement.mrn : event.lrn === movement.lrn;
        outcomes.push(
          sameMovement && existing.type === event.type
            ? { duplicate: true, event: existing, movement }
            : new DomainError('duplicate', `Event id ${event.id} was already used for a different event`, [
                { path: 'id', message: `already names a ${existing.type} event of movement ${movement.mrn ?? movement.lrn}` },
              ]),
        );
        continue;
      }
      const resolved = movementId ?? this.resolveId(event, byMrn, byLrn);
      if (resolved instanceof Error) {
        outcomes.push(resolved);
        continue;
      }
      const movement = current.get(resolved)!;
      const result = applyEvent({ state: movement.recordedState, stateBeforeHold: movement.stateBeforeHold }, event.type);
      const office = event.office ?? null;
      const recorded: MovementEvent = {
        id: event.id,
        movementId: movement.id,
        seq: movement.eventCount + 1,
        type: event.type,
        time: event.time,
        office,
        actor,
        details: event.details ?? null,
        recordedAt: nowIso,
        outcome: result.ok ? 'applied' : 'refused',
        refusalReason: result.ok ? null : result.reason,
        note: result.ok ? this.remark(movement, event.type, office, event.time) : null,
        stateBefore: movement.recordedState,
        stateAfter: result.ok ? result.status.state : movement.recordedState,
      };
      const mrn = result.ok && event.type === 'accepted' ? await this.allocateMrn(repository, movement.declaration.officeOfDeparture, event.time) : null;
      const recordedState = recorded.stateAfter;
      const limitAt = movement.limitDate ? limitInstant(movement.limitDate) : null;
      const after: Movement = {
        ...movement,
        mrn: mrn ?? movement.mrn,
        recordedState,
        stateBeforeHold: result.ok ? result.status.stateBeforeHold : movement.stateBeforeHold,
        state: effectiveState(recordedState, limitAt, now),
        overdue: recordedState === 'overdue' || isPastLimit(recordedState, limitAt, now),
        updatedAt: nowIso,
        eventCount: movement.eventCount + 1,
      };
      if (!readAtCount.has(movement.id)) readAtCount.set(movement.id, movement.eventCount);
      current.set(movement.id, after);
      if (mrn) byMrn.set(mrn, movement.id);
      recordedNow.set(recorded.id, recorded);
      if (recorded.outcome === 'applied') applied.push({ movement: after, event: recorded });
      outcomes.push({ duplicate: false, event: recorded, movement: after });
    }

    for (const [id, expectedEventCount] of readAtCount) {
      const movement = current.get(id)!;
      const updated = await repository.updateStatus(id, {
        state: movement.recordedState,
        stateBeforeHold: movement.stateBeforeHold,
        mrn: movement.mrn,
        updatedAt: nowIso,
        eventCount: movement.eventCount,
        expectedEventCount,
      });
      if (!updated) throw new DomainError('conflict', `Movement ${id} changed while its events were applied`);
    }
    await repository.insertEvents([...recordedNow.values()]);
    for (const { movement, event } of applied) {
      for (const observer of this.observers) await observer.eventApplied?.(tx, movement, event);
    }
    return outcomes;
  }

  /** The movement an office's event names, by MRN or else by LRN, among those the batch read. */
  private resolveId(event: { lrn?: string | undefined; mrn?: string | undefined }, byMrn: ReadonlyMap<string, string>, byLrn: ReadonlyMap<string, string[]>): string | Error {
    if (event.mrn) return byMrn.get(event.mrn) ?? notFound('Movement with MRN', event.mrn);
    const lrn = event.lrn ?? '';
    const candidates = byLrn.get(lrn) ?? [];
    if (candidates.length === 0) return notFound('Movement with LRN', lrn);
    if (candidates.length > 1) {
      return new DomainError('ambiguous', `LRN ${lrn} is used by more than one declarant; name the movement by its MRN`, [
        { path: 'lrn', message: 'matches several movements' },
      ]);
    }
    return candidates[0]!;
  }

  private remark(movement: Movement, type: MovementEventType, office: string | null, time: string): string | null {
    const remarks = [officeRemark(movement.declaration, type, office)];
    const aheadMs = new Date(time).getTime() - this.now.getTime();
    if (aheadMs > EVENT_CLOCK_SKEW_MS) {
      remarks.push(`event time is ${Math.round(aheadMs / 60_000)} minutes ahead of Caravan's clock`);
    }
    return remarks.filter((remark) => remark !== null).join('; ') || null;
  }

  private async allocateMrn(repository: MovementRepository, office: string, acceptedAt: string): Promise<string> {
    const year = new Date(acceptedAt).getUTCFullYear();
    const serial = await repository.nextCounter(`mrn:${office}:${year}`);
    return formatMrn(year, office, serial);
  }

  /** Records a batch of events in chunks; each record is applied, refused, a duplicate, or rejected with reasons. */
  async recordEvents(
    records: readonly { input: unknown; line?: number }[],
    actor: string,
    onProgress?: (done: number) => void,
  ): Promise<EventBatchReport> {
    const report: EventBatchReport = { applied: 0, refused: [], duplicates: 0, rejected: [] };
    for (let start = 0; start < records.length; start += BATCH_SIZE) {
      const chunk = records.slice(start, start + BATCH_SIZE);
      const valid: { index: number; line?: number; event: OfficeEvent }[] = [];
      chunk.forEach((record, offset) => {
        try {
          valid.push({ index: start + offset, ...(record.line !== undefined ? { line: record.line } : {}), event: this.validateEvent(record.input) });
        } catch (error) {
          report.rejected.push(toRejected(error, start + offset, record.line, idOf(record.input)));
        }
      });
      const outcomes = await this.withConflictRetry(() =>
        this.deps.db.transaction((tx) => this.applyBatch(tx, valid.map(({ event }) => ({ event })), actor)),
      );
      valid.forEach((item, position) => {
        const outcome = outcomes[position]!;
        if (outcome instanceof Error) report.rejected.push(toRejected(outcome, item.index, item.line, item.event.id));
        else if (outcome.duplicate) report.duplicates++;
        else if (outcome.event.outcome === 'refused') {
          report.refused.push({ index: item.index, ...(item.line !== undefined ? { line: item.line } : {}), id: item.event.id, reason: outcome.event.refusalReason ?? '' });
        } else report.applied++;
      });
      onProgress?.(Math.min(start + BATCH_SIZE, records.length));
    }
    report.rejected.sort((a, b) => a.index - b.index);
    return report;
  }

  /** One movement by internal id or MRN, with its whole history. */
  /** A movement outside the caller's scope is answered exactly as one that does not exist. */
  async get(reference: string, scope: OfficeScope = ALL_OFFICES): Promise<MovementDetail> {
    const repository = new MovementRepository(this.deps.db);
    const movement = isValidMrn(reference)
      ? await repository.findByMrn(reference, this.now)
      : await repository.findById(reference, this.now);
    if (!movement || !isVisible(movement.declaration, scope)) throw notFound('Movement', reference);
    return { movement, events: await repository.events(movement.id) };
  }

  async original(reference: string, scope: OfficeScope = ALL_OFFICES): Promise<{ format: OriginalFormat; message: string }> {
    const { movement } = await this.get(reference, scope);
    return (await new MovementRepository(this.deps.db).originalMessage(movement.id))!;
  }

  async list(filters: MovementListFilters, page: { cursor?: string; limit: number }, scope: OfficeScope = ALL_OFFICES): Promise<Page<Movement>> {
    const { party, office, countryOfRouting, hsPrefix, ...rest } = filters;
    const issues: FieldIssue[] = [];
    const partyWords = party === undefined ? [] : searchWords(party);
    if (party !== undefined && partyWords.length === 0) issues.push({ path: 'party', message: 'needs at least one word of two or more letters or digits' });
    if (hsPrefix !== undefined && !(HS_PREFIX_LENGTHS as readonly number[]).includes(hsPrefix.length)) {
      issues.push({ path: 'hs', message: 'must have 2, 4, 6, 8 or 10 digits (chapter, heading, subheading or national code)' });
    }
    if (issues.length > 0) throw validationError('Invalid filter', issues);
    const searchKeys = [
      ...(office ? [officeKey(office)] : []),
      ...(countryOfRouting ? [countryKey(countryOfRouting)] : []),
      ...(hsPrefix ? [hsKey(hsPrefix)] : []),
      ...partyWords.map(partyKey),
    ];
    const scoped = scope.offices === 'all' ? {} : { anyOfKeys: scope.offices.map(officeKey) };
    return new MovementRepository(this.deps.db).list({ ...rest, ...scoped, ...(searchKeys.length > 0 ? { searchKeys } : {}) }, page, this.now);
  }

  /** Records the overdue event for movements past their time limit; safe to run from several processes. */
  async sweepOverdue(batch = 500): Promise<number> {
    const due = await new MovementRepository(this.deps.db).pastLimit(this.now, batch);
    let recorded = 0;
    for (const movement of due) {
      const outcome = await this.recordSystemEvent(
        movement.id,
        { id: `overdue-${movement.id}`, type: 'overdue', details: { limitDate: movement.limitDate } },
        'system:overdue-sweep',
      );
      if (!outcome.duplicate && outcome.event.outcome === 'applied') recorded++;
    }
    return recorded;
  }
}

const lrnOf = (input: unknown): string | undefined =>
  input && typeof input === 'object' && typeof (input as { lrn?: unknown }).lrn === 'string'
    ? (input as { lrn: string }).lrn
    : undefined;

const idOf = (input: unknown): string | undefined =>
  input && typeof input === 'object' && typeof (input as { id?: unknown }).id === 'string'
    ? (input as { id: string }).id
    : undefined;
