import { distanceKm, type Geography, type Point } from './geo.js';
import type { ItineraryOffice, MovementContext } from './movement-context.js';

/** How close an itinerary office must be to a known corridor waypoint to count as on that corridor, km. */
const ON_CORRIDOR_KM = 30;

const nearestIndex = (path: readonly Point[], p: Point): number => {
  let best = -1;
  let bestKm = ON_CORRIDOR_KM;
  path.forEach((q, i) => {
    const km = distanceKm(p, q);
    if (km <= bestKm) {
      best = i;
      bestKm = km;
    }
  });
  return best;
};

/**
 * The centre lines of a movement's corridor. The declared offices joined in order is the legal itinerary;
 * a road between two of them can bend far from the straight line (Nur Zholy to Zhaisan runs via Almaty,
 * Shymkent and Aktobe), so where both offices sit on a known corridor its waypoints between them are
 * added as a second centre line. The corridor is everything within the half-width of either.
 */
export const corridorLines = (itinerary: readonly ItineraryOffice[], geo: Pick<Geography, 'corridors'>): Point[][] => {
  const straight = itinerary.map((o) => ({ lat: o.lat, lon: o.lon }));
  const lines: Point[][] = [straight];
  for (let i = 1; i < itinerary.length; i++) {
    const a = itinerary[i - 1]!;
    const b = itinerary[i]!;
    for (const corridor of geo.corridors) {
      const from = nearestIndex(corridor.path, a);
      const to = nearestIndex(corridor.path, b);
      if (from < 0 || to < 0 || Math.abs(to - from) < 2) continue;
      const section = from < to ? corridor.path.slice(from, to + 1) : corridor.path.slice(to, from + 1).reverse();
      lines.push([{ lat: a.lat, lon: a.lon }, ...section.map((p) => ({ lat: p.lat, lon: p.lon })), { lat: b.lat, lon: b.lon }]);
    }
  }
  return lines;
};

/** Corridors are shared by every movement with the same itinerary, so they are built once per itinerary. */
export class CorridorCache {
  private readonly cache = new Map<string, Point[][]>();

  constructor(private readonly geo: Pick<Geography, 'corridors'>) {}

  for(context: Pick<MovementContext, 'itinerary'>): Point[][] {
    const key = context.itinerary.map((o) => o.code).join('>');
    let lines = this.cache.get(key);
    if (!lines) {
      lines = corridorLines(context.itinerary, this.geo);
      this.cache.set(key, lines);
    }
    return lines;
  }
}
