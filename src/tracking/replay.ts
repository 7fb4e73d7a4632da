import type { AppContext } from '../main.js';
import type { ManualClock } from '../shared/clock.js';
import { longestDetectorDelayMinutes } from './thresholds.js';

export interface ReplayLine {
  line: number;
  value: unknown;
  text: string;
}

export interface ReplayInput {
  declarations: readonly ReplayLine[];
  events: readonly ReplayLine[];
  telemetry: readonly ReplayLine[];
}

export interface ReplayReport {
  declarations: { accepted: number; rejected: number };
  events: { applied: number; refused: number; duplicates: number; rejected: number };
  telemetry: { accepted: number; duplicates: number; rejected: number };
  ticks: number;
  from: string | null;
  to: string | null;
  /** Where the clock was left: the end of the data plus the longest detector delay. */
  clockEnd: string | null;
}

type Kind = 'declaration' | 'event' | 'telemetry';
interface Item {
  t: number;
  kind: Kind;
  record: ReplayLine;
}

const KIND_ORDER: Record<Kind, number> = { declaration: 0, event: 1, telemetry: 2 };
const BATCH: Record<Kind, number> = { declaration: 500, event: 500, telemetry: 2000 };

const field = (value: unknown, name: string): unknown =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;

const timeOf = (value: unknown): number => {
  const time = field(value, 'time');
  return typeof time === 'string' ? Date.parse(time) : Number.NaN;
};

/** The e-seal device ids a raw declaration names (as the registry will read them once parsed). */
const declaredDevices = (value: unknown): string[] => {
  const equipment = field(value, 'transportEquipment');
  if (!Array.isArray(equipment)) return [];
  return equipment.flatMap((item) => {
    const seals = field(item, 'seals');
    if (!Array.isArray(seals)) return [];
    return seals.flatMap((seal) => {
      const deviceId = field(seal, 'deviceId') ?? (field(seal, 'electronic') === true ? field(seal, 'identifier') : undefined);
      return typeof deviceId === 'string' ? [deviceId] : [];
    });
  });
};

/**
 * Orders a data set in time: events and messages by their own time; a declaration just before the first
 * event of its LRN or the first message of one of its devices, whichever comes first (its submission time
 * is not in the data). Records without a parseable time keep their place at the start, so the live path
 * rejects them with its own reasons.
 */
export const scheduleReplay = (input: ReplayInput): Item[] => {
  const firstEvent = new Map<string, number>();
  for (const record of input.events) {
    const lrn = field(record.value, 'lrn') ?? field(record.value, 'mrn');
    const t = timeOf(record.value);
    if (typeof lrn === 'string' && Number.isFinite(t)) firstEvent.set(lrn, Math.min(firstEvent.get(lrn) ?? Number.POSITIVE_INFINITY, t));
  }
  const firstMessage = new Map<string, number>();
  for (const record of input.telemetry) {
    const device = field(record.value, 'deviceId');
    const t = timeOf(record.value);
    if (typeof device === 'string' && Number.isFinite(t)) firstMessage.set(device, Math.min(firstMessage.get(device) ?? Number.POSITIVE_INFINITY, t));
  }
  const items: Item[] = [];
  for (const record of input.declarations) {
    const lrn = field(record.value, 'lrn');
    let first = typeof lrn === 'string' ? (firstEvent.get(lrn) ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    for (const device of declaredDevices(record.value)) first = Math.min(first, firstMessage.get(device) ?? Number.POSITIVE_INFINITY);
    items.push({ t: Number.isFinite(first) ? first - 1000 : Number.NEGATIVE_INFINITY, kind: 'declaration', record });
  }
  for (const record of input.events) {
    const t = timeOf(record.value);
    items.push({ t: Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY, kind: 'event', record });
  }
  for (const record of input.telemetry) {
    const t = timeOf(record.value);
    items.push({ t: Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY, kind: 'telemetry', record });
  }
  items.sort((a, b) => a.t - b.t || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  return items;
};

export interface ReplayOptions {
  /** How often, in data time, the background tasks (detector tick, overdue sweep) run at most. */
  tickSeconds?: number;
  actor?: string;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Feeds a data set through the live services in time order, the clock following the data: before each
 * batch the clock is set to the batch's time, and background tasks run whenever their period has passed
 * in data time, so the time-based detectors fire as they would live. At the end the clock goes on to the
 * end of the data plus the longest detector delay.
 */
export const replay = async (context: AppContext, clock: ManualClock, input: ReplayInput, options: ReplayOptions = {}): Promise<ReplayReport> => {
  const items = scheduleReplay(input);
  const actor = options.actor ?? 'replay';
  const tickMs = (options.tickSeconds ?? 60) * 1000;
  const report: ReplayReport = {
    declarations: { accepted: 0, rejected: 0 },
    events: { applied: 0, refused: 0, duplicates: 0, rejected: 0 },
    telemetry: { accepted: 0, duplicates: 0, rejected: 0 },
    ticks: 0,
    from: null,
    to: null,
    clockEnd: null,
  };
  const timed = items.filter((item) => Number.isFinite(item.t));
  if (timed.length === 0 && items.length === 0) return report;
  const start = timed[0]?.t ?? clock.now().getTime();
  const end = timed.at(-1)?.t ?? start;
  report.from = new Date(start).toISOString();
  report.to = new Date(end).toISOString();
  const lastRun = new Map<string, number>();
  let nextTick = start + tickMs;

  const runDue = async (now: number, force = false): Promise<void> => {
    for (const task of context.backgroundTasks) {
      const every = Math.max(task.everySeconds * 1000, tickMs);
      if (!force && now - (lastRun.get(task.name) ?? start) < every) continue;
      lastRun.set(task.name, now);
      await task.run();
    }
    report.ticks++;
  };
  const advanceTo = async (t: number): Promise<void> => {
    while (nextTick <= t) {
      clock.set(new Date(nextTick));
      await runDue(nextTick);
      nextTick += tickMs;
    }
  };

  clock.set(new Date(start));
  let index = 0;
  while (index < items.length) {
    const first = items[index]!;
    const batch: Item[] = [first];
    let last = index + 1;
    while (last < items.length && batch.length < BATCH[first.kind] && items[last]!.kind === first.kind && items[last]!.t < nextTick) batch.push(items[last++]!);
    if (Number.isFinite(first.t)) await advanceTo(first.t);
    const batchEnd = Math.max(start, ...batch.map((item) => item.t).filter(Number.isFinite));
    if (batchEnd > clock.now().getTime()) clock.set(new Date(batchEnd));
    if (first.kind === 'declaration') {
      const outcome = await context.movements.declareMany(
        batch.map((item) => ({ input: item.record.value, format: 'json' as const, original: item.record.text, line: item.record.line })),
        actor,
      );
      report.declarations.accepted += outcome.accepted.length;
      report.declarations.rejected += outcome.rejected.length;
    } else if (first.kind === 'event') {
      const outcome = await context.movements.recordEvents(batch.map((item) => ({ input: item.record.value, line: item.record.line })), actor);
      report.events.applied += outcome.applied;
      report.events.refused += outcome.refused.length;
      report.events.duplicates += outcome.duplicates;
      report.events.rejected += outcome.rejected.length;
    } else {
      const outcome = await context.tracking.ingest(batch.map((item) => ({ input: item.record.value, line: item.record.line })));
      report.telemetry.accepted += outcome.accepted;
      report.telemetry.duplicates += outcome.duplicates;
      report.telemetry.rejected += outcome.rejected.length;
    }
    index = last;
    options.onProgress?.(index, items.length);
  }
  const clockEnd = end + longestDetectorDelayMinutes(context.tracking.thresholds) * 60_000 + tickMs;
  await advanceTo(clockEnd);
  clock.set(new Date(clockEnd));
  await runDue(clockEnd, true);
  report.clockEnd = new Date(clockEnd).toISOString();
  return report;
};
