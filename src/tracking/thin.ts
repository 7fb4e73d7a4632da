import { distanceToSegmentKm } from './geo.js';

export interface TrackPoint {
  time: string;
  lat: number;
  lon: number;
  speedKmh: number;
  sealState: string;
  battery: number;
  eventCode?: string;
}

/** Below this speed a truck is standing (GPS speed noise on a parked vehicle stays under it). */
const STANDING_KMH = 3;

/**
 * Thins a track for display with Douglas-Peucker at `toleranceKm`, but always keeps what an officer must
 * see: the first and last fix, every seal-state change, every EAEU event code, and where each stop
 * begins and ends. Points come in time order and leave in time order.
 */
export const thinTrack = <P extends TrackPoint>(points: readonly P[], toleranceKm: number): P[] => {
  if (points.length <= 2) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  for (let i = 1; i < points.length; i++) {
    const previous = points[i - 1]!;
    const current = points[i]!;
    if (current.sealState !== previous.sealState || current.eventCode) keep[i] = 1;
    const wasStanding = previous.speedKmh < STANDING_KMH;
    const standing = current.speedKmh < STANDING_KMH;
    if (wasStanding !== standing) {
      keep[i] = 1;
      keep[i - 1] = 1;
    }
  }
  // Simplify each run between kept points on its own, so the anchors are never dropped.
  const stack: [number, number][] = [];
  let from = 0;
  for (let i = 1; i < points.length; i++) {
    if (!keep[i]) continue;
    if (i - from > 1) stack.push([from, i]);
    from = i;
  }
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    let worst = -1;
    let worstKm = toleranceKm;
    for (let i = a + 1; i < b; i++) {
      const km = distanceToSegmentKm(points[i]!, points[a]!, points[b]!);
      if (km > worstKm) {
        worst = i;
        worstKm = km;
      }
    }
    if (worst < 0) continue;
    keep[worst] = 1;
    if (worst - a > 1) stack.push([a, worst]);
    if (b - worst > 1) stack.push([worst, b]);
  }
  return points.filter((_, i) => keep[i] === 1);
};
