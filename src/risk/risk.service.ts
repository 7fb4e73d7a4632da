import type { Alert } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert.service.js';
import type { Db } from '../db/db.js';
import type { Declaration } from '../movements/declaration.js';
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

const SEVERITY_RANK_SQL = "CASE severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END";

/** The route key the queue filters on: departure office and the country the goods are headed for. */
export const corridorKey = (officeOfDeparture: string, destinationOffice: string): string => `${officeOfDeparture}>${destinationOffice.slice(0, 2)}`;

/**
 * A movement's risk, recomputed inside every transaction that raises or closes one of its alerts, so the
 * queue order and the movement page never lag the alerts. The rules are versioned rows; every score
 * names the version it used.
 */
export class RiskService {
  private cached: RulesVersion | undefined;

  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  /** Follows the alert service: recomputes the risk of every movement whose alerts were raised or closed. */
  follow(alerts: AlertService): void {
    alerts.onRaised(async (tx, outcomes) => {
      const movementIds = new Set<string>();
      for (const { alert } of outcomes) if (alert.movementId) movementIds.add(alert.movementId);
      await this.recomputeMany(tx, [...movementIds]);
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

  /**
   * Recomputes many movements in a few statements per chunk rather than a few per movement: a batch of
   * declarations may raise alerts on thousands of movements in one transaction. Each alert row also gets
   * the queue columns (offices, corridor) of its movement, so the queue filters without a join.
   */
  async recomputeMany(tx: Db, movementIds: readonly string[]): Promise<Map<string, RiskAssessment>> {
    const { version, rules } = await this.rules(tx);
    const now = this.deps.clock.now().toISOString();
    const assessments = new Map<string, RiskAssessment>();
    for (let start = 0; start < movementIds.length; start += RECOMPUTE_CHUNK) {
      const chunk = movementIds.slice(start, start + RECOMPUTE_CHUNK);
      const marks = chunk.map(() => '?').join(', ');
      const open = await tx.all<Pick<Alert, 'id' | 'type' | 'severity' | 'title'> & { movement_id: string }>(
        `SELECT movement_id, id, type, severity, title FROM alerts WHERE movement_id IN (${marks}) AND status <> 'closed'`,
        chunk,
      );
      const openOf = new Map<string, (typeof open)[number][]>();
      for (const alert of open) {
        const alerts = openOf.get(alert.movement_id);
        if (alerts) alerts.push(alert);
        else openOf.set(alert.movement_id, [alert]);
      }
      const declarations = await tx.all<{ id: string; declaration_json: string }>(`SELECT id, declaration_json FROM movements WHERE id IN (${marks})`, chunk);
      const queueColumns = new Map(
        declarations.map((row) => {
          const declaration = JSON.parse(row.declaration_json) as Declaration;
          return [
            row.id,
            { offices: `,${[...new Set(officesTouched(declaration))].join(',')},`, corridor: corridorKey(declaration.officeOfDeparture, declaration.officeOfDestination) },
          ];
        }),
      );
      for (const movementId of chunk) {
        assessments.set(movementId, assessRisk(openOf.get(movementId) ?? [], rules, version));
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
      const known = chunk.filter((movementId) => queueColumns.has(movementId));
      if (known.length === 0) continue;
      // A join on the chunk's values finds each alert's movement through the movement index; a CASE over the
      // chunk would compare every alert row with every movement of the chunk. PostgreSQL types an untyped
      // parameter in VALUES as text, and the risk column needs a number.
      await tx.run(
        `UPDATE alerts SET risk = v.column2, offices = v.column3, corridor = v.column4, severity_rank = ${SEVERITY_RANK_SQL}
         FROM (VALUES ${known.map(() => '(?, CAST(? AS REAL), ?, ?)').join(', ')}) AS v WHERE alerts.movement_id = v.column1`,
        known.flatMap((movementId) => {
          const columns = queueColumns.get(movementId)!;
          return [movementId, assessments.get(movementId)!.score, columns.offices, columns.corridor];
        }),
      );
    }
    return assessments;
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
