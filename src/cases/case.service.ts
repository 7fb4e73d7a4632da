import type { AlertService } from '../alerts/alert.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Db, SqlValue } from '../db/db.js';
import type { MovementService, OfficeScope } from '../movements/movement.service.js';
import type { Clock } from '../shared/clock.js';
import { DomainError, notFound, validationError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/ids.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/pagination.js';
import { ALERT_EFFECT, type Case, CASE_DEADLINE_HOURS, CASE_OUTCOMES, type CaseComment, type CaseOutcome, caseTypeFor } from './case.js';

interface CaseRow {
  id: string;
  movement_id: string;
  type: Case['type'];
  status: Case['status'];
  alert_ids: string;
  assignee: string | null;
  due_at: string;
  outcome: CaseOutcome | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A false positive on a screening hit suppresses that list entry for that party (the screening capability does it). */
export type SuppressHit = (input: { partyKey: string; entityId: string; reason: string; actor: string }) => Promise<unknown>;

export interface CaseDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  alerts: AlertService;
  movements: MovementService;
  audit: AuditService;
  suppressHit?: SuppressHit;
}

export interface DecisionOutcome {
  case: Case;
  /** What the decision did beyond the case: the movement event it recorded, alerts closed, hits suppressed. */
  consequences: string[];
}

const MIN_REASON = 10;

export class CaseService {
  constructor(private readonly deps: CaseDeps) {}

  private toCase(row: CaseRow): Case {
    const now = this.deps.clock.now().toISOString();
    return {
      id: row.id,
      movementId: row.movement_id,
      type: row.type,
      status: row.status,
      alertIds: JSON.parse(row.alert_ids) as string[],
      assignee: row.assignee,
      dueAt: row.due_at,
      overdue: row.status === 'open' && row.due_at < now,
      decision: row.outcome ? { outcome: row.outcome, reason: row.reason ?? '', decidedBy: row.decided_by ?? '', decidedAt: row.decided_at ?? '' } : null,
      version: Number(row.version),
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** Opens a case on a movement's alerts (all its open ones when none are named). One open case per movement. */
  async open(input: { movementId: string; alertIds?: string[] }, actor: string, scope: OfficeScope): Promise<Case> {
    const { movement } = await this.deps.movements.get(input.movementId, scope);
    const alerts = (await this.deps.alerts.forMovement(movement.id)).filter((alert) => alert.status !== 'closed');
    const chosen = input.alertIds ?? alerts.map((alert) => alert.id);
    const issues = chosen
      .map((id, index) => (alerts.some((alert) => alert.id === id) ? null : { path: `alertIds/${index}`, message: `${id} is not an open alert of this movement` }))
      .filter((issue) => issue !== null);
    if (issues.length > 0) throw validationError('The case names alerts it cannot hold', issues);
    const now = this.deps.clock.now();
    const type = caseTypeFor(alerts.filter((alert) => chosen.includes(alert.id)).map((alert) => alert.source));
    return this.deps.db.transaction(async (tx) => {
      const existing = await tx.get<{ id: string }>("SELECT id FROM cases WHERE movement_id = ? AND status = 'open'", [movement.id]);
      if (existing) throw new DomainError('conflict', `Movement ${movement.mrn ?? movement.lrn} already has open case ${existing.id}`, [], { caseId: existing.id });
      const row: CaseRow = {
        id: this.deps.ids.next(),
        movement_id: movement.id,
        type,
        status: 'open',
        alert_ids: JSON.stringify(chosen),
        assignee: null,
        due_at: new Date(now.getTime() + CASE_DEADLINE_HOURS[type] * 3_600_000).toISOString(),
        outcome: null,
        reason: null,
        decided_by: null,
        decided_at: null,
        version: 1,
        created_by: actor,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await tx.run(
        `INSERT INTO cases (id, movement_id, type, status, alert_ids, assignee, due_at, outcome, reason, decided_by, decided_at, version, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [row.id, row.movement_id, row.type, row.status, row.alert_ids, null, row.due_at, null, null, null, null, 1, actor, row.created_at, row.updated_at],
      );
      await this.deps.alerts.setStatus(tx, chosen, 'in_review');
      await this.deps.audit.record(tx, { actor, action: 'case opened', target: row.id, details: { movementId: movement.id, alertIds: chosen, type } });
      return this.toCase(row);
    });
  }

  /** Reads outside any transaction: the scope check goes through the movement registry's own connection. */
  private async row(id: string, scope: OfficeScope): Promise<CaseRow> {
    const row = await this.deps.db.get<CaseRow>('SELECT * FROM cases WHERE id = ?', [id]);
    if (!row) throw notFound('Case', id);
    await this.deps.movements.get(row.movement_id, scope).catch(() => {
      throw notFound('Case', id);
    });
    return row;
  }

  async get(id: string, scope: OfficeScope): Promise<Case & { comments: CaseComment[] }> {
    const row = await this.row(id, scope);
    const comments = await this.deps.db.all<{ id: string; author: string; text: string; created_at: string }>(
      'SELECT id, author, text, created_at FROM case_comments WHERE case_id = ? ORDER BY created_at, id',
      [id],
    );
    return { ...this.toCase(row), comments: comments.map((comment) => ({ id: comment.id, author: comment.author, text: comment.text, createdAt: comment.created_at })) };
  }

  async list(
    filters: { movementId?: string; status?: Case['status']; overdue?: boolean; assignee?: string },
    page: { cursor?: string; limit: number },
    scope: OfficeScope,
  ): Promise<Page<Case>> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filters.movementId) (where.push('movement_id = ?'), params.push(filters.movementId));
    if (filters.status) (where.push('status = ?'), params.push(filters.status));
    if (filters.assignee) (where.push('assignee = ?'), params.push(filters.assignee));
    if (filters.overdue) (where.push("status = 'open' AND due_at < ?"), params.push(this.deps.clock.now().toISOString()));
    if (page.cursor) {
      const [createdAt, id] = decodeCursor(page.cursor, 2) as [string, string];
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      params.push(createdAt, createdAt, id);
    }
    const items: Case[] = [];
    let last: CaseRow | undefined;
    let more = false;
    const batch = Math.max(page.limit * 2, 50);
    let offsetCursor = [...params];
    let offsetWhere = [...where];
    for (;;) {
      const rows = await this.deps.db.all<CaseRow>(
        `SELECT * FROM cases ${offsetWhere.length ? `WHERE ${offsetWhere.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`,
        [...offsetCursor, batch],
      );
      for (const row of rows) {
        const visible = scope.offices === 'all' || (await this.deps.movements.get(row.movement_id, scope).then(() => true, () => false));
        if (!visible) continue;
        if (items.length === page.limit) {
          more = true;
          break;
        }
        items.push(this.toCase(row));
        last = row;
      }
      if (more || rows.length < batch) break;
      const tail = rows.at(-1)!;
      offsetWhere = [...where, '(created_at < ? OR (created_at = ? AND id < ?))'];
      offsetCursor = [...params, tail.created_at, tail.created_at, tail.id];
    }
    return { items, nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null };
  }

  async assign(id: string, assignee: string | null, actor: string, scope: OfficeScope): Promise<Case> {
    const row = await this.row(id, scope);
    return this.deps.db.transaction(async (tx) => {
      const updatedAt = this.deps.clock.now().toISOString();
      const changed = await tx.run("UPDATE cases SET assignee = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = 'open'", [assignee, updatedAt, id]);
      if (changed.changes === 0) throw new DomainError('conflict', `Case ${id} is already decided`);
      await this.deps.audit.record(tx, { actor, action: 'case assigned', target: id, details: { before: row.assignee, after: assignee } });
      return this.toCase({ ...row, assignee, version: row.version + 1, updated_at: updatedAt });
    });
  }

  async comment(id: string, text: string, author: string, scope: OfficeScope): Promise<CaseComment> {
    const trimmed = text.trim();
    if (trimmed.length === 0 || trimmed.length > 10_000) throw validationError('The comment is invalid', [{ path: 'text', message: 'must be 1 to 10,000 characters' }]);
    await this.row(id, scope);
    return this.deps.db.transaction(async (tx) => {
      const comment: CaseComment = { id: this.deps.ids.next(), author, text: trimmed, createdAt: this.deps.clock.now().toISOString() };
      await tx.run('INSERT INTO case_comments (id, case_id, author, text, created_at) VALUES (?, ?, ?, ?, ?)', [comment.id, id, author, trimmed, comment.createdAt]);
      await this.deps.audit.record(tx, { actor: author, action: 'case commented', target: id, details: { commentId: comment.id } });
      return comment;
    });
  }

  /**
   * Decides a case and carries out what the decision means, in one transaction: a hold stops the
   * movement (exit and discharge are refused until released), release lifts a hold, seize and refer close
   * the alerts with that outcome, a false positive suppresses the screening hits. The case's version makes
   * concurrent decisions safe: the first wins, the second gets a conflict.
   */
  async decide(
    id: string,
    input: { outcome: string; reason: string; version?: number },
    actor: string,
    scope: OfficeScope,
  ): Promise<DecisionOutcome> {
    const issues = [];
    if (!(CASE_OUTCOMES as readonly string[]).includes(input.outcome)) issues.push({ path: 'outcome', message: `must be one of ${CASE_OUTCOMES.join(', ')}` });
    if (typeof input.reason !== 'string' || input.reason.trim().length < MIN_REASON) {
      issues.push({ path: 'reason', message: `a decision needs a reason of at least ${MIN_REASON} characters` });
    }
    if (issues.length > 0) throw validationError('The decision is incomplete', issues);
    const outcome = input.outcome as CaseOutcome;
    const reason = input.reason.trim();
    const row = await this.row(id, scope);
    if (row.status !== 'open') throw new DomainError('conflict', `Case ${id} was already decided (${row.outcome}) by ${row.decided_by}`);
    const movementId = row.movement_id;
    const alertIds = JSON.parse(row.alert_ids) as string[];
    const movementAlerts = await this.deps.alerts.forMovement(movementId);
    const wasHeld = (await this.deps.movements.get(movementId)).movement.recordedState === 'held';
    const hits = movementAlerts.flatMap((alert) => {
      const partyKey = alert.evidence['partyKey'];
      const listed = alert.evidence['entityIds'];
      const entityIds = Array.isArray(listed) ? listed.filter((id): id is string => typeof id === 'string') : [alert.evidence['entityId']].filter((id): id is string => typeof id === 'string');
      if (!alertIds.includes(alert.id) || alert.type !== 'screening.hit' || typeof partyKey !== 'string') return [];
      return entityIds.map((entityId) => ({ alertId: alert.id, partyKey, entityId }));
    });
    const decision = await this.deps.db.transaction(async (tx) => {
      const expected = input.version ?? row.version;
      const decidedAt = this.deps.clock.now().toISOString();
      const claimed = await tx.run(
        "UPDATE cases SET status = 'decided', outcome = ?, reason = ?, decided_by = ?, decided_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = 'open' AND version = ?",
        [outcome, reason, actor, decidedAt, decidedAt, id, expected],
      );
      if (claimed.changes === 0) throw new DomainError('conflict', `Case ${id} was decided or changed since you opened it; reload it`);
      const consequences: string[] = [];
      if (outcome === 'hold') {
        const held = await this.deps.movements.recordSystemEvent(movementId, { id: `hold-${id}`, type: 'hold', details: { caseId: id, reason } }, actor, tx);
        consequences.push(held.event.outcome === 'applied' ? 'movement held: exit and discharge are refused until the hold is released' : `hold refused: ${held.event.refusalReason}`);
      }
      if (outcome === 'release' && wasHeld) {
        await this.deps.movements.recordSystemEvent(movementId, { id: `release-${id}`, type: 'hold_released', details: { caseId: id, reason } }, actor, tx);
        consequences.push('hold released');
      }
      const effect = ALERT_EFFECT[outcome];
      const affected = outcome === 'seize' || outcome === 'refer' ? movementAlerts.map((alert) => alert.id) : alertIds;
      const changed = await this.deps.alerts.setStatus(tx, affected, effect.status, effect.outcome);
      if (effect.status === 'closed') consequences.push(`${changed.length} alert(s) closed as ${effect.outcome}`);
      const decided = this.toCase({ ...row, status: 'decided', outcome, reason, decided_by: actor, decided_at: decidedAt, version: row.version + 1, updated_at: decidedAt });
      await this.deps.audit.record(tx, { actor, action: 'case decided', target: id, details: { before: this.toCase(row), after: decided, consequences } });
      return { case: decided, consequences };
    });
    if (outcome === 'false_positive') {
      for (const hit of hits) {
        if (!this.deps.suppressHit) {
          decision.consequences.push(`screening hit ${hit.alertId} closed; suppression unavailable (no screening capability configured)`);
          continue;
        }
        try {
          await this.deps.suppressHit({ partyKey: hit.partyKey, entityId: hit.entityId, reason, actor });
          decision.consequences.push(`list entry ${hit.entityId} suppressed for this party until the entry changes`);
        } catch (error) {
          // The decision is already committed; an entry a newer list version removed needs no suppression.
          if (!(error instanceof DomainError)) throw error;
          decision.consequences.push(`list entry ${hit.entityId} not suppressed: ${error.message}`);
        }
      }
    }
    return decision;
  }
}
