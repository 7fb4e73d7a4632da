import { LngLatBounds, type Map as MapLibre } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { label, t } from '../i18n/index.js';
import { query } from '../lib/api.js';
import type { Alert, Movement, MovementEvent, Office, Page, Track } from '../lib/types.js';
import { useFetch } from '../lib/use-fetch.js';
import { corridorFeature, itineraryCodes, showSelection } from './selection-layers.js';
import { SeverityBadge, StateBadge } from './badges.js';

interface Props {
  movementId: string;
  map: MapLibre;
  offices: readonly Office[];
  onClose(): void;
}

/** The side panel of the live map: the clicked movement's route, track and open alerts. */
export const MovementPanel = ({ movementId, map, offices, onClose }: Props) => {
  const detail = useFetch<{ movement: Movement; events: MovementEvent[] }>(`/movements/${encodeURIComponent(movementId)}`);
  const track = useFetch<Track>(`/movements/${encodeURIComponent(movementId)}/track`);
  const alerts = useFetch<Page<Alert>>(`/alerts${query({ movementId, limit: 20 })}`);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    if (!detail.data) return;
    const corridor = corridorFeature(detail.data.movement.declaration, offices);
    showSelection(map, { corridor, track: track.data });
    const bounds = new LngLatBounds();
    for (const feature of corridor.features) if (feature.geometry.type === 'LineString') for (const c of feature.geometry.coordinates) bounds.extend(c as [number, number]);
    for (const p of track.data?.positions ?? []) bounds.extend([p.lon, p.lat]);
    if (!bounds.isEmpty()) map.fitBounds(bounds, { padding: 60, maxZoom: 9, duration: 400 });
  }, [map, offices, detail.data, track.data]);

  useEffect(() => () => showSelection(map, null), [map]);

  const movement = detail.data?.movement;
  const names = new Map(offices.map((office) => [office.code, office.name]));
  return (
    <aside className="panel" aria-labelledby="panel-title" data-testid="movement-panel">
      <div className="panel-head">
        <h2 id="panel-title" ref={heading} tabIndex={-1}>
          {movement ? movement.mrn ?? movement.lrn : t.app.loading}
        </h2>
        <button type="button" onClick={onClose} aria-label={t.map.close}>×</button>
      </div>
      {detail.error && <p role="alert" className="error">{detail.missing ? t.movement.notFound : detail.error.message}</p>}
      {movement && (
        <>
          <p>
            <StateBadge state={movement.state} /> {movement.overdue && <span className="badge badge-critical">{t.movement.overdue}</span>}
          </p>
          <dl className="facts">
            <dt>{t.movement.lrn}</dt>
            <dd>{movement.lrn}</dd>
            <dt>{t.map.corridor}</dt>
            <dd>{itineraryCodes(movement.declaration).map((code) => names.get(code) ?? code).join(' → ')}</dd>
            <dt>{t.map.track}</dt>
            <dd>
              {track.data
                ? t.map.trackSummary(track.data.positions.length, track.data.messages, track.data.sealEvents.length)
                : track.error
                  ? t.map.noTrack
                  : t.app.loading}
            </dd>
          </dl>
          <h3>{t.movement.alerts}</h3>
          {alerts.missing || alerts.error ? (
            <p className="muted">{t.app.notAvailable}</p>
          ) : alerts.data && alerts.data.items.length === 0 ? (
            <p className="muted">{t.map.noAlerts}</p>
          ) : (
            <ul className="alert-list">
              {alerts.data?.items.map((alert) => (
                <li key={alert.id}>
                  <SeverityBadge severity={alert.severity} /> {label(t.alertTypes, alert.type)} — {alert.title}
                </li>
              ))}
            </ul>
          )}
          <Link className="button primary" to={`/movements/${movement.id}`}>{t.map.openCase}</Link>
        </>
      )}
    </aside>
  );
};
