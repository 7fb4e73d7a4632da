import type { Alert } from '../alerts/alert.js';
import type { QueuePlacement } from '../alerts/alert.repository.js';
import type { AlertService, DeclaredOffices } from '../alerts/alert.service.js';
import type { Db } from '../db/db.js';
import { officesTouched } from '../movements/movement.service.js';
import type { Clock } from '../shared/clock.js';
import { validationError } from '../shared/errors.js';
import { type RiskAssessment, type RiskRules, assessRisk, DEFAULT_RISK_RULES, riskRulesSchema } from './risk.js';

export interface RulesVersion {
  version: number;
  rules: RiskRules;
  createdBy: string;
  createdAt: string;
}

/** Movements recomputed per statement: keeps the bound parameters far below SQLite's and PostgreSQL's limits. */
const RECOMPUTE_CHUNK = 200;

/** The route key the queue filters on: departure office and the country the goods are headed for. */
export const corridorKey = (officeOfDeparture: string, destinationOffice: string): string => `${officeOfDeparture}>${destinationOffice.slice(0, 2)}`;

const queueColumnsOf = (declaration: DeclaredOffices): Omit<QueuePlacement, 'risk'> => ({
  offices: `,${[...new Set(officesTouched(declaration))].join(',')},`,
  corridor: corridorKey(declaration.officeOfDeparture, declaration.officeOfDestination),
});

type ScoredAlert = Pick<Alert, 'id' | 'type' | 'severity' | 'title' | 'findingCount'>;

interface StoredAlertRow {
  movement_id: string;
  id: string;
  type: string;
  severity: Alert['severity'];
  title: string;
  status: Alert['status'];
  finding_count: number;
  risk: number;
  offices: string;
  corridor: string | null;
}

/**
 * A movement's risk, recomputed inside every transaction that raises or closes one of its alerts, so the
 * queue order and the movement page never lag the alerts. The rules are versioned rows; every score
 * names the version it used.
 */
export class RiskService {
  private cached: RulesVersion | undefined;

  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  /**
   * Follows the alert service: rescores the movements of raised alerts before the new ones are written
   * (so they are written once, already placed in the queue), and of alerts whose status changed.
   */
  follow(alerts: AlertService): void {
    alerts.placeWith(async (tx, outcomes, declarations) => {
      const movementIds = new Set<string>();
      for (const { alert } of outcomes) if (alert.movementId) movementIds.add(alert.movementId);
      const unwritten = outcomes.filter((outcome) => outcome.created).map((outcome) => outcome.alert);
      return (await this.rescore(tx, [...movementIds], unwritten, declarations)).placements;
    });
    alerts.onStatusChanged(async (tx, movementIds) => {
      await this.recomputeMany(tx, movementIds);
    });
  }

  async rules(db: Db = this.deps.db): Promise<RulesVersion> {
    if (this.cached) return this.cached;
    const row = await db.get<{ version: number; rules: string; created_by: string; created_at: string }>(
      'SELECT version, rules, created_by, created_at FROM risk_rules ORDER BY version DESC LIMIT 1',
    );
    if (row) {
      this.cached = { version: Number(row.version), rules: JSON.parse(row.rules) as RiskRules, createdBy: row.created_by, createdAt: row.created_at };
      return this.cached;
    }
    return { version: 0, rules: DEFAULT_RISK_RULES, createdBy: 'caravan', createdAt: '1970-01-01T00:00:00.000Z' };
  }

  /** A new version of the weights and thresholds; scores computed from now on record it. */
  async setRules(input: unknown, actor: string): Promise<RulesVersion> {
    const parsed = riskRulesSchema.safeParse(input);
    if (!parsed.success) {
      throw validationError('The risk rules are invalid', parsed.error.issues.map((issue) => ({ path: issue.path.join('/'), message: issue.message })));
    }
    return this.deps.db.transaction(async (tx) => {
      const last = await tx.get<{ version: number }>('SELECT MAX(version) AS version FROM risk_rules');
      const version: RulesVersion = { version: Number(last?.version ?? 0) + 1, rules: parsed.data, createdBy: actor, createdAt: this.deps.clock.now().toISOString() };
      await tx.run('INSERT INTO risk_rules (version, rules, created_by, created_at) VALUES (?, ?, ?, ?)', [version.version, JSON.stringify(version.rules), actor, version.createdAt]);
      this.cached = undefined;
      return version;
    });
  }

  async recompute(tx: Db, movementId: string): Promise<RiskAssessment> {
    return (await this.recomputeMany(tx, [movementId])).get(movementId)!;
  }

  async recomputeMany(tx: Db, movementIds: readonly string[]): Promise<Map<string, RiskAssessment>> {
    return (await this.rescore(tx, movementIds, [], new Map())).assessments;
  }

  /**
   * Scores movements from their open alerts, stored and `unwritten` (raised in this transaction, not yet
   * inserted), in a few statements per chunk rather than a few per movement: a batch of declarations may
   * raise alerts on thousands of movements in one transaction. Stored alert rows get the new risk only
   * where it changed; the placements say where the unwritten ones go in the queue (the risk, and the
   * offices and corridor of their movement, so the queue filters without a join).
   */
  private async rescore(
    tx: Db,
    movementIds: readonly string[],
    unwritten: readonly Alert[],
    declarations: ReadonlyMap<string, DeclaredOffices>,
  ): Promise<{ assessments: Map<string, RiskAssessment>; placements: Map<string, QueuePlacement> }> {
    const { version, rules } = await this.rules(tx);
    const now = this.deps.clock.now().toISOString();
    const assessments = new Map<string, RiskAssessment>();
    const placements = new Map<string, QueuePlacement>();
    const unwrittenOf = groupBy(unwritten, (alert) => alert.movementId ?? '');
    for (let start = 0; start < movementIds.length; start += RECOMPUTE_CHUNK) {
      const chunk = movementIds.slice(start, start + RECOMPUTE_CHUNK);
      const marks = chunk.map(() => '?').join(', ');
      const storedOf = groupBy(
        await tx.all<StoredAlertRow>(
          `SELECT movement_id, id, type, severity, title, status, finding_count, risk, offices, corridor FROM alerts WHERE movement_id IN (${marks})`,
          chunk,
        ),
        (row) => row.movement_id,
      );
      for (const movementId of chunk) {
        const open: ScoredAlert[] = (storedOf.get(movementId) ?? [])
          .filter((row) => row.status !== 'closed')
          .map((row) => ({ id: row.id, type: row.type, severity: row.severity, title: row.title, findingCount: Number(row.finding_count) }));
        open.push(...(unwrittenOf.get(movementId) ?? []));
        assessments.set(movementId, assessRisk(open, rules, version));
      }
      await tx.run(
        `INSERT INTO movement_risk (movement_id, score, outcome, rules_version, breakdown, updated_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (movement_id) DO UPDATE SET score = excluded.score, outcome = excluded.outcome, rules_version = excluded.rules_version,
           breakdown = excluded.breakdown, updated_at = excluded.updated_at`,
        chunk.flatMap((movementId) => {
          const assessment = assessments.get(movementId)!;
          return [movementId, assessment.score, assessment.outcome, version, JSON.stringify(assessment.factors), now];
        }),
      );
      const rescored = chunk.filter((movementId) => storedOf.get(movementId)?.some((row) => Number(row.risk) !== assessments.get(movementId)!.score));
      if (rescored.length > 0) {
        // A join on the chunk's values finds each alert's movement through the movement index; a CASE over the
        // chunk would compare every alert row with every movement of the chunk. PostgreSQL types an untyped
        // parameter in VALUES as text, and the risk column needs a number.
        await tx.run(
          `UPDATE alerts SET risk = v.column2 FROM (VALUES ${rescored.map(() => '(?, CAST(? AS REAL))').join(', ')}) AS v
           WHERE alerts.movement_id = v.column1 AND alerts.risk <> v.column2`,
          rescored.flatMap((movementId) => [movementId, assessments.get(movementId)!.score]),
        );
      }
      const toPlace = chunk.filter((movementId) => unwrittenOf.has(movementId));
      for (const [movementId, columns] of await this.queueColumns(tx, toPlace, storedOf, declarations)) {
        placements.set(movementId, { risk: assessments.get(movementId)!.score, ...columns });
      }
    }
    return { assessments, placements };
  }

  /**
   * The offices and corridor of movements, as their stored alerts already carry them (a declaration never
   * changes), else from the declaration the caller holds or the stored one. A movement that is not stored
   * has none.
   */
  private async queueColumns(
    tx: Db,
    movementIds: readonly string[],
    storedOf: ReadonlyMap<string, readonly StoredAlertRow[]>,
    declarations: ReadonlyMap<string, DeclaredOffices>,
  ): Promise<Map<string, Omit<QueuePlacement, 'risk'>>> {
    const columns = new Map<string, Omit<QueuePlacement, 'risk'>>();
    const unplaced: string[] = [];
    for (const movementId of movementIds) {
      const placed = storedOf.get(movementId)?.find((row) => row.corridor !== null);
      const declaration = declarations.get(movementId);
      if (placed) columns.set(movementId, { offices: placed.offices, corridor: placed.corridor! });
      else if (declaration) columns.set(movementId, queueColumnsOf(declaration));
      else unplaced.push(movementId);
    }
    if (unplaced.length === 0) return columns;
    // Only the two lists of offices are read out of each stored declaration, not the whole of it.
    // PostgreSQL stores the declaration as text, so it casts it first.
    const json = tx.dialect === 'postgres' ? 'declaration_json::json' : 'declaration_json';
    const rows = await tx.all<{ id: string; office_of_departure: string; office_of_destination: string; offices_of_transit: string; offices_of_exit: string }>(
      `SELECT id, office_of_departure, office_of_destination, ${json} ->> 'officesOfTransit' AS offices_of_transit, ${json} ->> 'officesOfExit' AS offices_of_exit
       FROM movements WHERE id IN (${unplaced.map(() => '?').join(', ')})`,
      unplaced,
    );
    for (const row of rows) {
      columns.set(
        row.id,
        queueColumnsOf({
          officeOfDeparture: row.office_of_departure,
          officesOfTransit: JSON.parse(row.offices_of_transit) as string[],
          officesOfExit: JSON.parse(row.offices_of_exit) as string[],
          officeOfDestination: row.office_of_destination,
        }),
      );
    }
    return columns;
  }

  /** The stored assessment, or proceed with no factors for a movement nothing was found on. */
  async forMovement(movementId: string): Promise<RiskAssessment & { updatedAt: string | null }> {
    const row = await this.deps.db.get<{ score: number; outcome: RiskAssessment['outcome']; rules_version: number; breakdown: string; updated_at: string }>(
      'SELECT score, outcome, rules_version, breakdown, updated_at FROM movement_risk WHERE movement_id = ?',
      [movementId],
    );
    if (!row) return { score: 0, outcome: 'proceed', rulesVersion: (await this.rules()).version, factors: [], updatedAt: null };
    return { score: Number(row.score), outcome: row.outcome, rulesVersion: Number(row.rules_version), factors: JSON.parse(row.breakdown) as RiskAssessment['factors'], updatedAt: row.updated_at };
  }
}

const groupBy = <T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
};
