import { z } from 'zod';

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['new', 'in_review', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_SOURCES = ['screening', 'goods', 'tracking', 'movements', 'payments'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

/** What a rule found, before it is an alert: everything the rule knows, nothing about workflow. */
export interface Finding {
  /** Stable across re-detections of the same finding: the same key updates the same alert. */
  dedupKey: string;
  /** Dotted, source first: `screening.hit`, `goods.controlled`, `tracking.route_deviation`. */
  type: string;
  source: AlertSource;
  rule: string;
  ruleVersion: string;
  severity: AlertSeverity;
  /** The rule's confidence or strength in [0, 1]. */
  score: number;
  /** One line an officer reads in the queue. */
  title: string;
  movementId?: string | null;
  partyKey?: string | null;
  itemIndex?: number | null;
  deviceId?: string | null;
  /** Everything that justifies the finding: fixes, distances, matched tokens, list versions. */
  evidence: Record<string, unknown>;
  /**
   * How many findings of its rule this one gathers (default 1): a goods alert naming three prohibited items
   * gathers three, and the movement's risk counts each as it would count an alert of its own.
   */
  findingCount?: number;
  /** When the data that triggered the finding happened (a fix's time, a list version's import time). */
  observedAt: string;
}

export interface Alert extends Required<Omit<Finding, 'movementId' | 'partyKey' | 'itemIndex' | 'deviceId'>> {
  id: string;
  movementId: string | null;
  partyKey: string | null;
  itemIndex: number | null;
  deviceId: string | null;
  status: AlertStatus;
  outcome: string | null;
  /** When Caravan first raised it; with `observedAt` this gives the time to detect. */
  raisedAt: string;
  updatedAt: string;
  occurrences: number;
}

export const severityRank = (severity: AlertSeverity): number => ALERT_SEVERITIES.indexOf(severity);

export const alertSchema = z.object({
  id: z.string(),
  dedupKey: z.string(),
  type: z.string(),
  source: z.enum(ALERT_SOURCES),
  rule: z.string(),
  ruleVersion: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  score: z.number(),
  title: z.string(),
  movementId: z.string().nullable(),
  partyKey: z.string().nullable(),
  itemIndex: z.number().nullable(),
  deviceId: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()),
  findingCount: z.number(),
  status: z.enum(ALERT_STATUSES),
  outcome: z.string().nullable(),
  observedAt: z.string(),
  raisedAt: z.string(),
  updatedAt: z.string(),
  occurrences: z.number(),
});
