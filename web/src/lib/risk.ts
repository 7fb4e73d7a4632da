import { t } from '../i18n/index.js';

export type RiskBand = 'low' | 'medium' | 'high' | 'critical' | 'unknown';

/** Colours chosen to stay distinguishable for common colour-vision deficiencies and on the pale map. */
export const RISK_COLOURS: Record<RiskBand, string> = {
  low: '#2b8a3e',
  medium: '#e8a200',
  high: '#d9480f',
  critical: '#a4133c',
  unknown: '#5c6f82',
};

/** Risk scores are 0–100; the bands match the severities alerts use. */
export const riskBand = (score: number | null | undefined): RiskBand => {
  if (score === null || score === undefined || Number.isNaN(score)) return 'unknown';
  if (score >= 80) return 'critical';
  if (score >= 60) return 'high';
  if (score >= 30) return 'medium';
  return 'low';
};

export const riskLabel = (band: RiskBand): string => t.risk[band];
