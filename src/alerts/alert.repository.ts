import type { Db, SqlValue } from '../db/db.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/pagination.js';
import { type Alert, type AlertSeverity, type AlertStatus, type Finding, severityRank } from './alert.js';

interface AlertRow {
  id: string;
  dedup_key: string;
  type: string;
  source: Alert['source'];
  rule: string;
  rule_version: string;
  severity: AlertSeverity;
  score: number;
  title: string;
  movement_id: string | null;
  party_key: string | null;
  item_index: number | null;
  device_id: string | null;
  evidence: string;
  status: AlertStatus;
  outcome: string | null;
  observed_at: string;
  raised_at: string;
  updated_at: string;
  occurrences: number;
  finding_count: number;
  risk?: number;
  severity_rank?: number;
  offices?: string;
  corridor?: string | null;
  assignee?: string | null;
}

/** Where a movement's alerts sit in the queue: its risk, and the offices and corridor the queue filters on. */
export interface QueuePlacement {
  risk: number;
  offices: string;
  corridor: string;
}

/** An alert as the queue shows it: with its movement's risk and where it is. */
export interface QueuedAlert extends Alert {
  risk: number;
  offices: string[];
  corridor: string | null;
  assignee: string | null;
}

export interface QueueFilters {
  /** `open` means new or in review. */
  status?: AlertStatus | 'open';
  office?: string;
  type?: string;
  severity?: AlertSeverity;
  corridor?: string;
  movementId?: string;
  assignee?: string;
  raisedFrom?: string;
  raisedTo?: string;
  /** Only alerts of movements touching one of these offices (an officer's scope). */
  scopeOffices?: readonly string[];
}

const toQueued = (row: AlertRow): QueuedAlert => ({
  ...toAlert(row),
  risk: Number(row.risk ?? 0),
  offices: (row.offices ?? '').split(',').filter(Boolean),
  corridor: row.corridor ?? null,
  assignee: row.assignee ?? null,
});

const toAlert = (row: AlertRow): Alert => ({
  id: row.id,
  dedupKey: row.dedup_key,
  type: row.type,
  source: row.source,
  rule: row.rule,
  ruleVersion: row.rule_version,
  severity: row.severity,
  score: row.score,
  title: row.title,
  movementId: row.movement_id,
  partyKey: row.party_key,
  itemIndex: row.item_index,
  deviceId: row.device_id,
  evidence: JSON.parse(row.evidence) as Record<string, unknown>,
  findingCount: Number(row.finding_count),
  status: row.status,
  outcome: row.outcome,
  observedAt: row.observed_at,
  raisedAt: row.raised_at,
  updatedAt: row.updated_at,
  occurrences: row.occurrences,
});

export class AlertRepository {
  constructor(private readonly db: Db) {}

  async findByDedupKeys(keys: readonly string[]): Promise<Map<string, Alert>> {
    const found = new Map<string, Alert>();
    for (let start = 0; start < keys.length; start += 500) {
      const slice = keys.slice(start, start + 500);
      const rows = await this.db.all<AlertRow>(
        `SELECT * FROM alerts WHERE dedup_key IN (${slice.map(() => '?').join(',')})`,
        slice,
      );
      for (const row of rows) found.set(row.dedup_key, toAlert(row));
    }
    return found;
  }

  /** New alerts with their queue columns; an alert of a movement without a placement waits unplaced. */
  async insertMany(alerts: readonly Alert[], placements: ReadonlyMap<string, QueuePlacement>): Promise<void> {
    await this.db.runMany(
      `INSERT INTO alerts (id, dedup_key, type, source, rule, rule_version, severity, severity_rank, score, title, movement_id, party_key,
         item_index, device_id, evidence, finding_count, status, outcome, observed_at, raised_at, updated_at, occurrences, risk, offices, corridor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      alerts.map((alert) => {
        const placement = alert.movementId === null ? undefined : placements.get(alert.movementId);
        return [
          alert.id, alert.dedupKey, alert.type, alert.source, alert.rule, alert.ruleVersion, alert.severity, severityRank(alert.severity), alert.score,
          alert.title, alert.movementId, alert.partyKey, alert.itemIndex, alert.deviceId, JSON.stringify(alert.evidence), alert.findingCount,
          alert.status, alert.outcome, alert.observedAt, alert.raisedAt, alert.updatedAt, alert.occurrences,
          placement?.risk ?? 0, placement?.offices ?? '', placement?.corridor ?? null,
        ];
      }),
    );
  }

  async refresh(id: string, finding: Finding, severity: AlertSeverity, score: number, updatedAt: string): Promise<void> {
    await this.db.run(
      `UPDATE alerts SET severity = ?, severity_rank = ?, score = ?, title = ?, evidence = ?, finding_count = ?, rule_version = ?, updated_at = ?,
         occurrences = occurrences + 1 WHERE id = ?`,
      [severity, severityRank(severity), score, finding.title, JSON.stringify(finding.evidence), finding.findingCount ?? 1, finding.ruleVersion, updatedAt, id],
    );
  }

  async findById(id: string): Promise<Alert | undefined> {
    const row = await this.db.get<AlertRow>('SELECT * FROM alerts WHERE id = ?', [id]);
    return row ? toAlert(row) : undefined;
  }

  async forMovement(movementId: string): Promise<Alert[]> {
    const rows = await this.db.all<AlertRow>('SELECT * FROM alerts WHERE movement_id = ? ORDER BY raised_at, id', [movementId]);
    return rows.map(toAlert);
  }

  async list(filter: { status?: AlertStatus; type?: string; source?: string; movementId?: string }, limit: number): Promise<Alert[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.status) (where.push('status = ?'), params.push(filter.status));
    if (filter.type) (where.push('type = ?'), params.push(filter.type));
    if (filter.source) (where.push('source = ?'), params.push(filter.source));
    if (filter.movementId) (where.push('movement_id = ?'), params.push(filter.movementId));
    const rows = await this.db.all<AlertRow>(
      `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY raised_at DESC, id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toAlert);
  }
}

export const queuePage = async (
  db: Db,
  filters: QueueFilters,
  page: { cursor?: string; limit: number; sort: 'risk' | 'age' },
): Promise<Page<QueuedAlert>> => {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filters.status === 'open') where.push('is_open = 1');
  else if (filters.status) (where.push('status = ?'), params.push(filters.status));
  if (filters.type) (where.push('type = ?'), params.push(filters.type));
  if (filters.severity) (where.push('severity = ?'), params.push(filters.severity));
  if (filters.corridor) (where.push('corridor = ?'), params.push(filters.corridor));
  if (filters.movementId) (where.push('movement_id = ?'), params.push(filters.movementId));
  if (filters.assignee) (where.push('assignee = ?'), params.push(filters.assignee));
  if (filters.raisedFrom) (where.push('raised_at >= ?'), params.push(filters.raisedFrom));
  if (filters.raisedTo) (where.push('raised_at < ?'), params.push(filters.raisedTo));
  if (filters.office) (where.push('offices LIKE ?'), params.push(`%,${filters.office},%`));
  if (filters.scopeOffices) {
    where.push(filters.scopeOffices.length === 0 ? '1 = 0' : `(${filters.scopeOffices.map(() => 'offices LIKE ?').join(' OR ')})`);
    params.push(...filters.scopeOffices.map((office) => `%,${office},%`));
  }
  const byRisk = page.sort === 'risk';
  if (page.cursor) {
    if (byRisk) {
      const [risk, rank, raisedAt, id] = decodeCursor(page.cursor, 4) as [number, number, string, string];
      where.push('(risk < ? OR (risk = ? AND (severity_rank < ? OR (severity_rank = ? AND (raised_at < ? OR (raised_at = ? AND id < ?))))))');
      params.push(risk, risk, rank, rank, raisedAt, raisedAt, id);
    } else {
      const [raisedAt, id] = decodeCursor(page.cursor, 2) as [string, string];
      where.push('(raised_at < ? OR (raised_at = ? AND id < ?))');
      params.push(raisedAt, raisedAt, id);
    }
  }
  const order = byRisk ? 'risk DESC, severity_rank DESC, raised_at DESC, id DESC' : 'raised_at DESC, id DESC';
  const rows = await db.all<AlertRow>(
    `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`,
    [...params, page.limit + 1],
  );
  const items = rows.slice(0, page.limit).map(toQueued);
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  const nextCursor = last
    ? encodeCursor(byRisk ? [Number(last.risk ?? 0), Number(last.severity_rank ?? 0), last.raised_at, last.id] : [last.raised_at, last.id])
    : null;
  return { items, nextCursor };
};

export const strongerSeverity = (a: AlertSeverity, b: AlertSeverity): AlertSeverity =>
  severityRank(a) >= severityRank(b) ? a : b;
