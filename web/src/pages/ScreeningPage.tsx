import { useEffect, useState } from 'react';
import { label, t } from '../i18n/index.js';
import { ApiError, get, post, query } from '../lib/api.js';
import { can, useAuth } from '../lib/auth.js';

interface TokenPair {
  query: string;
  candidate: string;
  score: number;
  method: string;
}
interface Match {
  entityId: string;
  source: string;
  schema: string;
  name: string;
  score: number;
  explanation: {
    summary: string;
    matchedName: string;
    nameScore: number;
    tokens: TokenPair[];
    unmatchedQuery: string[];
    unmatchedCandidate: string[];
    adjustments: { reason?: string; delta?: number; [key: string]: unknown }[];
  };
}

/** Waits this long after the last keystroke before asking, so typing stays fluid. */
const DEBOUNCE_MS = 200;

const FalsePositive = ({ name, match }: { name: string; match: Match }) => {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [state, setState] = useState<string | null>(null);
  const submit = async () => {
    if (reason.trim() === '') {
      setState(t.decision.reasonRequired);
      return;
    }
    try {
      await post('/screening/false-positives', { name, entityId: match.entityId, reason: reason.trim() });
      setState(t.screening.marked);
      setOpen(false);
    } catch (caught) {
      setState(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  if (!open) {
    return (
      <>
        <button type="button" onClick={() => setOpen(true)}>{t.screening.markFalsePositive}</button>
        {state && <span role="status"> {state}</span>}
      </>
    );
  }
  const id = `fp-${match.entityId}`;
  return (
    <div className="fp-form">
      <label htmlFor={id}>{t.screening.falsePositiveReason}</label>
      <input id={id} value={reason} onChange={(event) => setReason(event.target.value)} autoFocus />
      <button type="button" className="primary" onClick={() => void submit()}>{t.screening.markFalsePositive}</button>
      {state && <span role="alert"> {state}</span>}
    </div>
  );
};

export const ScreeningPage = () => {
  const { user } = useAuth();
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (name.trim().length < 2) {
      setMatches(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setBusy(true);
      get<{ items: Match[] }>(`/screening/search${query({ name: name.trim(), country: country.trim().toUpperCase() })}`, controller.signal)
        .then((answer) => {
          setMatches(answer.items);
          setError(null);
        })
        .catch((caught: unknown) => {
          if (!controller.signal.aborted) setError(caught instanceof ApiError && caught.status === 404 ? t.app.notAvailable : caught instanceof Error ? caught.message : String(caught));
        })
        .finally(() => {
          if (!controller.signal.aborted) setBusy(false);
        });
    }, DEBOUNCE_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [name, country]);

  return (
    <section aria-labelledby="screening-title" className="screening">
      <h1 id="screening-title">{t.screening.title}</h1>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t.screening.name}
          <input type="search" value={name} onChange={(event) => setName(event.target.value)} aria-describedby="name-help" size={40} autoFocus lang="" />
        </label>
        <label>
          {t.screening.country}
          <input value={country} onChange={(event) => setCountry(event.target.value)} maxLength={2} size={4} />
        </label>
      </form>
      <p id="name-help" className="muted small">{t.screening.nameHelp}</p>
      <div aria-live="polite" aria-busy={busy}>
        {busy && <p className="muted">{t.screening.typing}</p>}
        {error && <p role="alert" className="error">{error}</p>}
        {matches && matches.length === 0 && <p>{t.screening.none}</p>}
        {matches && matches.length > 0 && (
          <ol className="candidates" data-testid="candidates">
            {matches.map((match) => (
              <li key={`${match.source}:${match.entityId}`} className="card">
                <div className="candidate-head">
                  <strong>{match.name}</strong>
                  <span className="badge">{match.schema}</span>
                  <span className="badge">{t.screening.list}: {match.source}</span>
                  <span className="score" aria-label={t.screening.score}>{match.score.toFixed(2)}</span>
                </div>
                <p>{match.explanation.summary}</p>
                <details>
                  <summary>{t.screening.explanation}</summary>
                  <table className="grid">
                    <tbody>
                      {match.explanation.tokens.map((pair, index) => (
                        <tr key={index}>
                          <td>{pair.query}</td>
                          <td>{pair.candidate}</td>
                          <td>{pair.score.toFixed(2)}</td>
                          <td>{pair.method}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {match.explanation.adjustments.map((adjustment, index) => (
                    <p key={index} className="small">{String(adjustment.reason ?? label({}, JSON.stringify(adjustment)))} {typeof adjustment.delta === 'number' ? adjustment.delta.toFixed(2) : ''}</p>
                  ))}
                </details>
                {can(user, 'screening-review') && <FalsePositive name={name.trim()} match={match} />}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
};
