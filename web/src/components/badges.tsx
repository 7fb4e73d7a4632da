import { label, t } from '../i18n/index.js';
import { riskBand, riskLabel } from '../lib/risk.js';

export const StateBadge = ({ state }: { state: string }) => <span className={`badge state-${state}`}>{label(t.states, state)}</span>;

export const SeverityBadge = ({ severity }: { severity: string }) => <span className={`badge badge-${severity}`}>{label(t.severities, severity)}</span>;

export const RiskBadge = ({ score }: { score: number | null | undefined }) => {
  const band = riskBand(score);
  return (
    <span className={`badge badge-${band === 'unknown' ? 'unknown' : band}`} title={t.risk.label}>
      {score === null || score === undefined ? riskLabel(band) : `${Math.round(score)} · ${riskLabel(band)}`}
    </span>
  );
};
