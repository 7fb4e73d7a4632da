import { parse } from 'csv-parse/sync';
import { readReferenceText } from '../shared/reference-data.js';
import { type LatLon, type Path, buildPath, direction, distanceKm, lerp, offsetKm, positionAt } from './geometry.js';
import { Random, hashText } from './random.js';

export interface SimOffice extends LatLon {
  code: string;
  name: string;
  role: string;
  mode: string;
  country: string;
  neighbour: string;
}

/**
 * Main national highways between the regional centres (offices.csv inland offices) and Beyneu, the road
 * junction of the Mangystau routes. These are the links a lorry really drives (A-2/M-39 Almaty–Taraz–
 * Shymkent, M-32 Shymkent–Kyzylorda–Aktobe, A-27 Aktobe–Oral–Atyrau, A-33 Atyrau–Beyneu–Aktau, M-36
 * Almaty–Balkhash–Karaganda–Astana, A-1 Astana–Petropavl, A-343 Astana–Kostanay, M-38 Astana–Pavlodar–Semey,
 * Semey–Oskemen, Aktobe–Kostanay, Kostanay–Petropavl, Karaganda–Pavlodar, Aktobe–Atyrau). The road shape
 * itself is modelled as the straight line between the two offices with a smooth meander (see roadPath).
 */
export const HIGHWAYS: readonly (readonly [string, string])[] = [
  ['KZ000201', 'KZ000213'],
  ['KZ000213', 'KZ000203'],
  ['KZ000203', 'KZ000214'],
  ['KZ000214', 'KZ000204'],
  ['KZ000204', 'KZ000209'],
  ['KZ000209', 'KZ000208'],
  ['KZ000208', 'KZ000118'],
  ['KZ000118', 'KZ000215'],
  ['KZ000204', 'KZ000208'],
  ['KZ000204', 'KZ000205'],
  ['KZ000205', 'KZ000202'],
  ['KZ000205', 'KZ000210'],
  ['KZ000202', 'KZ000210'],
  ['KZ000202', 'KZ000207'],
  ['KZ000207', 'KZ000201'],
  ['KZ000202', 'KZ000206'],
  ['KZ000207', 'KZ000206'],
  ['KZ000206', 'KZ000211'],
  ['KZ000211', 'KZ000212'],
];

/** Offices a lorry passes through on the way (regional centres and the Beyneu junction). */
const isJunction = (office: SimOffice): boolean => office.role === 'inland' || office.code === 'KZ000118';

/** Border crossings and ports a lorry can start or end at (rail-only crossings carry no road traffic). */
export const isRoadGateway = (office: SimOffice): boolean =>
  office.country === 'KZ' && ((office.role === 'border_crossing' && office.mode === 'road') || office.role === 'port');

export interface RestArea extends LatLon {
  /** Kilometre along the route where the lay-by is. */
  km: number;
}

export interface Route {
  key: string;
  /** Offices passed in order, first and last included. */
  offices: SimOffice[];
  path: Path;
  /** Kilometre along the path of each office in `offices`. */
  officeKm: number[];
  /** Lay-bys, cafés and fuel stations along the route where drivers take breaks and their daily rest. */
  restAreas: RestArea[];
}

export interface KnownCorridorHint {
  id: string;
  mode: string;
  borderPointNames: string[];
}

export interface RoadNetwork {
  offices: SimOffice[];
  byCode: Map<string, SimOffice>;
  gateways: SimOffice[];
  junctions: SimOffice[];
  /** Crossings named as border points of a road corridor in corridors.csv: they carry the heavy flows. */
  corridorCrossings: Set<string>;
  route(from: string, to: string): Route | undefined;
}

export const loadOffices = (referenceDir: string): SimOffice[] => {
  const rows = parse(readReferenceText(referenceDir, 'geo/offices.csv'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  return rows
    .filter((row) => row.latitude && row.longitude)
    .map((row) => ({
      code: row.code!,
      name: row.name!,
      role: row.role!,
      mode: row.mode ?? '',
      country: row.country!,
      neighbour: row.neighbour ?? '',
      lat: Number(row.latitude),
      lon: Number(row.longitude),
    }));
};

export const loadCorridorHints = (referenceDir: string): KnownCorridorHint[] => {
  const rows = parse(readReferenceText(referenceDir, 'geo/corridors.csv'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  return rows.map((row) => ({
    id: row.corridor_id!,
    mode: row.mode ?? '',
    borderPointNames: (row.border_points ?? '')
      .split(/[;,]/)
      .map((name) => name.replace(/\(.*?\)/g, '').trim())
      .filter((name) => name !== ''),
  }));
};

/**
 * A road between two points: the straight line bent by a smooth meander that is zero at both ends, a few
 * kilometres wide (as real roads follow valleys and towns), sampled every ~4 km. The meander is seeded by
 * the caller (for highways by the pair of offices, so every lorry on that road drives the same road).
 */
export const meanderRoad = (a: LatLon, b: LatLon, seed: number, maxAmplitudeKm = 12): LatLon[] => {
  const random = new Random(seed);
  const length = distanceKm(a, b);
  const amplitude = Math.min(maxAmplitudeKm, 1 + length / 60) * random.between(0.5, 1);
  const waves = [random.between(1, 3), random.between(3, 7)];
  const phases = [random.between(0, Math.PI * 2), random.between(0, Math.PI * 2)];
  const steps = Math.max(2, Math.ceil(length / 4));
  const { east, north } = direction(a, b);
  const points: LatLon[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const envelope = Math.sin(Math.PI * t);
    const wiggle =
      amplitude * envelope * (0.7 * Math.sin(waves[0]! * Math.PI * t + phases[0]!) + 0.3 * Math.sin(waves[1]! * Math.PI * t + phases[1]!));
    points.push(offsetKm(lerp(a, b, t), -north * wiggle, east * wiggle));
  }
  return points;
};

const roadPath = (a: SimOffice, b: SimOffice): LatLon[] => {
  const [first, second] = a.code < b.code ? [a, b] : [b, a];
  const points = meanderRoad(first, second, hashText(`${first.code}-${second.code}`));
  return first === a ? points : points.reverse();
};

/** Lay-bys every 40–120 km on a road, a little off the carriageway; the same for every lorry. */
const restAreasOf = (path: Path, seed: string): RestArea[] => {
  const random = new Random(hashText(`rest:${seed}`));
  const areas: RestArea[] = [];
  for (let km = random.between(25, 70); km < path.length - 15; km += random.between(40, 120)) {
    areas.push({ km, lat: 0, lon: 0 });
  }
  return areas;
};

export const buildRoadNetwork = (offices: SimOffice[], hints: KnownCorridorHint[] = []): RoadNetwork => {
  const byCode = new Map(offices.map((office) => [office.code, office]));
  const junctions = offices.filter(isJunction);
  const gateways = offices.filter(isRoadGateway);
  const adjacency = new Map<string, { to: string; km: number }[]>();
  const link = (a: string, b: string) => {
    const from = byCode.get(a);
    const to = byCode.get(b);
    if (!from || !to) return;
    const km = distanceKm(from, to);
    adjacency.set(a, [...(adjacency.get(a) ?? []), { to: b, km }]);
    adjacency.set(b, [...(adjacency.get(b) ?? []), { to: a, km }]);
  };
  for (const [a, b] of HIGHWAYS) link(a, b);
  // A crossing or port is reached from the nearest regional centre.
  for (const gateway of gateways) {
    if (gateway.code === 'KZ000118') continue;
    let nearest: SimOffice | undefined;
    for (const junction of junctions) {
      if (!nearest || distanceKm(gateway, junction) < distanceKm(gateway, nearest)) nearest = junction;
    }
    if (nearest) link(gateway.code, nearest.code);
  }
  const corridorCrossings = new Set<string>();
  for (const hint of hints) {
    if (!hint.mode.includes('road')) continue;
    for (const name of hint.borderPointNames) {
      for (const part of name.split('/')) {
        const office = gateways.find((candidate) => candidate.name.toLowerCase().startsWith(part.trim().toLowerCase()));
        if (office) corridorCrossings.add(office.code);
      }
    }
  }

  const shortest = (from: string, to: string): string[] | undefined => {
    const dist = new Map<string, number>([[from, 0]]);
    const previous = new Map<string, string>();
    const open = new Set<string>([from]);
    while (open.size > 0) {
      let current = '';
      let best = Number.POSITIVE_INFINITY;
      for (const code of open) {
        const d = dist.get(code)!;
        if (d < best) {
          best = d;
          current = code;
        }
      }
      open.delete(current);
      if (current === to) break;
      for (const edge of adjacency.get(current) ?? []) {
        // Gateways are ends of the road, never short cuts between two centres.
        if (edge.to !== to && !isJunction(byCode.get(edge.to)!)) continue;
        const candidate = best + edge.km;
        if (candidate < (dist.get(edge.to) ?? Number.POSITIVE_INFINITY)) {
          dist.set(edge.to, candidate);
          previous.set(edge.to, current);
          open.add(edge.to);
        }
      }
    }
    if (!dist.has(to)) return undefined;
    const codes = [to];
    while (codes[0] !== from) codes.unshift(previous.get(codes[0]!)!);
    return codes;
  };

  const cache = new Map<string, Route | undefined>();
  const route = (from: string, to: string): Route | undefined => {
    const key = `${from}>${to}`;
    if (cache.has(key)) return cache.get(key);
    const codes = from === to ? undefined : shortest(from, to);
    let result: Route | undefined;
    if (codes) {
      const routeOffices = codes.map((code) => byCode.get(code)!);
      const points: LatLon[] = [];
      const officeKm: number[] = [0];
      const restAreas: RestArea[] = [];
      let travelled = 0;
      for (let i = 1; i < routeOffices.length; i++) {
        const segment = roadPath(routeOffices[i - 1]!, routeOffices[i]!);
        const segmentPath = buildPath(segment);
        const [lo, hi] = [routeOffices[i - 1]!.code, routeOffices[i]!.code].sort();
        for (const area of restAreasOf(segmentPath, `${lo}-${hi}`)) {
          const alongKm = routeOffices[i - 1]!.code === lo ? area.km : segmentPath.length - area.km;
          restAreas.push({ km: travelled + alongKm, lat: 0, lon: 0 });
        }
        points.push(...(i === 1 ? segment : segment.slice(1)));
        travelled += segmentPath.length;
        officeKm.push(travelled);
      }
      const path = buildPath(points);
      restAreas.sort((x, y) => x.km - y.km);
      const placed = restAreas.map((area) => ({ ...offsetKm(positionAt(path, area.km), 0.12, 0.08), km: area.km }));
      result = { key, offices: routeOffices, path, officeKm, restAreas: placed };
    }
    cache.set(key, result);
    return result;
  };

  return { offices, byCode, gateways, junctions, corridorCrossings, route };
};
