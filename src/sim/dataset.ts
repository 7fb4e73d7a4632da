import type { DeclarationInput } from '../movements/declaration.js';
import { loadNomenclature } from '../goods/nomenclature.js';
import { goodsCatalogue } from './consignment.js';
import { distanceKm } from './geometry.js';
import { EVASION_TYPES, type EvasionType, type MovementPlan, type OfficeEventRecord, type PlanWorld, type TruthRecord, planMovement } from './movement-plan.js';
import { buildRoadNetwork, loadCorridorHints, loadOffices } from './network.js';
import { Random, mixSeed } from './random.js';
import { type TelemetryRecord, telemetryOf } from './telemetry.js';
import { HOUR, localHour } from './timeline.js';

export interface SimulationOptions {
  movements: number;
  /** Movements are declared over this many days from `start`; each is then followed to its end. */
  days: number;
  seed: number;
  start: Date;
  /** Inject labelled evasions. */
  scenarios: boolean;
  /** Share of movements that carry an evasion when `scenarios` is on (default 0.09, split over the six types). */
  evasionRate?: number;
  /** Share of legitimate movements given a time limit they cannot meet, so they go overdue en route (default 0). */
  overdueRate?: number;
  referenceDir: string;
}

export type SimRecord =
  | { kind: 'declaration'; time: number; lrn: string; record: DeclarationInput }
  | { kind: 'event'; time: number; lrn: string; record: OfficeEventRecord }
  | { kind: 'telemetry'; time: number; lrn: string; record: TelemetryRecord }
  | { kind: 'truth'; time: number; lrn: string; record: TruthRecord };

export const DEFAULT_EVASION_RATE = 0.09;

/** Reference data the simulator reads once: offices, corridors, the HS nomenclature. */
export const loadWorld = (referenceDir: string, seed: number): PlanWorld => {
  const offices = loadOffices(referenceDir);
  const network = buildRoadNetwork(offices, loadCorridorHints(referenceDir));
  const towns = offices.filter((office) => office.country === 'KZ');
  return {
    network,
    goods: goodsCatalogue(loadNomenclature(referenceDir)),
    towns: {
      nearestTownKm: (p) => {
        let best = Number.POSITIVE_INFINITY;
        for (const town of towns) {
          const quick = Math.abs(town.lat - p.lat) * 111;
          if (quick >= best) continue;
          best = Math.min(best, distanceKm(p, town));
        }
        return best;
      },
    },
    seed,
    seedTag: (seed >>> 0).toString(36).toUpperCase(),
  };
};

/** When each movement is declared: spread over the days, busier in the local working day. */
export const lodgingTimes = (options: Pick<SimulationOptions, 'movements' | 'days' | 'seed' | 'start'>): number[] => {
  const random = new Random(mixSeed(options.seed, 0x10d6e));
  const start = options.start.getTime();
  const span = options.days * 24 * HOUR;
  const times: number[] = [];
  while (times.length < options.movements) {
    const time = start + random.next() * span;
    const hour = localHour(time);
    if (random.next() < (hour >= 7 && hour < 20 ? 1 : 0.35)) times.push(Math.floor(time / 1000) * 1000);
  }
  return times.sort((a, b) => a - b);
};

/** Which movements carry which evasion: a fixed share per type, spread at random over the set. */
export const evasionAssignments = (options: Pick<SimulationOptions, 'movements' | 'seed' | 'scenarios' | 'evasionRate'>): Map<number, EvasionType> => {
  const assigned = new Map<number, EvasionType>();
  if (!options.scenarios || options.movements === 0) return assigned;
  const perType = Math.max(1, Math.round((options.movements * (options.evasionRate ?? DEFAULT_EVASION_RATE)) / EVASION_TYPES.length));
  const random = new Random(mixSeed(options.seed, 0xe7a5));
  const indices = random.shuffle(Array.from({ length: options.movements }, (_, i) => i));
  let cursor = 0;
  for (const type of EVASION_TYPES) {
    for (let i = 0; i < perType && cursor < indices.length; i++) assigned.set(indices[cursor++]!, type);
  }
  return assigned;
};

function* recordsOf(plan: MovementPlan, seed: number): Generator<SimRecord> {
  const { lrn } = plan;
  yield { kind: 'declaration', time: plan.lodgedAt, lrn, record: plan.declaration };
  if (plan.truth) yield { kind: 'truth', time: plan.lodgedAt, lrn, record: plan.truth };
  const events = plan.events.map((record) => ({ time: Date.parse(record.time), record }));
  let e = 0;
  for (const fix of telemetryOf(plan, seed)) {
    while (e < events.length && events[e]!.time <= fix.time) {
      yield { kind: 'event', time: events[e]!.time, lrn, record: events[e]!.record };
      e++;
    }
    yield { kind: 'telemetry', time: fix.time, lrn, record: fix.record };
  }
  for (; e < events.length; e++) yield { kind: 'event', time: events[e]!.time, lrn, record: events[e]!.record };
}

interface HeapEntry {
  time: number;
  order: number;
  record: SimRecord;
  source: Generator<SimRecord>;
}

/** A binary min-heap on (time, order), so records of many lorries come out in one time order. */
class RecordHeap {
  private readonly items: HeapEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): HeapEntry | undefined {
    return this.items[0];
  }

  push(entry: HeapEntry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): HeapEntry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.less(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && this.less(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }

  private less(a: HeapEntry, b: HeapEntry): boolean {
    return a.time < b.time || (a.time === b.time && a.order < b.order);
  }
}

export interface SimulationProgress {
  /** Called each time a movement is planned and starts producing records. */
  onMovement?(planned: number, total: number): void;
}

/**
 * The whole data set as one stream in time order (declarations first for their movement, then events and
 * telemetry interleaved). Movements are planned only when their declaration time comes, and a finished
 * movement is dropped, so memory follows the number of lorries on the road, not the size of the data set.
 */
export function* simulate(options: SimulationOptions, progress: SimulationProgress = {}, world = loadWorld(options.referenceDir, options.seed)): Generator<SimRecord> {
  const times = lodgingTimes(options);
  const evasions = evasionAssignments(options);
  const heap = new RecordHeap();
  const overdueRate = options.overdueRate ?? 0;
  let order = 0;
  let planned = 0;
  const admit = (source: Generator<SimRecord>) => {
    const first = source.next();
    if (!first.done) heap.push({ time: first.value.time, order: order++, record: first.value, source });
  };
  while (planned < times.length || heap.size > 0) {
    const nextLodging = planned < times.length ? times[planned]! : Number.POSITIVE_INFINITY;
    const top = heap.peek();
    if (!top || nextLodging <= top.time) {
      const evasion = evasions.get(planned);
      const tightLimit = !evasion && overdueRate > 0 && new Random(mixSeed(options.seed, planned, 0x0d0e)).chance(overdueRate);
      const plan = planMovement(world, { index: planned, lodgedAt: nextLodging, ...(evasion ? { evasion } : {}), tightLimit });
      planned++;
      progress.onMovement?.(planned, times.length);
      admit(recordsOf(plan, options.seed));
      continue;
    }
    heap.pop();
    yield top.record;
    const following = top.source.next();
    if (!following.done) heap.push({ time: following.value.time, order: order++, record: following.value, source: top.source });
  }
}
