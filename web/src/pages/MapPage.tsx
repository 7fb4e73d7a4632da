import * as maplibregl from 'maplibre-gl';
import { type GeoJSONSource, type Map as MapLibre } from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { setData, useBaseMap } from '../components/BaseMap.js';
import { MovementPanel } from '../components/MovementPanel.js';
import { t } from '../i18n/index.js';
import { get, query } from '../lib/api.js';
import { useLive } from '../lib/live.js';
import { RISK_COLOURS } from '../lib/risk.js';
import type { Alert, Office, Page, Position } from '../lib/types.js';
import { addSelectionLayers } from '../components/selection-layers.js';

const riskColour: maplibregl.ExpressionSpecification = [
  'step',
  ['coalesce', ['get', 'risk'], -1],
  RISK_COLOURS.unknown,
  0,
  RISK_COLOURS.low,
  30,
  RISK_COLOURS.medium,
  60,
  RISK_COLOURS.high,
  80,
  RISK_COLOURS.critical,
];

/** Risk of the movements with open alerts; `rest` is what every other movement scores (0 when the list was complete). */
interface RiskTable {
  byMovement: Map<string, number>;
  rest: number | null;
}

/** Open alerts, riskiest first; one page covers the movements that matter most on the map. */
const RISK_PAGE = 500;

const toFeatures = (positions: Iterable<Position>, risks: RiskTable): GeoJSON.FeatureCollection<GeoJSON.Point> => {
  const features: GeoJSON.Feature<GeoJSON.Point>[] = [];
  for (const position of positions) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [position.lon, position.lat] },
      properties: { id: position.movementId, lrn: position.lrn, risk: risks.byMovement.get(position.movementId) ?? position.risk ?? risks.rest },
    });
  }
  return { type: 'FeatureCollection', features };
};

/** Clusters are counted in HTML because the map has no glyph files to draw text with. */
const syncClusterLabels = (map: MapLibre, markers: Map<number, maplibregl.Marker>): void => {
  const seen = new Set<number>();
  for (const feature of map.querySourceFeatures('movements', { filter: ['has', 'point_count'] })) {
    const id = feature.properties['cluster_id'] as number;
    if (seen.has(id) || feature.geometry.type !== 'Point') continue;
    seen.add(id);
    if (!markers.has(id)) {
      const element = document.createElement('span');
      element.className = 'cluster-label';
      element.textContent = String(feature.properties['point_count_abbreviated'] ?? feature.properties['point_count']);
      element.setAttribute('aria-hidden', 'true');
      markers.set(id, new maplibregl.Marker({ element }).setLngLat(feature.geometry.coordinates as [number, number]).addTo(map));
    }
  }
  for (const [id, marker] of markers) {
    if (!seen.has(id)) {
      marker.remove();
      markers.delete(id);
    }
  }
};

export const MapPage = () => {
  const container = useRef<HTMLDivElement>(null);
  const positions = useRef(new Map<string, Position>());
  const dirty = useRef(false);
  const risks = useRef<RiskTable>({ byMovement: new Map(), rest: null });
  const [riskTick, setRiskTick] = useState(0);
  const [count, setCount] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [search, setSearch] = useSearchParams();
  const selected = search.get('movement');
  const setSelected = useCallback(
    (id: string | null) => setSearch(id ? { movement: id } : {}, { replace: false }),
    [setSearch],
  );
  const [rendered, setRendered] = useState(0);
  const [offices, setOffices] = useState<Office[]>([]);
  const [mapReady, setMapReady] = useState(false);

  const onReady = useCallback((map: MapLibre, loadedOffices: Office[]) => {
    performance.mark('caravan:map-base-ready');
    setOffices(loadedOffices);
    setMapReady(true);
    dirty.current = false;
    map.addSource('movements', {
      type: 'geojson',
      data: toFeatures(positions.current.values(), risks.current),
      cluster: true,
      clusterRadius: 45,
      clusterMaxZoom: 9,
      clusterProperties: { maxRisk: ['max', ['coalesce', ['get', 'risk'], -1]] },
    });
    addSelectionLayers(map);
    map.addLayer({
      id: 'clusters',
      type: 'circle',
      source: 'movements',
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': ['step', ['get', 'maxRisk'], RISK_COLOURS.unknown, 0, RISK_COLOURS.low, 30, RISK_COLOURS.medium, 60, RISK_COLOURS.high, 80, RISK_COLOURS.critical],
        'circle-radius': ['step', ['get', 'point_count'], 13, 50, 17, 500, 22, 2000, 27],
        'circle-opacity': 0.85,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
    map.addLayer({
      id: 'movement-points',
      type: 'circle',
      source: 'movements',
      filter: ['!', ['has', 'point_count']],
      paint: { 'circle-color': riskColour, 'circle-radius': 6, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
    });
    const markers = new Map<number, maplibregl.Marker>();
    map.on('sourcedata', (event) => {
      if (event.sourceId === 'movements' && event.isSourceLoaded && performance.getEntriesByName('caravan:movements-clustered').length === 0 && positions.current.size > 0) performance.mark('caravan:movements-clustered');
    });
    map.once('render', () => performance.mark('caravan:first-render'));
    map.on('idle', () => {
      syncClusterLabels(map, markers);
      let shown = 0;
      for (const feature of map.queryRenderedFeatures({ layers: ['clusters', 'movement-points'] })) {
        shown += (feature.properties['point_count'] as number | undefined) ?? 1;
      }
      if (shown > 0 && performance.getEntriesByName('caravan:movements-drawn').length === 0) performance.mark('caravan:movements-drawn');
      setRendered(shown);
    });
    map.on('click', 'clusters', (event) => {
      const feature = event.features?.[0];
      if (!feature || feature.geometry.type !== 'Point') return;
      const centre = feature.geometry.coordinates as [number, number];
      void (map.getSource('movements') as GeoJSONSource)
        .getClusterExpansionZoom(feature.properties['cluster_id'] as number)
        .then((zoom) => map.easeTo({ center: centre, zoom }));
    });
    map.on('click', 'movement-points', (event) => {
      const id = event.features?.[0]?.properties['id'];
      if (typeof id === 'string') setSelected(id);
    });
    for (const layer of ['clusters', 'movement-points']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
  }, [setSelected]);

  const { map, error } = useBaseMap(container, onReady);

  // Live positions arrive in bursts; redrawing the clustered source once a second keeps the map smooth.
  const flush = useCallback(() => {
    const current = map.current;
    if (!dirty.current || !current?.getSource('movements')) return;
    dirty.current = false;
    setData(current, 'movements', toFeatures(positions.current.values(), risks.current));
    performance.mark('caravan:movements-sent');
    setCount(positions.current.size);
  }, [map]);
  useEffect(() => {
    const timer = window.setInterval(flush, 1000);
    return () => window.clearInterval(timer);
  }, [flush]);

  useEffect(() => {
    const controller = new AbortController();
    get<{ items: Position[] }>('/tracking/positions', controller.signal)
      .then((answer) => {
        performance.mark('caravan:positions-loaded');
        positions.current = new Map(answer.items.map((position) => [position.movementId, position]));
        setCount(positions.current.size);
        dirty.current = true;
        flush();
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setLoadError(caught instanceof Error ? caught.message : String(caught));
      });
    return () => controller.abort();
  }, [flush]);

  // Alerts and decisions change risk; refetching the riskiest page at most every few seconds keeps colours current.
  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      get<Page<Alert>>(`/alerts${query({ status: 'open', sort: 'risk', limit: RISK_PAGE })}`, controller.signal)
        .then((answer) => {
          const byMovement = new Map<string, number>();
          for (const alert of answer.items) {
            if (alert.movementId && typeof alert.risk === 'number') byMovement.set(alert.movementId, Math.max(alert.risk, byMovement.get(alert.movementId) ?? 0));
          }
          risks.current = { byMovement, rest: answer.nextCursor === null ? 0 : null };
          dirty.current = true;
          flush();
        })
        .catch(() => undefined);
    }, riskTick === 0 ? 0 : 3000);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [riskTick, flush]);

  useLive((event) => {
    if (event.topic === 'alert' || event.topic === 'case') setRiskTick((value) => value + 1);
    if (event.topic !== 'position') return;
    const { lat, lon, lrn, time } = event.data;
    if (typeof lat !== 'number' || typeof lon !== 'number') return;
    const previous = positions.current.get(event.id);
    positions.current.set(event.id, {
      movementId: event.id,
      lrn: typeof lrn === 'string' ? lrn : previous?.lrn ?? '',
      time: typeof time === 'string' ? time : new Date().toISOString(),
      lastMessageAt: typeof time === 'string' ? time : new Date().toISOString(),
      lat,
      lon,
      risk: typeof event.data['risk'] === 'number' ? event.data['risk'] : previous?.risk ?? null,
    });
    dirty.current = true;
  });

  return (
    <div className="map-page">
      <h1 className="visually-hidden">{t.map.title}</h1>
      <div className="map-wrap">
        <div
          ref={container}
          className="map"
          role="region"
          aria-label={t.map.region}
          data-testid="map"
          data-movements={count ?? ''}
          data-rendered-movements={rendered}
        />
        <aside className="map-legend" aria-label={t.map.legend}>
          <p>
            <strong>{count ?? '…'}</strong> {t.map.activeMovements.toLowerCase()} {t.map.withPosition}
          </p>
          {count === 0 && <p className="muted">{t.map.noPositions}</p>}
          {(error ?? loadError) && <p role="alert" className="error">{error ?? loadError}</p>}
          <ul className="legend">
            {(['low', 'medium', 'high', 'critical', 'unknown'] as const).map((band) => (
              <li key={band}>
                <span className="swatch" style={{ background: RISK_COLOURS[band] }} /> {t.risk[band]}
              </li>
            ))}
            <li><span className="swatch office" /> {t.map.office}</li>
            <li><span className="swatch crossing" /> {t.map.crossing}</li>
            <li><span className="swatch corridor" /> {t.map.corridor}</li>
          </ul>
          <p className="muted small">{t.map.zoomHint}</p>
        </aside>
      </div>
      {selected && mapReady && map.current && (
        <MovementPanel key={selected} movementId={selected} map={map.current} offices={offices} onClose={() => setSelected(null)} />
      )}
    </div>
  );
};
