/**
 * The simulator as a library, for `caravan demo` and tests: generate a data set as a time-ordered stream,
 * hand it out as time passes (TrafficFeed), collect it in memory, write it to the contract files, or send
 * it to a running server.
 */
import type { DeclarationInput } from '../movements/declaration.js';
import { type SimRecord, type SimulationOptions, simulate } from './dataset.js';
import type { OfficeEventRecord, TruthRecord } from './movement-plan.js';
import type { TelemetryRecord } from './telemetry.js';

export { DEFAULT_EVASION_RATE, type SimRecord, type SimulationOptions, type SimulationProgress, simulate } from './dataset.js';
export { TrafficFeed } from './feed.js';
export { DATASET_FILES, type DatasetSummary, writeDataset } from './files.js';
export { EVASION_TYPES, type EvasionType, type OfficeEventRecord, type TruthRecord } from './movement-plan.js';
export { type TargetOptions, type TargetReport, sendToServer } from './target.js';
export type { TelemetryRecord } from './telemetry.js';
export { type EvaluationResult, type ScoredAlert, type TruthLine, loadTrackingAlerts, parseTruth, scoreAlerts } from './evaluation.js';

export interface TrafficOptions {
  movements: number;
  start: Date | string;
  /** Days over which movements are declared (each is then followed to its end). */
  durationDays: number;
  seed?: number;
  scenarios?: boolean;
  evasionRate?: number;
  overdueRate?: number;
  referenceDir: string;
  /** Keep only records up to this instant (e.g. now, for a demo whose traffic is still on the road). */
  until?: Date | string;
}

export interface TrafficData {
  declarations: DeclarationInput[];
  events: OfficeEventRecord[];
  telemetry: TelemetryRecord[];
  truth: TruthRecord[];
}

export const simulationOptions = (options: TrafficOptions): SimulationOptions => ({
  movements: options.movements,
  days: options.durationDays,
  seed: options.seed ?? 1,
  start: new Date(options.start),
  scenarios: options.scenarios ?? false,
  ...(options.evasionRate !== undefined ? { evasionRate: options.evasionRate } : {}),
  ...(options.overdueRate !== undefined ? { overdueRate: options.overdueRate } : {}),
  referenceDir: options.referenceDir,
});

/**
 * A whole data set in memory, each list in time order. Meant for demos and tests of a few hundred
 * movements; for thousands use `writeDataset` or `TrafficFeed`, which stream.
 */
export const generateTraffic = (options: TrafficOptions): TrafficData => {
  const until = options.until === undefined ? Number.POSITIVE_INFINITY : new Date(options.until).getTime();
  const data: TrafficData = { declarations: [], events: [], telemetry: [], truth: [] };
  for (const item of simulate(simulationOptions(options)) as Generator<SimRecord>) {
    if (item.time > until) break;
    if (item.kind === 'declaration') data.declarations.push(item.record);
    else if (item.kind === 'event') data.events.push(item.record);
    else if (item.kind === 'telemetry') data.telemetry.push(item.record);
    // Truth comes with its movement's declaration; an evasion that has not started by `until` is not yet truth.
    else if (Date.parse(item.record.start) <= until) data.truth.push({ lrn: item.record.lrn, evasion: item.record.evasion, start: item.record.start });
  }
  return data;
};
