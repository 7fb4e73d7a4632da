import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity, severityRank } from '../alerts/alert.js';
import type { Db } from '../db/db.js';
import { DomainError, type FieldIssue } from '../shared/errors.js';
import { EVASION_TYPES, type EvasionType } from './movement-plan.js';

/** One line of a ground-truth file (contracts/truth.example.ndjson). */
export interface TruthLine {
  lrn: string;
  evasion: EvasionType;
  start: string;
}

/** A tracking alert reduced to what the evaluation needs, with the LRN of its movement. */
export interface ScoredAlert {
  lrn: string;
  type: string;
  severity: AlertSeverity;
  observedAt: string;
  raisedAt: string;
}

/**
 * Which instant counts as "detected". `raised` (default): when Caravan raised the alert; under `caravan
 * replay` the clock follows the data, so this is the moment a live system would have known, including
 * every detector's waiting time. `observed`: the time of the data that triggered the alert, for stores fed
 * without replay (where raisedAt is wall-clock import time and says nothing about detection delay).
 */
export type DetectTime = 'raised' | 'observed';

export interface TypeScore {
  n: number;
  recall: number;
  medianDetectMinutes: number;
}

/** The documented `caravan evaluate --json` object. */
export interface EvaluationResult {
  byType: Record<EvasionType, TypeScore>;
  precision: number;
  alertedMovements: number;
  movements: number;
}

/** Per labelled movement: whether and how it was caught; for the human-readable report. */
export interface TruthOutcome extends TruthLine {
  detected: boolean;
  detectMinutes: number | null;
  firstAlertType: string | null;
}

const truthSchema = z.object({
  lrn: z.string({ error: 'is required' }).trim().min(1, 'must not be empty'),
  evasion: z.enum(EVASION_TYPES, { error: `must be one of ${EVASION_TYPES.join(', ')}` }),
  start: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }),
});

/** Parses a truth NDJSON file; any bad line stops the evaluation with every bad line named. */
export const parseTruth = (text: string): TruthLine[] => {
  const lines: TruthLine[] = [];
  const issues: FieldIssue[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      issues.push({ path: `line ${index + 1}`, message: `not JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = truthSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ path: `line ${index + 1}/${issue.path.join('/')}`, message: issue.message });
      return;
    }
    lines.push({ ...parsed.data, start: new Date(parsed.data.start).toISOString() });
  });
  if (issues.length > 0) throw new DomainError('validation', 'The truth file has lines that are not ground truth', issues);
  return lines;
};

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

const median = (values: number[]): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Scores tracking alerts against the truth. Recall per evasion type: labelled movements with a tracking
 * alert (any severity) detected at or after the evasion's start. Median time to detect: from the start
 * to the first such alert. Precision: of the movements with a tracking alert of severity medium or
 * higher, the share that is labelled.
 */
export interface ScoringOptions {
  detectTime?: DetectTime;
  /**
   * Lowest severity an alert needs to count as a detection. The contract counts any tracking alert
   * (`low`); `medium` matches the bar precision uses, so low, informational alerts raised on everything
   * cannot make recall look better than what an officer would actually be shown.
   */
  recallSeverity?: AlertSeverity;
}

export const scoreAlerts = (
  truth: readonly TruthLine[],
  alerts: readonly ScoredAlert[],
  movements: number,
  options: ScoringOptions = {},
): { result: EvaluationResult; outcomes: TruthOutcome[] } => {
  const detectTime = options.detectTime ?? 'raised';
  const floor = severityRank(options.recallSeverity ?? 'low');
  const byLrn = new Map<string, ScoredAlert[]>();
  for (const alert of alerts) {
    if (severityRank(alert.severity) < floor) continue;
    const list = byLrn.get(alert.lrn);
    if (list) list.push(alert);
    else byLrn.set(alert.lrn, [alert]);
  }
  const instant = (alert: ScoredAlert) => Date.parse(detectTime === 'raised' ? alert.raisedAt : alert.observedAt);
  const outcomes: TruthOutcome[] = truth.map((line) => {
    const start = Date.parse(line.start);
    let first: ScoredAlert | undefined;
    for (const alert of byLrn.get(line.lrn) ?? []) {
      const at = instant(alert);
      if (at >= start && (!first || at < instant(first))) first = alert;
    }
    return {
      ...line,
      detected: first !== undefined,
      detectMinutes: first ? (instant(first) - start) / 60_000 : null,
      firstAlertType: first?.type ?? null,
    };
  });
  const byType = Object.fromEntries(
    EVASION_TYPES.map((type) => {
      const ofType = outcomes.filter((outcome) => outcome.evasion === type);
      const detected = ofType.filter((outcome) => outcome.detected);
      return [
        type,
        {
          n: ofType.length,
          recall: ofType.length === 0 ? 0 : round(detected.length / ofType.length, 4),
          medianDetectMinutes: round(median(detected.map((outcome) => outcome.detectMinutes!)), 1),
        },
      ];
    }),
  ) as Record<EvasionType, TypeScore>;
  const labelled = new Set(truth.map((line) => line.lrn));
  const medium = severityRank('medium');
  const alerted = new Set(alerts.filter((alert) => severityRank(alert.severity) >= medium).map((alert) => alert.lrn));
  const truePositives = [...alerted].filter((lrn) => labelled.has(lrn)).length;
  return {
    result: {
      byType,
      precision: alerted.size === 0 ? 0 : round(truePositives / alerted.size, 4),
      alertedMovements: alerted.size,
      movements,
    },
    outcomes,
  };
};

/** Tracking alerts in the store with the LRN of their movement (alerts not tied to a movement are ignored). */
export const loadTrackingAlerts = async (db: Db): Promise<{ alerts: ScoredAlert[]; movements: number }> => {
  const rows = await db.all<{ lrn: string; type: string; severity: string; observed_at: string; raised_at: string }>(
    `SELECT m.lrn AS lrn, a.type AS type, a.severity AS severity, a.observed_at AS observed_at, a.raised_at AS raised_at
       FROM alerts a JOIN movements m ON m.id = a.movement_id
      WHERE a.source = 'tracking'`,
  );
  const count = await db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM movements');
  return {
    alerts: rows
      .filter((row) => (ALERT_SEVERITIES as readonly string[]).includes(row.severity))
      .map((row) => ({ lrn: row.lrn, type: row.type, severity: row.severity as AlertSeverity, observedAt: row.observed_at, raisedAt: row.raised_at })),
    movements: Number(count?.n ?? 0),
  };
};
