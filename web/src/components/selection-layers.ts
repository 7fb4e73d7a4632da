import type { Map as MapLibre } from 'maplibre-gl';
import { setData } from './BaseMap.js';
import type { Declaration, Office, Track } from '../lib/types.js';

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Speeds below this count as standing still when marking stops on a track, km/h. */
const STOPPED_KMH = 3;

export const SELECTION_COLOURS = { corridor: '#7048e8', track: '#0b7285', stop: '#f08c00', seal: '#c92a2a' } as const;

export const addSelectionLayers = (map: MapLibre): void => {
  map.addSource('selected-corridor', { type: 'geojson', data: EMPTY });
  map.addSource('selected-track', { type: 'geojson', data: EMPTY });
  map.addSource('selected-marks', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'selected-corridor',
    type: 'line',
    source: 'selected-corridor',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': SELECTION_COLOURS.corridor, 'line-width': 10, 'line-opacity': 0.25 },
  });
  map.addLayer({
    id: 'selected-corridor-centre',
    type: 'line',
    source: 'selected-corridor',
    paint: { 'line-color': SELECTION_COLOURS.corridor, 'line-width': 1.5, 'line-dasharray': [3, 2] },
  });
  map.addLayer({ id: 'selected-track', type: 'line', source: 'selected-track', paint: { 'line-color': SELECTION_COLOURS.track, 'line-width': 3 } });
  map.addLayer({
    id: 'selected-marks',
    type: 'circle',
    source: 'selected-marks',
    paint: {
      'circle-radius': ['match', ['get', 'kind'], 'seal', 7, 'stop', 5, 4],
      'circle-color': ['match', ['get', 'kind'], 'seal', SELECTION_COLOURS.seal, 'stop', SELECTION_COLOURS.stop, SELECTION_COLOURS.track],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  });
};

/** The declared itinerary in order: departure, transit, exit, destination. */
export const itineraryCodes = (declaration: Declaration): string[] => [
  declaration.officeOfDeparture,
  ...declaration.officesOfTransit,
  ...declaration.officesOfExit,
  declaration.officeOfDestination,
];

export const corridorFeature = (declaration: Declaration, offices: readonly Office[]): GeoJSON.FeatureCollection => {
  const byCode = new Map(offices.map((office) => [office.code, office]));
  const coordinates = itineraryCodes(declaration)
    .map((code) => byCode.get(code))
    .filter((office): office is Office => office !== undefined && office.latitude !== null && office.longitude !== null)
    .map((office) => [office.longitude!, office.latitude!]);
  return coordinates.length < 2
    ? EMPTY
    : { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates }, properties: {} }] };
};

export const trackFeatures = (track: Track | null): { line: GeoJSON.FeatureCollection; marks: GeoJSON.FeatureCollection } => {
  if (!track || track.positions.length === 0) return { line: EMPTY, marks: EMPTY };
  const line: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: track.positions.map((p) => [p.lon, p.lat]) }, properties: {} }],
  };
  const marks: GeoJSON.Feature[] = [
    ...track.positions
      .filter((p) => p.speedKmh < STOPPED_KMH)
      .map((p): GeoJSON.Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { kind: 'stop', time: p.time } })),
    ...track.sealEvents.map((p): GeoJSON.Feature => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: { kind: p.sealState === 'armed' ? 'event' : 'seal', time: p.time, seal: p.sealState, code: p.eventCode ?? '' },
    })),
  ];
  return { line, marks: { type: 'FeatureCollection', features: marks } };
};

export const showSelection = (map: MapLibre, selection: { corridor: GeoJSON.FeatureCollection; track: Track | null } | null): void => {
  const { line, marks } = trackFeatures(selection?.track ?? null);
  setData(map, 'selected-corridor', selection?.corridor ?? EMPTY);
  setData(map, 'selected-track', line);
  setData(map, 'selected-marks', marks);
};
