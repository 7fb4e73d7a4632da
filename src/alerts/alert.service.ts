import type { Db } from '../db/db.js';
import type { Declaration } from '../movements/declaration.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import { type Alert, type Finding } from './alert.js';
import { AlertRepository, type QueuePlacement, queuePage, type QueuedAlert, type QueueFilters, strongerSeverity } from './alert.repository.js';
import type { AlertStatus } from './alert.js';
import { type Page } from '../shared/pagination.js';
import { notFound } from '../shared/errors.js';

export interface RaiseOutcome {
  alert: Alert;
  /** True when this finding opened a new alert, false when it refreshed an existing one. */
  created: boolean;
}

export type AlertListener = (tx: Db, outcomes: readonly RaiseOutcome[]) => Promise<void>;
/** The parts of a declaration that place its movement's alerts in the queue. */
export type DeclaredOffices = Pick<Declaration, 'officeOfDeparture' | 'officesOfTransit' | 'officesOfExit' | 'officeOfDestination'>;

/**
 * Where the movements of raised alerts now sit in the queue, told before the new alerts are written; the
 * declarations are those the raising caller already holds.
 */
export type QueuePlacer = (tx: Db, outcomes: readonly RaiseOutcome[], declarations: ReadonlyMap<string, DeclaredOffices>) => Promise<ReadonlyMap<string, QueuePlacement>>;
export type StatusListener = (tx: Db, movementIds: readonly string[]) => Promise<void>;

/**
 * The single entry point for findings from every capability. Raising is idempotent per dedup key: a
 * repeated finding refreshes its alert's evidence and keeps the stronger severity, and never reopens
 * an alert an officer has closed.
 */
export class AlertService {
  private readonly listeners: AlertListener[] = [];
  private readonly statusListeners: StatusListener[] = [];
  private placer: QueuePlacer | undefined;

  constructor(private readonly deps: { db: Db; clock: Clock; ids: IdGenerator }) {}

  /**
   * Places new alerts in the queue as they are written (the movement's risk, offices and corridor), so a
   * new row is written once rather than inserted and then updated by the risk recompute.
   */
  placeWith(placer: QueuePlacer): void {
    this.placer = placer;
  }

  /** Called inside the raising transaction, once the raised alerts are written. */
  onRaised(listener: AlertListener): void {
    this.listeners.push(listener);
  }

  /** Called inside the transaction that changed alert statuses, with the movements concerned. */
  onStatusChanged(listener: StatusListener): void {
    this.statusListeners.push(listener);
  }

  /** The queue: filtered, sorted by the movement's risk (or age), paged by cursor. */
  async queue(filters: QueueFilters, page: { cursor?: string; limit: number; sort: 'risk' | 'age' }): Promise<Page<QueuedAlert>> {
    return queuePage(this.deps.db, filters, page);
  }

  /**
   * Moves alerts to a status (closing records the outcome) inside the caller's transaction. Alerts that
   * are already closed stay as they were: a decision is never silently overwritten.
   */
  async setStatus(tx: Db, ids: readonly string[], status: AlertStatus, outcome: string | null = null): Promise<string[]> {
    const now = this.deps.clock.now().toISOString();
    const changed: string[] = [];
    const movements = new Set<string>();
    for (const id of ids) {
      const alert = await new AlertRepository(tx).findById(id);
      if (!alert) throw notFound('Alert', id);
      if (alert.status === 'closed' || alert.status === status) continue;
      await tx.run('UPDATE alerts SET status = ?, is_open = ?, outcome = ?, updated_at = ? WHERE id = ?', [status, status === 'closed' ? 0 : 1, status === 'closed' ? outcome : null, now, id]);
      changed.push(id);
      if (alert.movementId) movements.add(alert.movementId);
    }
    for (const listener of this.statusListeners) await listener(tx, [...movements]);
    return changed;
  }

  async assign(ids: readonly string[], assignee: string | null): Promise<number> {
    return this.deps.db.transaction(async (tx) => {
      let changed = 0;
      for (const id of ids) {
        const result = await tx.run("UPDATE alerts SET assignee = ?, status = CASE WHEN status = 'new' THEN 'in_review' ELSE status END, updated_at = ? WHERE id = ?", [
          assignee,
          this.deps.clock.now().toISOString(),
          id,
        ]);
        if (result.changes === 0) throw notFound('Alert', id);
        changed += result.changes;
      }
      return changed;
    });
  }

  /**
   * Raises findings inside the caller's transaction, so alerts commit with the data that caused them. A
   * caller holding the movements' declarations passes them by movement id, so placing the alerts in the
   * queue does not read them from the store again.
   */
  async raise(tx: Db, findings: readonly Finding[], declarations: ReadonlyMap<string, DeclaredOffices> = new Map()): Promise<RaiseOutcome[]> {
    if (findings.length === 0) return [];
    const repository = new AlertRepository(tx);
    const existing = await repository.findByDedupKeys([...new Set(findings.map((finding) => finding.dedupKey))]);
    const now = this.deps.clock.now().toISOString();
    const outcomes: RaiseOutcome[] = [];
    const created = new Map<string, Alert>();
    for (const finding of findings) {
      const current = existing.get(finding.dedupKey);
      const pending = created.get(finding.dedupKey);
      if (pending) {
        // The same finding twice in one batch: one alert, written once with the stronger reading.
        Object.assign(pending, {
          severity: strongerSeverity(pending.severity, finding.severity),
          score: Math.max(pending.score, finding.score),
          title: finding.title,
          evidence: finding.evidence,
          findingCount: finding.findingCount ?? 1,
          occurrences: pending.occurrences + 1,
        });
        continue;
      }
      if (current) {
        const severity = strongerSeverity(current.severity, finding.severity);
        const score = Math.max(current.score, finding.score);
        await repository.refresh(current.id, finding, severity, score, now);
        const refreshed: Alert = {
          ...current,
          severity,
          score,
          title: finding.title,
          evidence: finding.evidence,
          findingCount: finding.findingCount ?? 1,
          ruleVersion: finding.ruleVersion,
          updatedAt: now,
          occurrences: current.occurrences + 1,
        };
        existing.set(finding.dedupKey, refreshed);
        outcomes.push({ alert: refreshed, created: false });
        continue;
      }
      const alert: Alert = {
        id: this.deps.ids.next(),
        dedupKey: finding.dedupKey,
        type: finding.type,
        source: finding.source,
        rule: finding.rule,
        ruleVersion: finding.ruleVersion,
        severity: finding.severity,
        score: finding.score,
        title: finding.title,
        movementId: finding.movementId ?? null,
        partyKey: finding.partyKey ?? null,
        itemIndex: finding.itemIndex ?? null,
        deviceId: finding.deviceId ?? null,
        evidence: finding.evidence,
        findingCount: finding.findingCount ?? 1,
        status: 'new',
        outcome: null,
        observedAt: finding.observedAt,
        raisedAt: now,
        updatedAt: now,
        occurrences: 1,
      };
      created.set(finding.dedupKey, alert);
      outcomes.push({ alert, created: true });
    }
    const placements = this.placer ? await this.placer(tx, outcomes, declarations) : new Map<string, QueuePlacement>();
    await repository.insertMany([...created.values()], placements);
    for (const listener of this.listeners) await listener(tx, outcomes);
    return outcomes;
  }

  /** Raises findings in a transaction of its own. */
  async raiseNow(findings: readonly Finding[]): Promise<RaiseOutcome[]> {
    return this.deps.db.transaction((tx) => this.raise(tx, findings));
  }

  async get(id: string): Promise<Alert | undefined> {
    return new AlertRepository(this.deps.db).findById(id);
  }

  async forMovement(movementId: string): Promise<Alert[]> {
    return new AlertRepository(this.deps.db).forMovement(movementId);
  }
}
