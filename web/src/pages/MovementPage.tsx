import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { RiskBadge, SeverityBadge, StateBadge } from '../components/badges.js';
import { Evidence } from '../components/Evidence.js';
import { label, t } from '../i18n/index.js';
import { ApiError, post, query } from '../lib/api.js';
import { can, useAuth } from '../lib/auth.js';
import { useLive } from '../lib/live.js';
import type { Alert, Declaration, Movement, MovementEvent, Office, Page, Party, Track } from '../lib/types.js';
import { useFetch } from '../lib/use-fetch.js';

const TrackMap = lazy(() => import('../components/TrackMap.js').then((module) => ({ default: module.TrackMap })));

interface RiskFactor {
  alertId: string;
  type: string;
  severity: string;
  title: string;
  weight: number;
  severityFactor: number;
  points: number;
  contribution: number;
}
interface Risk {
  score: number;
  outcome: string;
  rulesVersion: number;
  factors: RiskFactor[];
}
interface Case {
  id: string;
  movementId: string;
  type: string;
  status: 'open' | 'decided';
  alertIds: string[];
  dueAt: string;
  overdue: boolean;
  decision: { outcome: string; reason: string; decidedBy: string; decidedAt: string } | null;
  version: number;
}
interface GoodsCheck {
  itemIndex: number;
  hits: { list: string; entry: string; tier: string; reason: string; prohibitedFor: string[] }[];
  hints: { kind: string; message: string; suggestedCodes?: { hs6: string; description: string; controlled: string | null }[] }[];
}

const PARTY_ROLES = ['consignor', 'consignee', 'holderOfTheTransitProcedure', 'carrier', 'declarant'] as const;
const OUTCOMES = ['release', 'inspect', 'hold', 'seize', 'refer', 'false_positive'] as const;

const fmt = (iso: string | null | undefined): string => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');

/** Goods alerts about one item: its own hints, and the movement's list alerts naming it among theirs. */
const itemAlerts = (alerts: readonly Alert[], index: number): Alert[] =>
  alerts.filter((alert) => {
    const named = alert.evidence['itemIndexes'];
    return alert.source === 'goods' && (alert.itemIndex === index || (Array.isArray(named) && named.includes(index)));
  });

const partyAlerts = (alerts: readonly Alert[], role: string, party: Party): Alert[] =>
  alerts.filter(
    (alert) =>
      alert.type === 'screening.hit' &&
      (alert.evidence['role'] === role || alert.evidence['partyRole'] === role || alert.evidence['partyName'] === party.name || alert.evidence['queryName'] === party.name),
  );

interface PartyScreening {
  role: string;
  skipped: string | null;
  screenedAt: string;
}

/** What the stored screening says of a party that has no open hit: still queued, not screenable, or clear. */
const NoHit = ({ role, screening }: { role: string; screening: { pending: boolean; parties: PartyScreening[] } | null }) => {
  const result = screening?.parties.find((party) => party.role === role);
  if (screening?.pending) return <p className="muted">{t.movement.screeningPending}</p>;
  if (result?.skipped) return <p className="muted">{t.movement.notScreened}: {result.skipped}</p>;
  return (
    <p className="muted">
      {t.movement.noHit}
      {result ? ` · ${t.movement.screenedAt} ${fmt(result.screenedAt)}` : ''}
    </p>
  );
};

const Parties = ({
  declaration,
  alerts,
  screening,
}: {
  declaration: Declaration;
  alerts: readonly Alert[];
  screening: { pending: boolean; parties: PartyScreening[] } | null;
}) => (
  <section aria-labelledby="parties-title" className="card">
    <h2 id="parties-title">{t.movement.parties}</h2>
    <div className="parties">
      {PARTY_ROLES.map((role) => {
        const party = declaration[role];
        if (!party) return null;
        const hits = partyAlerts(alerts, role, party);
        return (
          <article key={role} className={`party ${hits.length > 0 ? 'party-hit' : ''}`} aria-label={`${label(t.roleNames, role)}: ${party.name}`}>
            <div>
              <h3>{label(t.roleNames, role)}</h3>
              <p className="party-name">{party.name}</p>
              <p className="muted small">
                {[party.identificationNumber, party.address?.city, party.address?.country].filter(Boolean).join(' · ')}
              </p>
            </div>
            <div className="screening-result">
              <h4>{t.movement.screening}</h4>
              {hits.length === 0 ? (
                <NoHit role={role} screening={screening} />
              ) : (
                hits.map((alert) => (
                  <div key={alert.id} className="hit">
                    <p>
                      <SeverityBadge severity={alert.severity} /> <strong>{alert.title}</strong> · {t.screening.score} {alert.score.toFixed(2)}
                    </p>
                    {typeof alert.evidence['summary'] === 'string' && <p>{alert.evidence['summary']}</p>}
                    <details>
                      <summary>{t.screening.explanation}</summary>
                      <Evidence evidence={alert.evidence} skip={['summary']} />
                    </details>
                  </div>
                ))
              )}
            </div>
          </article>
        );
      })}
    </div>
  </section>
);

const Goods = ({ declaration, movementId, alerts }: { declaration: Declaration; movementId: string; alerts: readonly Alert[] }) => {
  const checks = useFetch<{ items: GoodsCheck[] }>(`/movements/${movementId}/goods`);
  const byItem = new Map((checks.data?.items ?? []).map((check) => [check.itemIndex, check]));
  return (
    <section aria-labelledby="goods-title" className="card">
      <h2 id="goods-title">{t.movement.goods}</h2>
      <div className="table-wrap">
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t.movement.hs}</th>
              <th scope="col">{t.movement.description}</th>
              <th scope="col">{t.movement.mass}</th>
              <th scope="col">{t.movement.value}</th>
              <th scope="col">{t.movement.origin}</th>
              <th scope="col">{t.movement.controlHits}</th>
              <th scope="col">{t.movement.hints}</th>
            </tr>
          </thead>
          <tbody>
            {declaration.goodsItems.map((item, index) => {
              const flagged = itemAlerts(alerts, index);
              const check = byItem.get(index);
              return (
                <tr key={index} className={flagged.length > 0 ? 'row-flag' : undefined}>
                  <td>{index + 1}</td>
                  <td><code>{item.hsCode}</code></td>
                  <td>{item.description}</td>
                  <td>{item.grossMass ?? '—'} / {item.netMass ?? '—'}</td>
                  <td>{item.value ? `${item.value.amount.toLocaleString('en')} ${item.value.currency}` : '—'}</td>
                  <td>{item.countryOfOrigin ?? '—'}</td>
                  <td>
                    {(check?.hits ?? []).map((hit, i) => (
                      <p key={i}>
                        <strong>{hit.list}</strong> {hit.entry} ({hit.tier}) — {hit.reason}
                        {hit.prohibitedFor.length > 0 && <span className="badge badge-critical"> {t.movement.prohibitedFor} {hit.prohibitedFor.join(', ')}</span>}
                      </p>
                    ))}
                    {flagged.filter((alert) => alert.type !== 'goods.misdeclared').map((alert) => (
                      <p key={alert.id}><SeverityBadge severity={alert.severity} /> {alert.title}</p>
                    ))}
                  </td>
                  <td>
                    {(check?.hints ?? []).map((hint, i) => (
                      <div key={i}>
                        <p>{hint.message}</p>
                        {hint.suggestedCodes && hint.suggestedCodes.length > 0 && (
                          <ul className="small">
                            {hint.suggestedCodes.map((code) => (
                              <li key={code.hs6}>
                                <code>{code.hs6}</code> {code.description}
                                {code.controlled && <span className="badge badge-high"> {code.controlled}</span>}
                              </li>
                            ))}
                          </ul>
                        )}
                      </div>
                    ))}
                    {(check?.hints ?? []).length === 0 &&
                      flagged.filter((alert) => alert.type === 'goods.misdeclared').map((alert) => <p key={alert.id}>{alert.title}</p>)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
};

const Timeline = ({ events, names }: { events: readonly MovementEvent[]; names: Map<string, string> }) => (
  <section aria-labelledby="timeline-title" className="card">
    <h2 id="timeline-title">{t.movement.timeline}</h2>
    <ol className="timeline">
      {events.map((event) => (
        <li key={event.id} className={`timeline-${event.outcome}`}>
          <time dateTime={event.time}>{fmt(event.time)}</time>
          <span>
            <strong>{label(t.states, event.type)}</strong>
            {event.office && ` · ${names.get(event.office) ?? event.office}`}
            {event.outcome === 'refused' && <span className="badge badge-high"> {t.movement.refused}: {event.refusalReason}</span>}
            {event.note && <span className="muted"> — {event.note}</span>}
          </span>
          <span className="muted small">{event.actor}</span>
        </li>
      ))}
    </ol>
  </section>
);

const RiskBreakdown = ({ movementId }: { movementId: string }) => {
  const risk = useFetch<Risk>(`/movements/${movementId}/risk`);
  return (
    <section aria-labelledby="risk-title" className="card">
      <h2 id="risk-title">{t.risk.breakdown}</h2>
      {risk.error ? (
        <p className="muted">{risk.missing ? t.app.notAvailable : risk.error.message}</p>
      ) : risk.data ? (
        <>
          <p>
            <RiskBadge score={risk.data.score} /> {label(t.riskOutcomes, risk.data.outcome)} · {t.risk.rules} v{risk.data.rulesVersion}
          </p>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t.risk.factor}</th>
                <th scope="col">{t.alerts.severity}</th>
                <th scope="col">{t.risk.weight}</th>
                <th scope="col">{t.risk.contribution}</th>
              </tr>
            </thead>
            <tbody>
              {risk.data.factors.map((factor) => (
                <tr key={factor.alertId}>
                  <td>{label(t.alertTypes, factor.type)} — {factor.title}</td>
                  <td><SeverityBadge severity={factor.severity} /></td>
                  <td>{factor.weight} × {factor.severityFactor}</td>
                  <td>
                    <span className="bar" style={{ width: `${Math.min(100, Math.max(0, factor.contribution))}%` }} /> {factor.contribution.toFixed(1)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p>{t.app.loading}</p>
      )}
    </section>
  );
};

const DecisionForm = ({ movementId, alertIds, onDecided }: { movementId: string; alertIds: string[]; onDecided(): void }) => {
  const { user } = useAuth();
  const cases = useFetch<Page<Case>>(`/cases${query({ movementId })}`);
  const [outcome, setOutcome] = useState<string>(OUTCOMES[0]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const current = cases.data?.items[0];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (reason.trim() === '') {
      setError(t.decision.reasonRequired);
      return;
    }
    setBusy(true);
    try {
      const target = current && current.status === 'open' ? current : await post<Case>('/cases', { movementId, alertIds });
      await post(`/cases/${target.id}/decision`, { outcome, reason: reason.trim(), version: target.version });
      setDone(`${t.decision.recorded}: ${label(t.outcomes, outcome)}`);
      setReason('');
      cases.reload();
      onDecided();
    } catch (caught) {
      setError(caught instanceof ApiError ? [caught.message, ...(caught.problem.errors ?? []).map((issue) => `${issue.path}: ${issue.message}`)].join(' — ') : String(caught));
    } finally {
      setBusy(false);
    }
  };

  const decisions = (cases.data?.items ?? []).flatMap((item) => (item.decision ? [item.decision] : []));
  return (
    <section aria-labelledby="decision-title" className="card decision">
      <h2 id="decision-title">{t.decision.title}</h2>
      {current && (
        <p className="muted">
          {t.decision.case} {current.id} · {current.status} · {t.decision.due} {fmt(current.dueAt)}
          {current.overdue && <span className="badge badge-critical"> {t.movement.overdue}</span>}
        </p>
      )}
      {decisions.length > 0 && (
        <ul>
          {decisions.map((decision, index) => (
            <li key={index}>
              <strong>{label(t.outcomes, decision.outcome)}</strong> — {decision.reason} <span className="muted">{decision.decidedBy} {fmt(decision.decidedAt)}</span>
            </li>
          ))}
        </ul>
      )}
      {!can(user, 'decide') ? (
        <p className="muted">{t.decision.notAllowed}</p>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <fieldset>
            <legend>{t.decision.outcome}</legend>
            {OUTCOMES.map((value) => (
              <label key={value} className="radio">
                <input type="radio" name="outcome" value={value} checked={outcome === value} onChange={() => setOutcome(value)} /> {label(t.outcomes, value)}
              </label>
            ))}
          </fieldset>
          <label htmlFor="reason">{t.decision.reason}</label>
          <textarea
            id="reason"
            rows={3}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            aria-describedby="reason-help"
            aria-invalid={error === t.decision.reasonRequired}
            required
          />
          <p id="reason-help" className="muted small">{t.decision.reasonHelp}</p>
          {error && <p role="alert" className="error">{error}</p>}
          {done && <p role="status" className="ok">{done}</p>}
          <button type="submit" className="primary" disabled={busy}>{busy ? t.decision.submitting : t.decision.submit}</button>
        </form>
      )}
    </section>
  );
};

export const MovementPage = () => {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const focusAlert = search.get('alert');
  const detail = useFetch<{ movement: Movement; events: MovementEvent[] }>(`/movements/${encodeURIComponent(id)}`);
  const movementId = detail.data?.movement.id ?? null;
  const track = useFetch<Track>(movementId ? `/movements/${movementId}/track` : null);
  const alerts = useFetch<Page<Alert>>(movementId ? `/alerts${query({ movementId, limit: 200 })}` : null);
  const screening = useFetch<{ pending: boolean; parties: PartyScreening[] }>(movementId ? `/movements/${movementId}/screening` : null);
  const offices = useFetch<Page<Office>>('/offices');

  useLive((event) => {
    if (!movementId) return;
    if ((event.topic === 'movement' || event.topic === 'case') && (event.id === movementId || event.data['movementId'] === movementId)) detail.reload();
    if (event.topic === 'alert' && event.data['movementId'] === movementId) alerts.reload();
  });

  if (detail.error) return <p role="alert" className="error">{detail.missing ? t.movement.notFound : detail.error.message}</p>;
  if (!detail.data) return <p>{t.app.loading}</p>;
  const { movement, events } = detail.data;
  const declaration = movement.declaration;
  const names = new Map((offices.data?.items ?? []).map((office) => [office.code, office.name]));
  const office = (code: string) => `${names.get(code) ?? code} (${code})`;
  const alertItems = alerts.data?.items ?? [];
  const held = movement.state === 'held';

  return (
    <article className="movement" aria-labelledby="movement-title">
      <header className={`movement-head ${held ? 'is-held' : ''}`}>
        <h1 id="movement-title">
          {t.movement.title} {movement.mrn ?? movement.lrn}
        </h1>
        <StateBadge state={movement.state} />
        {movement.overdue && <span className="badge badge-critical">{t.movement.overdue}</span>}
        {held && (
          <p className="hold-banner" role="status" data-testid="hold-banner">
            <strong>{t.movement.held}</strong> {t.movement.holdNotice}
          </p>
        )}
      </header>

      <div className="movement-grid">
        <section aria-labelledby="declaration-title" className="card">
          <h2 id="declaration-title">{t.movement.declaration}</h2>
          <dl className="facts">
            <dt>{t.movement.lrn}</dt><dd>{movement.lrn}</dd>
            <dt>{t.movement.mrn}</dt><dd>{movement.mrn ?? '—'}</dd>
            <dt>{t.movement.type}</dt><dd>{declaration.declarationType}</dd>
            <dt>{t.movement.declared}</dt><dd>{fmt(movement.declaredAt)}</dd>
            <dt>{t.movement.limit}</dt><dd>{movement.limitDate ?? '—'}</dd>
            <dt>{t.movement.departure}</dt><dd>{office(declaration.officeOfDeparture)}</dd>
            <dt>{t.movement.transit}</dt><dd>{declaration.officesOfTransit.map(office).join(', ') || '—'}</dd>
            <dt>{t.movement.exit}</dt><dd>{declaration.officesOfExit.map(office).join(', ') || '—'}</dd>
            <dt>{t.movement.destination}</dt><dd>{office(declaration.officeOfDestination)}</dd>
            <dt>{t.movement.routing}</dt><dd>{declaration.countriesOfRouting.join(' → ')}</dd>
            <dt>{t.movement.transport}</dt><dd>{(declaration.transportMeans ?? []).map((means) => `${means.identification} ${means.nationality ?? ''}`).join(', ') || '—'}</dd>
            <dt>{t.movement.seals}</dt>
            <dd>{(declaration.transportEquipment ?? []).flatMap((equipment) => (equipment.seals ?? []).map((seal) => seal.identifier)).join(', ') || '—'}</dd>
            <dt>{t.movement.guarantee}</dt>
            <dd>{declaration.guarantee ? `${declaration.guarantee.amount ?? ''} ${declaration.guarantee.currency ?? ''} (${declaration.guarantee.reference ?? declaration.guarantee.type})` : '—'}</dd>
          </dl>
        </section>
        <RiskBreakdown movementId={movement.id} />
      </div>

      <section aria-labelledby="alerts-title" className="card">
        <h2 id="alerts-title">{t.movement.alerts}</h2>
        {alerts.error ? (
          <p className="muted">{alerts.missing ? t.app.notAvailable : alerts.error.message}</p>
        ) : alertItems.length === 0 ? (
          <p className="muted">{t.map.noAlerts}</p>
        ) : (
          <ul className="alert-cards">
            {alertItems.map((alert) => (
              <li key={alert.id} className={alert.id === focusAlert ? 'focused' : undefined}>
                <SeverityBadge severity={alert.severity} /> <strong>{label(t.alertTypes, alert.type)}</strong> — {alert.title}{' '}
                <span className="muted small">{fmt(alert.observedAt)} · {alert.status}</span>
                <details open={alert.id === focusAlert}>
                  <summary>{t.alerts.evidence}</summary>
                  <Evidence evidence={alert.evidence} />
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>

      <Parties declaration={declaration} alerts={alertItems} screening={screening.data ?? null} />
      <Goods declaration={declaration} movementId={movement.id} alerts={alertItems} />

      <div className="movement-grid">
        <Timeline events={events} names={names} />
        <section aria-labelledby="track-title" className="card">
          <h2 id="track-title">{t.map.track}</h2>
          {track.error && <p className="muted">{t.map.noTrack}</p>}
          <Suspense fallback={<p>{t.app.loading}</p>}>
            <TrackMap declaration={declaration} track={track.data} />
          </Suspense>
        </section>
      </div>

      <DecisionForm movementId={movement.id} alertIds={alertItems.filter((alert) => alert.status !== 'closed').map((alert) => alert.id)} onDecided={() => { detail.reload(); alerts.reload(); }} />
    </article>
  );
};
