import { booleanPointInPolygon, point } from '@turf/turf';
import { parse } from 'csv-parse/sync';
import { around, distance as greatCircleKm } from 'geokdbush';
import KDBush from 'kdbush';
import { readReferenceText } from '../shared/reference-data.js';

/** An office from offices.csv: code, role and position. */
export interface GeoOffice {
  code: string;
  name: string;
  role: 'border_crossing' | 'port' | 'inland' | 'foreign_destination' | string;
  mode: string;
  country: string;
  /** ISO-2 of the neighbour a border crossing leads to; empty for inland offices. */
  neighbour: string;
  lat: number;
  lon: number;
}

/** A known transit corridor (corridors.csv) with the waypoints that could be placed on an office. */
export interface KnownCorridor {
  id: string;
  name: string;
  mode: string;
  /** Waypoints resolved to positions, in corridor order. */
  path: { name: string; lat: number; lon: number }[];
}

export interface Point {
  lat: number;
  lon: number;
}

export const NEIGHBOURS = ['RU', 'CN', 'KG', 'UZ', 'TM'] as const;
export type Neighbour = (typeof NEIGHBOURS)[number];
const ISO3_TO_ISO2: Record<string, Neighbour> = { RUS: 'RU', CHN: 'CN', KGZ: 'KG', UZB: 'UZ', TKM: 'TM' };

const EARTH_KM_PER_DEG = 111.32;

export const distanceKm = (a: Point, b: Point): number => greatCircleKm(a.lon, a.lat, b.lon, b.lat);

/**
 * Distance from p to the segment a–b on a local equirectangular projection. Corridors are a handful of
 * segments per movement, so a linear scan with this cheap formula beats a general geometry call by far
 * on the ingestion hot path; the projection error stays well under a kilometre at corridor scale.
 */
export const distanceToSegmentKm = (p: Point, a: Point, b: Point): number => {
  const kx = Math.cos(((a.lat + b.lat + 2 * p.lat) / 4) * (Math.PI / 180)) * EARTH_KM_PER_DEG;
  const ky = EARTH_KM_PER_DEG;
  const ax = a.lon * kx;
  const ay = a.lat * ky;
  const bx = b.lon * kx;
  const by = b.lat * ky;
  const px = p.lon * kx;
  const py = p.lat * ky;
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
  const cx = ax + t * dx - px;
  const cy = ay + t * dy - py;
  return Math.sqrt(cx * cx + cy * cy);
};

/** Distance in km from p to the nearest of the polylines (each an ordered list of points). */
export const distanceToPolylinesKm = (p: Point, polylines: readonly (readonly Point[])[]): number => {
  let best = Number.POSITIVE_INFINITY;
  for (const line of polylines) {
    if (line.length === 1) best = Math.min(best, distanceKm(p, line[0]!));
    for (let i = 1; i < line.length; i++) best = Math.min(best, distanceToSegmentKm(p, line[i - 1]!, line[i]!));
  }
  return best;
};

interface Feature {
  id?: string;
  properties?: { adm0_a3?: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
}

const rings = (feature: Feature): number[][][] =>
  feature.geometry.type === 'Polygon'
    ? (feature.geometry.coordinates as number[][][])
    : (feature.geometry.coordinates as number[][][][]).flat();

/** How far apart the sampled border points are; bounds the error of the nearest-point distance. */
const BORDER_SAMPLE_KM = 2;
/** A neighbour vertex this close to a Kazakh vertex is on the shared border (1:50m generalisation). */
const SHARED_BORDER_KM = 15;
/** Beyond this from every border a 10 km cell answers: its error (≤ 8 km) cannot bring a border within a detector's range. */
const COARSE_ENOUGH_KM = 60;

/**
 * Distance to each neighbour's border with Kazakhstan. The shared border is the part of the neighbour's
 * outline lying along Kazakhstan's outline; it is densified to ~2 km points and indexed once per
 * neighbour, so a query is one nearest-neighbour search. Results are cached per ~1 km cell because
 * trucks revisit the same roads.
 */
export class BorderIndex {
  private readonly indexes = new Map<Neighbour, { index: KDBush; samples: number[][] }>();
  private readonly cache = new Map<number, Float32Array>();
  private readonly territories = new Map<Neighbour, Feature>();

  /**
   * @param maxDistanceKm beyond this a border is reported as Infinity: detectors only care about the
   * near ones, and a bounded search is what keeps a lookup in the interior of the country cheap.
   */
  constructor(geojson: { features: Feature[] }, private readonly maxDistanceKm = 100) {
    const kaz = geojson.features.find((f) => (f.id ?? f.properties?.adm0_a3) === 'KAZ');
    if (!kaz) throw new Error('kz-neighbours geojson has no KAZ feature');
    const kazPoints = rings(kaz).flat();
    const kazIndex = new KDBush(kazPoints.length);
    for (const [lon, lat] of kazPoints) kazIndex.add(lon!, lat!);
    kazIndex.finish();
    for (const feature of geojson.features) {
      const iso2 = ISO3_TO_ISO2[String(feature.id ?? feature.properties?.adm0_a3)];
      if (!iso2) continue;
      this.territories.set(iso2, feature);
      const samples: number[][] = [];
      for (const ring of rings(feature)) {
        const shared = ring.map(([lon, lat]) => around(kazIndex, lon!, lat!, 1, SHARED_BORDER_KM).length > 0);
        for (let i = 0; i < ring.length; i++) {
          if (!shared[i]) continue;
          const [lon, lat] = ring[i]!;
          samples.push([lon!, lat!]);
          const next = ring[i + 1];
          if (!next || !shared[i + 1]) continue;
          const steps = Math.floor(greatCircleKm(lon!, lat!, next[0]!, next[1]!) / BORDER_SAMPLE_KM);
          for (let s = 1; s < steps; s++) {
            samples.push([lon! + ((next[0]! - lon!) * s) / steps, lat! + ((next[1]! - lat!) * s) / steps]);
          }
        }
      }
      if (samples.length === 0) continue;
      const index = new KDBush(samples.length);
      for (const [lon, lat] of samples) index.add(lon!, lat!);
      index.finish();
      this.indexes.set(iso2, { index, samples });
    }
  }

  neighbours(): Neighbour[] {
    return [...this.indexes.keys()];
  }

  /** Distances (km) to every neighbour's border, in NEIGHBOURS order; Infinity where unknown or beyond maxDistanceKm. */
  distances(p: Point): Float32Array {
    // Far from every border (most of the country) a ~10 km cell is exact enough and hit by every truck on
    // that road; near one, ~1 km cells keep the error within the border sampling error.
    const coarse = this.cached(Math.round(p.lat * 10), Math.round(p.lon * 10), 10);
    let nearest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < coarse.length; i++) nearest = Math.min(nearest, coarse[i]!);
    if (nearest > COARSE_ENOUGH_KM) return coarse;
    return this.cached(Math.round(p.lat * 100), Math.round(p.lon * 100), 100);
  }

  /** Distances from the centre of cell (latCell, lonCell) of 1/perDegree degrees; the key packs cell and size in one number. */
  private cached(latCell: number, lonCell: number, perDegree: number): Float32Array {
    const key = ((latCell + 9_000) * 40_000 + (lonCell + 18_000)) * 1_000 + perDegree;
    const lat = latCell / perDegree;
    const lon = lonCell / perDegree;
    let cached = this.cache.get(key);
    if (!cached) {
      const distances = new Float32Array(NEIGHBOURS.length);
      NEIGHBOURS.forEach((n, i) => {
        const border = this.indexes.get(n);
        const nearest = border ? around(border.index, lon, lat, 1, this.maxDistanceKm)[0] : undefined;
        const sample = nearest === undefined ? undefined : border?.samples[nearest];
        distances[i] = sample ? greatCircleKm(lon, lat, sample[0]!, sample[1]!) : Number.POSITIVE_INFINITY;
      });
      if (this.cache.size > 500_000) this.cache.clear();
      this.cache.set(key, distances);
      cached = distances;
    }
    return cached;
  }

  /** True when p lies inside the neighbour's territory (1:50m outline: trust it only a few km in). */
  inside(neighbour: Neighbour, p: Point): boolean {
    const territory = this.territories.get(neighbour);
    return territory !== undefined && booleanPointInPolygon(point([p.lon, p.lat]), territory as unknown as Parameters<typeof booleanPointInPolygon>[1]);
  }

  distanceTo(neighbour: Neighbour, p: Point): number {
    return this.distances(p)[NEIGHBOURS.indexOf(neighbour)]!;
  }
}

/** Offices indexed by position, for "is this fix inside an office zone". */
export class OfficeIndex {
  private readonly index: KDBush;
  readonly byCode: Map<string, GeoOffice>;

  constructor(readonly offices: readonly GeoOffice[]) {
    this.byCode = new Map(offices.map((o) => [o.code, o]));
    this.index = new KDBush(Math.max(1, offices.length));
    for (const office of offices) this.index.add(office.lon, office.lat);
    if (offices.length === 0) this.index.add(0, 0);
    this.index.finish();
  }

  /** The nearest office within radiusKm, or undefined. */
  nearestWithin(p: Point, radiusKm: number): GeoOffice | undefined {
    const [id] = around(this.index, p.lon, p.lat, 1, radiusKm);
    return id === undefined ? undefined : this.offices[id];
  }
}

export interface Geography {
  offices: OfficeIndex;
  borders: BorderIndex;
  corridors: KnownCorridor[];
}

export const parseOffices = (csv: string): GeoOffice[] =>
  (parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[])
    .filter((row) => row.latitude !== '' && row.longitude !== '')
    .map((row) => ({
      code: row.code!,
      name: row.name!,
      role: row.role!,
      mode: row.mode!,
      country: row.country!,
      neighbour: row.neighbour ?? '',
      lat: Number(row.latitude),
      lon: Number(row.longitude),
    }));

/** The words of a waypoint ("Korday area / Taraz", "Nur Zholy (CN border)") that may name an office. */
const waypointNames = (waypoint: string): string[] =>
  waypoint
    .replace(/\(.*?\)/g, '')
    .replace(/\barea\b/gi, '')
    .split('/')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

/**
 * Resolves corridor waypoints to office positions by name (the first office whose name starts with the
 * waypoint). Waypoints that name no office (e.g. Aktogay) are left out: the corridor then runs straight
 * between its resolvable neighbours, which the corridor buffer absorbs.
 */
export const parseCorridors = (csv: string, offices: readonly GeoOffice[]): KnownCorridor[] =>
  (parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[]).map((row) => {
    const path: KnownCorridor['path'] = [];
    for (const waypoint of (row.kz_section_waypoints ?? '').split('>')) {
      for (const name of waypointNames(waypoint)) {
        const office = offices.find((o) => o.name.toLowerCase().startsWith(name) && o.country === 'KZ');
        if (office && !path.some((p) => p.name === office.name)) path.push({ name: office.name, lat: office.lat, lon: office.lon });
      }
    }
    return { id: row.corridor_id!, name: row.name!, mode: row.mode!, path };
  });

export const buildGeography = (officesCsv: string, corridorsCsv: string, bordersGeojson: string): Geography => {
  const offices = parseOffices(officesCsv);
  return {
    offices: new OfficeIndex(offices),
    borders: new BorderIndex(JSON.parse(bordersGeojson) as { features: Feature[] }),
    corridors: parseCorridors(corridorsCsv, offices),
  };
};

const loaded = new Map<string, Geography>();

/** Reads offices, corridors and borders from the reference folder (geo/), once per process and folder. */
export const loadGeography = (referenceDir: string): Geography => {
  let geography = loaded.get(referenceDir);
  if (!geography) {
    geography = buildGeography(
      readReferenceText(referenceDir, 'geo/offices.csv'),
      readReferenceText(referenceDir, 'geo/corridors.csv'),
      readReferenceText(referenceDir, 'geo/kz-neighbours-ne50m.geojson'),
    );
    loaded.set(referenceDir, geography);
  }
  return geography;
};
