import { z } from 'zod';
import { ALERT_SEVERITIES, type Alert, type AlertSeverity } from '../alerts/alert.js';

export const RISK_OUTCOMES = ['proceed', 'review', 'hold'] as const;
export type RiskOutcome = (typeof RISK_OUTCOMES)[number];

/**
 * How open alerts become a movement's risk. Points of one alert = weight of its type × factor of its
 * severity. Points combine like independent evidence (100 × (1 − Π(1 − pᵢ/100))), so two strong alerts
 * score higher than one but the score never passes 100, and one weak alert never outweighs a strong one.
 */
export const riskRulesSchema = z
  .object({
    weights: z.record(z.string().min(1), z.number().min(0).max(100)),
    defaultWeight: z.number().min(0).max(100),
    severityFactors: z.object(Object.fromEntries(ALERT_SEVERITIES.map((severity) => [severity, z.number().min(0).max(1)])) as Record<AlertSeverity, z.ZodNumber>),
    thresholds: z.object({ review: z.number().min(0).max(100), hold: z.number().min(0).max(100) }),
  })
  .strict()
  .refine((rules) => rules.thresholds.review <= rules.thresholds.hold, { message: 'review threshold must not exceed the hold threshold', path: ['thresholds'] });
export type RiskRules = z.infer<typeof riskRulesSchema>;

/**
 * The first version of the rules. Weights follow what each finding means for circumvention: a sanctioned
 * party or a controlled item headed for a banned destination is near-conclusive; a seal opened on the road
 * or a lorry drifting toward an undeclared border is strong; a long stop alone is weak.
 */
export const DEFAULT_RISK_RULES: RiskRules = {
  weights: {
    'screening.hit': 70,
    'goods.route_prohibited': 65,
    'goods.controlled': 25,
    'goods.misdeclared': 40,
    'goods.value_anomaly': 20,
    'goods.mass_inconsistent': 15,
    'tracking.route_deviation': 55,
    'tracking.border_approach': 45,
    'tracking.seal_opened': 60,
    'tracking.impossible_movement': 45,
    'tracking.silence': 35,
    'tracking.exit_not_confirmed': 50,
    'tracking.unscheduled_stop': 25,
    'tracking.overdue': 35,
    'tracking.low_battery': 5,
  },
  defaultWeight: 20,
  severityFactors: { low: 0.25, medium: 0.5, high: 0.8, critical: 1 },
  thresholds: { review: 30, hold: 70 },
};

export interface RiskContribution {
  alertId: string;
  type: string;
  severity: AlertSeverity;
  title: string;
  weight: number;
  severityFactor: number;
  /** This alert's own points (weight × severity factor, combined over the findings it gathers). */
  points: number;
  /** Its share of the combined score, so the contributions add up to the score. */
  contribution: number;
}

export interface RiskAssessment {
  score: number;
  outcome: RiskOutcome;
  rulesVersion: number;
  factors: RiskContribution[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export const assessRisk = (alerts: readonly Pick<Alert, 'id' | 'type' | 'severity' | 'title' | 'findingCount'>[], rules: RiskRules, rulesVersion: number): RiskAssessment => {
  const scored = alerts.map((alert) => {
    const weight = rules.weights[alert.type] ?? rules.defaultWeight;
    const severityFactor = rules.severityFactors[alert.severity];
    // An alert gathering several findings scores what as many alerts of one finding each would together:
    // each further finding adds its points to what the ones before left unexplained.
    let points = 0;
    for (let finding = 0; finding < alert.findingCount; finding++) points += weight * severityFactor * (1 - points / 100);
    return { alert, weight, severityFactor, points };
  });
  const score = 100 * (1 - scored.reduce((remaining, { points }) => remaining * (1 - points / 100), 1));
  const totalPoints = scored.reduce((sum, { points }) => sum + points, 0);
  const factors = scored
    .map(({ alert, weight, severityFactor, points }) => ({
      alertId: alert.id,
      type: alert.type,
      severity: alert.severity,
      title: alert.title,
      weight,
      severityFactor,
      points: round1(points),
      contribution: totalPoints > 0 ? round1((score * points) / totalPoints) : 0,
    }))
    .sort((a, b) => b.points - a.points);
  const outcome: RiskOutcome = score >= rules.thresholds.hold ? 'hold' : score >= rules.thresholds.review ? 'review' : 'proceed';
  return { score: round1(score), outcome, rulesVersion, factors };
};
