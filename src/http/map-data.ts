import type { Api } from './route-types.js';
import type { AppContext } from '../main.js';
import { readReferenceText } from '../shared/reference-data.js';
import { loadGeography } from '../tracking/geo.js';

const BORDERS_FILE = 'geo/kz-neighbours-ne50m.geojson';

/**
 * The base map drawn by the UI: country outlines and the known transit corridors from the reference
 * folder (the offices come from /offices).
 * There is no tile server; the browser draws these few hundred kilobytes of GeoJSON itself.
 */
export const registerMapDataRoutes = (api: Api, context: AppContext): void => {
  let borders: string | undefined;
  api.get(
    '/map/borders',
    {
      config: { permission: 'offices:read' },
      schema: { tags: ['offices'], summary: 'Country outlines for the map (GeoJSON, Natural Earth 1:50m)' },
    },
    async (_request, reply) => {
      borders ??= readReferenceText(context.config.referenceDir, BORDERS_FILE);
      return reply.type('application/geo+json').header('cache-control', 'private, max-age=3600').send(borders);
    },
  );

  api.get(
    '/map/corridors',
    {
      config: { permission: 'offices:read' },
      schema: { tags: ['offices'], summary: 'Known transit corridors as GeoJSON lines through their waypoints' },
    },
    async (_request, reply) => {
      const features = loadGeography(context.config.referenceDir)
        .corridors.filter((corridor) => corridor.path.length >= 2)
        .map((corridor) => ({
          type: 'Feature' as const,
          geometry: { type: 'LineString' as const, coordinates: corridor.path.map((point) => [point.lon, point.lat]) },
          properties: { id: corridor.id, name: corridor.name, mode: corridor.mode, waypoints: corridor.path.map((point) => point.name) },
        }));
      return reply.type('application/geo+json').header('cache-control', 'private, max-age=3600').send({ type: 'FeatureCollection', features });
    },
  );
};
