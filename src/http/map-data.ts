import type { Api } from './route-types.js';
import type { AppContext } from '../main.js';
import { readReferenceText } from '../shared/reference-data.js';

const BORDERS_FILE = 'geo/kz-neighbours-ne50m.geojson';

/**
 * The base map drawn by the UI: country outlines from the reference folder and the offices as points.
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
};
