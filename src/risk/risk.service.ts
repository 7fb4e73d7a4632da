import type { Alert } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert.service.js';
import type { Db } from '../db/db.js';
import { MovementRepository } from '../movements/movement.repository.js';
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

  /** Follows the alert service: denormalises the queue columns of new alerts and recomputes the risk. */
  follow(alerts: AlertService): void {
    alerts.onRaised(async (tx, outcomes) => {
      const movementIds = new Set<string>();
      for (const { alert, created } of outcomes) {
        if (!alert.movementId) continue;
        movementIds.add(alert.movementId);
        if (created) await this.placeInQueue(tx, alert);
      }
      for (const movementId of movementIds) await this.recompute(tx, movementId);
    });
    alerts.onStatusChanged(async (tx, movementIds) => {
      for (const movementId of movementIds) await this.recompute(tx, movementId);
    });
  }

  private async placeInQueue(tx: Db, alert: Alert): Promise<void> {
    const movement = await new MovementRepository(tx).findById(alert.movementId!, this.deps.clock.now());
    if (!movement) return;
    const declaration = movement.declaration;
    await tx.run('UPDATE alerts SET offices = ?, corridor = ? WHERE id = ?', [
      `,${[...new Set(officesTouched(declaration))].join(',')},`,
      corridorKey(declaration.officeOfDeparture, declaration.officeOfDestination),
      alert.id,
    ]);
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
    const { version, rules } = await this.rules(tx);
    const open = await tx.all<Pick<Alert, 'id' | 'type' | 'severity' | 'title'>>(
      "SELECT id, type, severity, title FROM alerts WHERE movement_id = ? AND status <> 'closed'",
      [movementId],
    );
    const assessment = assessRisk(open, rules, version);
    const now = this.deps.clock.now().toISOString();
    await tx.run(
      `INSERT INTO movement_risk (movement_id, score, outcome, rules_version, breakdown, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (movement_id) DO UPDATE SET score = excluded.score, outcome = excluded.outcome, rules_version = excluded.rules_version,
         breakdown = excluded.breakdown, updated_at = excluded.updated_at`,
      [movementId, assessment.score, assessment.outcome, version, JSON.stringify(assessment.factors), now],
    );
    await tx.run(`UPDATE alerts SET risk = ?, severity_rank = ${SEVERITY_RANK_SQL} WHERE movement_id = ?`, [assessment.score, movementId]);
    return assessment;
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
