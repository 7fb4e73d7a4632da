export const CASE_OUTCOMES = ['release', 'inspect', 'hold', 'seize', 'refer', 'false_positive'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export const CASE_STATUSES = ['open', 'decided'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * How long a case may stay open, by what it is about. A lorry on the road or a listed party cannot wait
 * for tomorrow; a value anomaly can. The type is the most urgent source among the case's alerts.
 */
export const CASE_DEADLINE_HOURS = { tracking: 2, screening: 4, goods: 12, movements: 24, payments: 24 } as const;
export type CaseType = keyof typeof CASE_DEADLINE_HOURS;

export const caseTypeFor = (sources: readonly string[]): CaseType => {
  const known = sources.filter((source): source is CaseType => source in CASE_DEADLINE_HOURS);
  return known.sort((a, b) => CASE_DEADLINE_HOURS[a] - CASE_DEADLINE_HOURS[b])[0] ?? 'movements';
};

/** What a decision does to the case's alerts: closed with an outcome, or kept in review while the goods are stopped. */
export const ALERT_EFFECT: Record<CaseOutcome, { status: 'closed' | 'in_review'; outcome: string | null }> = {
  release: { status: 'closed', outcome: 'released' },
  inspect: { status: 'in_review', outcome: null },
  hold: { status: 'in_review', outcome: null },
  seize: { status: 'closed', outcome: 'seized' },
  refer: { status: 'closed', outcome: 'referred' },
  false_positive: { status: 'closed', outcome: 'false_positive' },
};

export interface CaseComment {
  id: string;
  author: string;
  text: string;
  createdAt: string;
}

export interface Case {
  id: string;
  movementId: string;
  type: CaseType;
  status: CaseStatus;
  alertIds: string[];
  assignee: string | null;
  dueAt: string;
  overdue: boolean;
  decision: { outcome: CaseOutcome; reason: string; decidedBy: string; decidedAt: string } | null;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}
