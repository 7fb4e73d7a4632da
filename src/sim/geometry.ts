/** Small spherical helpers: the simulator moves thousands of trucks, so it avoids general geometry calls. */
export interface LatLon {
  lat: number;
  lon: number;
}

const RAD = Math.PI / 180;
const EARTH_RADIUS_KM = 6371.0088;
export const KM_PER_DEGREE_LAT = 111.32;

export const distanceKm = (a: LatLon, b: LatLon): number => {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
};

/** Moves a point by east/north kilometres (local flat approximation, fine for offsets of tens of km). */
export const offsetKm = (p: LatLon, eastKm: number, northKm: number): LatLon => ({
  lat: p.lat + northKm / KM_PER_DEGREE_LAT,
  lon: p.lon + eastKm / (KM_PER_DEGREE_LAT * Math.cos(p.lat * RAD)),
});

export const lerp = (a: LatLon, b: LatLon, t: number): LatLon => ({
  lat: a.lat + (b.lat - a.lat) * t,
  lon: a.lon + (b.lon - a.lon) * t,
});

/** Unit vector (east, north) from a to b in the local plane. */
export const direction = (a: LatLon, b: LatLon): { east: number; north: number } => {
  const east = (b.lon - a.lon) * Math.cos(((a.lat + b.lat) / 2) * RAD) * KM_PER_DEGREE_LAT;
  const north = (b.lat - a.lat) * KM_PER_DEGREE_LAT;
  const length = Math.hypot(east, north) || 1;
  return { east: east / length, north: north / length };
};

/** A polyline with cumulative distance, so a position can be found by kilometre along it. */
export interface Path {
  lat: Float64Array;
  lon: Float64Array;
  km: Float64Array;
  length: number;
}

export const buildPath = (points: readonly LatLon[]): Path => {
  const n = points.length;
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const km = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lat[i] = points[i]!.lat;
    lon[i] = points[i]!.lon;
    km[i] = i === 0 ? 0 : km[i - 1]! + distanceKm(points[i - 1]!, points[i]!);
  }
  return { lat, lon, km, length: n === 0 ? 0 : km[n - 1]! };
};

export const pathPoints = (path: Path): LatLon[] =>
  Array.from({ length: path.lat.length }, (_, i) => ({ lat: path.lat[i]!, lon: path.lon[i]! }));

export const positionAt = (path: Path, atKm: number): LatLon => {
  const { km } = path;
  const n = km.length;
  if (atKm <= 0 || n === 1) return { lat: path.lat[0]!, lon: path.lon[0]! };
  if (atKm >= path.length) return { lat: path.lat[n - 1]!, lon: path.lon[n - 1]! };
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (km[mid]! <= atKm) lo = mid;
    else hi = mid;
  }
  const span = km[hi]! - km[lo]!;
  const t = span === 0 ? 0 : (atKm - km[lo]!) / span;
  return { lat: path.lat[lo]! + (path.lat[hi]! - path.lat[lo]!) * t, lon: path.lon[lo]! + (path.lon[hi]! - path.lon[lo]!) * t };
};

/** Kilometre along the path of the vertex nearest to p (vertices are a few km apart, which is enough here). */
export const nearestKmOnPath = (path: Path, p: LatLon): { km: number; distanceKm: number } => {
  let best = Number.POSITIVE_INFINITY;
  let bestKm = 0;
  for (let i = 0; i < path.lat.length; i++) {
    const d = distanceKm(p, { lat: path.lat[i]!, lon: path.lon[i]! });
    if (d < best) {
      best = d;
      bestKm = path.km[i]!;
    }
  }
  return { km: bestKm, distanceKm: best };
};
