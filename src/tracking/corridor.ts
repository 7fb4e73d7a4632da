import { distanceKm, distanceToSegmentKm, type Geography, type Point } from './geo.js';
import type { ItineraryOffice, MovementContext } from './movement-context.js';

/** How close an itinerary office must be to a known corridor waypoint to count as on that corridor, km. */
const ON_CORRIDOR_KM = 30;
/**
 * A regional centre counts as on the road between two declared offices when passing through it lengthens
 * the trip by at most this share: national roads join the regional centres, so a declaration naming only
 * its ends (Almaty to Astana) still runs through the one between (Karaganda, ~50 km off the straight line).
 */
const VIA_MAX_DETOUR = 0.12;
/** ...and lies at most this far from the straight line, km: a bound on how much a long leg can widen. */
const VIA_MAX_OFFSET_KM = 150;
/** A centre this close to an end of the leg adds nothing the end does not, km. */
const VIA_MIN_FROM_END_KM = 30;
/** Nesting depth: a leg split at one centre may pass another on either half. */
const VIA_DEPTH = 3;

/** The regional centres, in order, that a road from a to b plausibly runs through. */
const viaTowns = (a: Point, b: Point, towns: readonly Point[], depth: number): Point[] => {
  if (depth === 0) return [];
  const direct = distanceKm(a, b);
  let best: Point | undefined;
  let bestDetour = VIA_MAX_DETOUR;
  for (const town of towns) {
    const fromA = distanceKm(a, town);
    const toB = distanceKm(town, b);
    if (fromA < VIA_MIN_FROM_END_KM || toB < VIA_MIN_FROM_END_KM) continue;
    const detour = (fromA + toB) / direct - 1;
    if (detour <= bestDetour && distanceToSegmentKm(town, a, b) <= VIA_MAX_OFFSET_KM) {
      best = town;
      bestDetour = detour;
    }
  }
  return best ? [...viaTowns(a, best, towns, depth - 1), best, ...viaTowns(best, b, towns, depth - 1)] : [];
};

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

type Leg = (a: ItineraryOffice, b: ItineraryOffice) => Point[][];

const inlandTowns = (geo: Pick<Geography, 'offices'>): Point[] =>
  geo.offices.offices.filter((o) => o.role === 'inland' && o.country === 'KZ').map((o) => ({ lat: o.lat, lon: o.lon }));

/** The centre lines a road from a to b may follow besides the straight line: via regional centres, along known corridors. */
const legLines = (a: ItineraryOffice, b: ItineraryOffice, towns: readonly Point[], corridors: Geography['corridors']): Point[][] => {
  const lines: Point[][] = [];
  const via = viaTowns(a, b, towns, VIA_DEPTH);
  if (via.length > 0) lines.push([{ lat: a.lat, lon: a.lon }, ...via.map((t) => ({ lat: t.lat, lon: t.lon })), { lat: b.lat, lon: b.lon }]);
  for (const corridor of corridors) {
    const from = nearestIndex(corridor.path, a);
    const to = nearestIndex(corridor.path, b);
    if (from < 0 || to < 0 || Math.abs(to - from) < 2) continue;
    const section = from < to ? corridor.path.slice(from, to + 1) : corridor.path.slice(to, from + 1).reverse();
    lines.push([{ lat: a.lat, lon: a.lon }, ...section.map((p) => ({ lat: p.lat, lon: p.lon })), { lat: b.lat, lon: b.lon }]);
  }
  return lines;
};

/**
 * The centre lines of a movement's corridor. The declared offices joined in order is the legal itinerary;
 * a road between two of them can bend far from the straight line (Nur Zholy to Zhaisan runs via Almaty,
 * Shymkent and Aktobe), so where both offices sit on a known corridor its waypoints between them are
 * added as a second centre line, and where Kazakh regional centres lie on the way between two offices
 * (see VIA_MAX_DETOUR) the line through them is added too. The corridor is everything within the
 * half-width of any.
 */
export const corridorLines = (
  itinerary: readonly ItineraryOffice[],
  geo: Pick<Geography, 'corridors' | 'offices'>,
  leg: Leg = (a, b) => legLines(a, b, inlandTowns(geo), geo.corridors),
): Point[][] => {
  const lines: Point[][] = [itinerary.map((o) => ({ lat: o.lat, lon: o.lon }))];
  for (let i = 1; i < itinerary.length; i++) lines.push(...leg(itinerary[i - 1]!, itinerary[i]!));
  return lines;
};

/**
 * Corridors are shared by every movement with the same itinerary, so they are built once per itinerary;
 * itineraries differ more than their legs (the same crossing to the same inland office recurs under many
 * destinations), so legs are kept too.
 */
export class CorridorCache {
  private readonly cache = new Map<string, Point[][]>();
  private readonly legs = new Map<string, Point[][]>();
  private readonly towns: Point[];

  constructor(private readonly geo: Pick<Geography, 'corridors' | 'offices'>) {
    this.towns = inlandTowns(geo);
  }

  for(context: Pick<MovementContext, 'itinerary'>): Point[][] {
    const key = context.itinerary.map((o) => o.code).join('>');
    let lines = this.cache.get(key);
    if (!lines) {
      lines = corridorLines(context.itinerary, this.geo, (a, b) => this.leg(a, b));
      this.cache.set(key, lines);
    }
    return lines;
  }

  private leg(a: ItineraryOffice, b: ItineraryOffice): Point[][] {
    const key = `${a.code}>${b.code}`;
    let lines = this.legs.get(key);
    if (!lines) {
      lines = legLines(a, b, this.towns, this.geo.corridors);
      this.legs.set(key, lines);
    }
    return lines;
  }
}
