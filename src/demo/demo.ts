import type { AppContext } from '../main.js';
import { defaultListImports, type ListImport } from '../screening/default-lists.js';
import { ManualClock } from '../shared/clock.js';
import { type SimRecord, simulationOptions, TrafficFeed } from '../sim/index.js';
import { demoStories } from './stories.js';

/**
 * Caravan's clock during a demo: it follows the data while the past is seeded (so detectors and the
 * overdue sweep see the hours pass as they would have live), then follows the wall clock.
 */
export class DemoClock extends ManualClock {
  private live = false;

  override now(): Date {
    return this.live ? new Date() : super.now();
  }

  goLive(): void {
    this.live = true;
  }
}

export interface DemoOptions {
  /** Movements declared over the demo window; about a third are still on the road at `now`. */
  movements: number;
  /** How far before now the simulated traffic starts. */
  historyDays: number;
  seed: number;
  /** Sanctions lists imported before the traffic, so every declared party is screened (default: all shipped lists). */
  sanctionsLists?: ListImport[];
  onProgress?: (stage: string, done: number, total: number) => void;
}

export const defaultDemoOptions: DemoOptions = { movements: 400, historyDays: 3, seed: 2026 };

const ACTOR = 'demo';

/** A record of the simulated traffic or of the stories, in the exchange formats. */
interface DemoRecord {
  kind: SimRecord['kind'];
  time: number;
  record: unknown;
}
const TICK_MS = 60_000;

/** Hands records of one kind, in time order, to the same services the API uses. */
const deliver = async (context: AppContext, records: readonly DemoRecord[]): Promise<void> => {
  const declarations = records.filter((record) => record.kind === 'declaration');
  const events = records.filter((record) => record.kind === 'event');
  const telemetry = records.filter((record) => record.kind === 'telemetry');
  if (declarations.length > 0) {
    await context.movements.declareMany(
      declarations.map((record) => ({ input: record.record, format: 'json' as const, original: JSON.stringify(record.record) })),
      ACTOR,
    );
  }
  if (events.length > 0) await context.movements.recordEvents(events.map((record) => ({ input: record.record })), ACTOR);
  if (telemetry.length > 0) await context.tracking.ingest(telemetry.map((record) => ({ input: record.record })));
};

/** Groups records into runs of one kind, keeping time order between runs. */
const runsOfOneKind = (records: readonly DemoRecord[], limit: number): DemoRecord[][] => {
  const runs: DemoRecord[][] = [];
  for (const record of records) {
    const current = runs.at(-1);
    if (current && current[0]!.kind === record.kind && current.length < limit) current.push(record);
    else runs.push([record]);
  }
  return runs;
};

const runBackgroundTasks = async (context: AppContext): Promise<void> => {
  for (const task of context.backgroundTasks) await task.run();
};

export interface SeededDemo {
  /** Keeps the simulated traffic going as the wall clock passes; register it as a background task. */
  liveTraffic(): Promise<number>;
  movementsDeclared: number;
}

/**
 * Fills an empty store with the demo: simulated traffic (with labelled evasions) from `historyDays`
 * ago up to now, plus the hand-written stories, fed minute by minute of data time through the live
 * services so every capability reacts as it would have. Afterwards the clock follows the wall clock and
 * `liveTraffic` delivers what the simulation says happens next.
 */
export const seedDemo = async (context: AppContext, clock: DemoClock, options: DemoOptions = defaultDemoOptions): Promise<SeededDemo> => {
  await context.users.ensureDemoAccounts();
  const lists = options.sanctionsLists ?? defaultListImports(context.config.referenceDir);
  for (const [index, { files, options: importOptions }] of lists.entries()) {
    await context.screening.importFiles(files, importOptions);
    options.onProgress?.('sanctions lists', index + 1, lists.length);
  }
  await context.screening.index();
  const now = new Date();
  const start = new Date(now.getTime() - options.historyDays * 86_400_000);
  const feed = new TrafficFeed(
    simulationOptions({
      movements: options.movements,
      start,
      durationDays: options.historyDays + 1,
      seed: options.seed,
      scenarios: true,
      referenceDir: context.config.referenceDir,
    }),
  );
  const stories = demoStories(now);
  const storyRecords: DemoRecord[] = [
    ...stories.declarations.map((declaration) => {
      const first = stories.events.find((event) => event.lrn === declaration.lrn)!;
      return { kind: 'declaration' as const, time: Date.parse(first.time) - 60_000, record: declaration };
    }),
    ...stories.events.map((event) => ({ kind: 'event' as const, time: Date.parse(event.time), record: event })),
  ];

  const past: DemoRecord[] = [...feed.takeUntil(now), ...storyRecords]
    .filter((record) => record.kind !== 'truth')
    .sort((a, b) => a.time - b.time);
  let declared = 0;
  let done = 0;
  clock.set(new Date(past[0]?.time ?? now.getTime()));
  let nextTick = clock.now().getTime() + TICK_MS;
  for (const run of runsOfOneKind(past, 2000)) {
    const runStart = run[0]!.time;
    while (nextTick <= runStart) {
      clock.set(new Date(nextTick));
      await runBackgroundTasks(context);
      nextTick += 15 * TICK_MS;
    }
    clock.set(new Date(Math.max(clock.now().getTime(), run.at(-1)!.time)));
    await deliver(context, run);
    if (run[0]!.kind === 'declaration') declared += run.length;
    done += run.length;
    options.onProgress?.('traffic', done, past.length);
  }
  clock.set(now);
  clock.goLive();
  await runBackgroundTasks(context);

  return {
    movementsDeclared: declared,
    liveTraffic: async () => {
      const due = feed.takeUntil(new Date()).filter((record) => record.kind !== 'truth');
      for (const run of runsOfOneKind(due, 2000)) await deliver(context, run);
      return due.length;
    },
  };
};
