import * as maplibregl from 'maplibre-gl';
import { type GeoJSONSource, type Map as MapLibre } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { get } from '../lib/api.js';
import type { Office, Page } from '../lib/types.js';

// Bundling moves the library away from its worker file; point it at the copy Vite emits.
maplibregl.setWorkerUrl(workerUrl);

const KAZAKHSTAN_BOUNDS: [[number, number], [number, number]] = [[46, 39], [88, 56]];

export const officeFeatures = (offices: readonly Office[]): GeoJSON.FeatureCollection<GeoJSON.Point> => ({
  type: 'FeatureCollection',
  features: offices
    .filter((office) => office.latitude !== null && office.longitude !== null)
    .map((office) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [office.longitude!, office.latitude!] },
      properties: { code: office.code, name: office.name, crossing: office.role === 'border_crossing' },
    })),
});

/**
 * A map with no tile server: a plain background, the country outlines from the reference GeoJSON, the
 * known corridors and the customs offices. Text needs glyph files we do not ship, so labels are HTML (popups, markers).
 */
export const useBaseMap = (container: React.RefObject<HTMLDivElement | null>, onReady: (map: MapLibre, offices: Office[]) => void) => {
  const [error, setError] = useState<string | null>(null);
  const mapRef = useRef<MapLibre | null>(null);
  const ready = useRef(onReady);
  ready.current = onReady;

  useEffect(() => {
    if (!container.current) return;
    const map = new maplibregl.Map({
      container: container.current,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#dbe7f0' } }],
      },
      bounds: KAZAKHSTAN_BOUNDS,
      attributionControl: { compact: true, customAttribution: 'Borders: Natural Earth' },
      cooperativeGestures: false,
      fadeDuration: 0,
    });
    mapRef.current = map;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    let cancelled = false;
    const loaded = new Promise<void>((resolve) => map.once('load', () => resolve()));
    Promise.all([get<GeoJSON.FeatureCollection>('/map/borders'), get<GeoJSON.FeatureCollection>('/map/corridors'), get<Page<Office>>('/offices'), loaded])
      .then(([borders, corridors, offices]) => {
        if (cancelled) return;
        // Outlines are context, not evidence: coarser tiling (tolerance, maxzoom) halves the first render.
        map.addSource('borders', { type: 'geojson', data: borders, tolerance: 1.5, maxzoom: 8, buffer: 32 });
        map.addLayer({
          id: 'countries',
          type: 'fill',
          source: 'borders',
          paint: { 'fill-color': ['case', ['==', ['get', 'adm0_a3'], 'KAZ'], '#fbfaf5', '#eef0ea'], 'fill-outline-color': '#8a94a0' },
        });
        map.addLayer({ id: 'country-lines', type: 'line', source: 'borders', paint: { 'line-color': '#7d8794', 'line-width': 1 } });
        map.addSource('corridors', { type: 'geojson', data: corridors });
        map.addLayer({
          id: 'corridors',
          type: 'line',
          source: 'corridors',
          layout: { 'line-cap': 'round', 'line-join': 'round' },
          paint: { 'line-color': '#7048e8', 'line-width': 2, 'line-opacity': 0.45 },
        });
        map.addSource('offices', { type: 'geojson', data: officeFeatures(offices.items) });
        map.addLayer({
          id: 'offices',
          type: 'circle',
          source: 'offices',
          paint: {
            'circle-radius': ['case', ['get', 'crossing'], 5, 4],
            'circle-color': ['case', ['get', 'crossing'], '#ffffff', '#1c3d5a'],
            'circle-stroke-color': '#1c3d5a',
            'circle-stroke-width': 2,
          },
        });
        const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'office-popup' });
        map.on('mouseenter', 'offices', (event) => {
          const feature = event.features?.[0];
          if (!feature || feature.geometry.type !== 'Point') return;
          map.getCanvas().style.cursor = 'pointer';
          popup
            .setLngLat(feature.geometry.coordinates as [number, number])
            .setText(`${String(feature.properties['name'])} (${String(feature.properties['code'])})`)
            .addTo(map);
        });
        map.on('mouseleave', 'offices', () => {
          map.getCanvas().style.cursor = '';
          popup.remove();
        });
        ready.current(map, offices.items);
      })
      .catch((caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)));
    return () => {
      cancelled = true;
      map.remove();
      mapRef.current = null;
    };
  }, [container]);

  return { map: mapRef, error };
};

export const setData = (map: MapLibre, source: string, data: GeoJSON.GeoJSON): void => {
  (map.getSource(source) as GeoJSONSource | undefined)?.setData(data);
};
