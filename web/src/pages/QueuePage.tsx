import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { RiskBadge, SeverityBadge } from '../components/badges.js';
import { label, t } from '../i18n/index.js';
import { ApiError, post, query } from '../lib/api.js';
import { can, useAuth } from '../lib/auth.js';
import { useLive } from '../lib/live.js';
import type { Alert, Office, Page } from '../lib/types.js';
import { useFetch } from '../lib/use-fetch.js';

const AGES = { any: null, hour: 1, day: 24, week: 24 * 7, older: -24 * 7 } as const;
type Age = keyof typeof AGES;

interface Filters {
  office: string;
  type: string;
  severity: string;
  corridor: string;
  age: Age;
  sort: 'risk' | 'age';
}

const ageParams = (age: Age, now: number): { raisedFrom?: string; raisedTo?: string } => {
  const hours = AGES[age];
  if (hours === null) return {};
  const bound = new Date(now - Math.abs(hours) * 3_600_000).toISOString();
  return hours > 0 ? { raisedFrom: bound } : { raisedTo: bound };
};

const relative = (iso: string, now: number): string => {
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
};

export const QueuePage = () => {
  const { user } = useAuth();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({ office: '', type: '', severity: '', corridor: '', age: 'any', sort: 'risk' });
  const [now, setNow] = useState(() => Date.now());
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [assignee, setAssignee] = useState(user?.username ?? '');
  const [message, setMessage] = useState<string | null>(null);
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);

  const offices = useFetch<Page<Office>>('/offices');
  const [corridorsSeen, setCorridorsSeen] = useState<string[]>([]);
  const path = useMemo(
    () =>
      `/alerts${query({
        status: 'open',
        office: filters.office,
        type: filters.type,
        severity: filters.severity,
        corridor: filters.corridor,
        sort: filters.sort,
        limit: 200,
        ...ageParams(filters.age, now),
      })}`,
    [filters, now],
  );
  const alerts = useFetch<Page<Alert>>(path);
  const items = alerts.data?.items ?? [];

  // Routes (departure office > destination country) are offered as they appear in the queue.
  useEffect(() => {
    const found = items.map((alert) => alert.corridor).filter((value): value is string => typeof value === 'string' && value !== '');
    setCorridorsSeen((current) => {
      const next = [...new Set([...current, ...found])].sort();
      return next.length === current.length ? current : next;
    });
  }, [items]);

  useLive((event) => {
    if (event.topic === 'alert' || event.topic === 'case') setNow(Date.now());
  });

  useEffect(() => {
    setActive((index) => Math.min(index, Math.max(0, items.length - 1)));
  }, [items.length]);

  const setFilter = <K extends keyof Filters>(key: K, value: Filters[K]) => {
    setFilters((current) => ({ ...current, [key]: value }));
    setSelected(new Set());
    setActive(0);
    setNow(Date.now());
  };

  const toggle = useCallback((id: string) => {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const open = (alert: Alert | undefined) => {
    if (alert?.movementId) navigate(`/movements/${alert.movementId}?alert=${alert.id}`);
  };

  const move = (index: number) => {
    const bounded = Math.max(0, Math.min(items.length - 1, index));
    setActive(bounded);
    rows.current[bounded]?.focus();
  };

  const onKey = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    if (event.target instanceof HTMLInputElement && event.key !== 'Enter') return;
    if (event.key === 'j' || event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'k' || event.key === 'ArrowUp') move(active - 1);
    else if (event.key === 'x' || event.key === ' ') {
      const alert = items[active];
      if (alert) toggle(alert.id);
    } else if (event.key === 'Enter') open(items[active]);
    else return;
    event.preventDefault();
  };

  const assign = async () => {
    setMessage(null);
    try {
      await post('/alerts/assign', { ids: [...selected], assignee });
      setMessage(`${t.alerts.assigned}: ${selected.size} → ${assignee}`);
      setSelected(new Set());
      alerts.reload();
    } catch (caught) {
      setMessage(caught instanceof ApiError ? caught.message : String(caught));
    }
  };

  const allSelected = items.length > 0 && items.every((alert) => selected.has(alert.id));

  return (
    <section aria-labelledby="queue-title" className="queue">
      <h1 id="queue-title">{t.alerts.title}</h1>
      <form className="filters" aria-label={t.alerts.filters} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t.alerts.office}
          <select value={filters.office} onChange={(event) => setFilter('office', event.target.value)}>
            <option value="">{t.alerts.any}</option>
            {(offices.data?.items ?? []).map((office) => (
              <option key={office.code} value={office.code}>{office.name} ({office.code})</option>
            ))}
          </select>
        </label>
        <label>
          {t.alerts.type}
          <select value={filters.type} onChange={(event) => setFilter('type', event.target.value)}>
            <option value="">{t.alerts.any}</option>
            {Object.entries(t.alertTypes).map(([value, text]) => (
              <option key={value} value={value}>{text}</option>
            ))}
          </select>
        </label>
        <label>
          {t.alerts.severity}
          <select value={filters.severity} onChange={(event) => setFilter('severity', event.target.value)}>
            <option value="">{t.alerts.any}</option>
            {['critical', 'high', 'medium', 'low'].map((value) => (
              <option key={value} value={value}>{label(t.severities, value)}</option>
            ))}
          </select>
        </label>
        <label>
          {t.alerts.corridor}
          <select value={filters.corridor} onChange={(event) => setFilter('corridor', event.target.value)}>
            <option value="">{t.alerts.any}</option>
            {corridorsSeen.map((id) => (
              <option key={id} value={id}>{id}</option>
            ))}
          </select>
        </label>
        <label>
          {t.alerts.age}
          <select value={filters.age} onChange={(event) => setFilter('age', event.target.value as Age)}>
            <option value="any">{t.alerts.ageAny}</option>
            <option value="hour">{t.alerts.ageHour}</option>
            <option value="day">{t.alerts.ageDay}</option>
            <option value="week">{t.alerts.ageWeek}</option>
            <option value="older">{t.alerts.ageOlder}</option>
          </select>
        </label>
        <label>
          {t.alerts.sort}
          <select value={filters.sort} onChange={(event) => setFilter('sort', event.target.value as Filters['sort'])}>
            <option value="risk">{t.alerts.sortByRisk}</option>
            <option value="age">{t.alerts.sortByTime}</option>
          </select>
        </label>
      </form>

      {can(user, 'assign') && (
        <div className="bulk" role="group" aria-label={t.alerts.assign}>
          <span>
            {selected.size} {t.alerts.selected}
          </span>
          <label htmlFor="assignee">{t.alerts.assignTo}</label>
          <input id="assignee" value={assignee} onChange={(event) => setAssignee(event.target.value)} />
          <button type="button" className="primary" disabled={selected.size === 0 || assignee.trim() === ''} onClick={() => void assign()}>
            {t.alerts.assign}
          </button>
          {message && <span role="status">{message}</span>}
        </div>
      )}
      <p className="muted small">{t.alerts.keyboard}</p>

      {alerts.error && <p role="alert" className="error">{alerts.missing ? t.app.notAvailable : alerts.error.message}</p>}
      <div className="table-wrap">
        <table className="grid" aria-busy={alerts.loading}>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t.alerts.selectAll}
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((alert) => alert.id)))}
                />
              </th>
              <th scope="col">{t.risk.label}</th>
              <th scope="col">{t.alerts.severity}</th>
              <th scope="col">{t.alerts.type}</th>
              <th scope="col">{t.alerts.summary}</th>
              <th scope="col">{t.alerts.corridor}</th>
              <th scope="col">{t.alerts.assignee}</th>
              <th scope="col">{t.alerts.age}</th>
            </tr>
          </thead>
          <tbody onKeyDown={onKey} data-testid="queue-rows">
            {items.map((alert, index) => (
              <tr
                key={alert.id}
                ref={(element) => {
                  rows.current[index] = element;
                }}
                tabIndex={index === active ? 0 : -1}
                aria-selected={selected.has(alert.id)}
                className={index === active ? 'active' : undefined}
                onFocus={() => setActive(index)}
                onDoubleClick={() => open(alert)}
              >
                <td>
                  <input type="checkbox" tabIndex={-1} aria-label={`${t.alerts.select} ${alert.title}`} checked={selected.has(alert.id)} onChange={() => toggle(alert.id)} />
                </td>
                <td><RiskBadge score={alert.risk ?? null} /></td>
                <td><SeverityBadge severity={alert.severity} /></td>
                <td>{label(t.alertTypes, alert.type)}</td>
                <td>
                  {alert.movementId ? (
                    <a href={`/movements/${alert.movementId}?alert=${alert.id}`} tabIndex={-1} onClick={(event) => { event.preventDefault(); open(alert); }}>
                      {alert.title}
                    </a>
                  ) : (
                    alert.title
                  )}
                </td>
                <td>{alert.corridor ?? '—'}</td>
                <td>{alert.assignee ?? '—'}</td>
                <td>{relative(alert.raisedAt ?? alert.observedAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!alerts.loading && !alerts.error && items.length === 0 && <p className="muted">{t.alerts.empty}</p>}
      </div>
    </section>
  );
};
