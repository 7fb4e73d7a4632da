import { once } from 'node:events';
import { type WriteStream, createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type SimulationOptions, type SimulationProgress, simulate } from './dataset.js';

export const DATASET_FILES = {
  declaration: 'declarations.ndjson',
  event: 'events.ndjson',
  telemetry: 'telemetry.ndjson',
  truth: 'truth.ndjson',
} as const;

export interface DatasetSummary {
  directory: string;
  files: { declarations: string; events: string; telemetry: string; truth: string };
  counts: { declarations: number; events: number; telemetry: number; truth: number };
  /** Time of the first and last record (ISO). */
  from: string | null;
  to: string | null;
}

const close = async (stream: WriteStream): Promise<void> => {
  stream.end();
  await once(stream, 'finish');
};

/**
 * Writes a simulated data set as the four NDJSON files of the contracts, each in time order. Records are
 * streamed to disk as they are produced and writing waits when the disk falls behind.
 */
export const writeDataset = async (options: SimulationOptions, outDir: string, progress: SimulationProgress = {}): Promise<DatasetSummary> => {
  mkdirSync(outDir, { recursive: true });
  const files = {
    declarations: path.join(outDir, DATASET_FILES.declaration),
    events: path.join(outDir, DATASET_FILES.event),
    telemetry: path.join(outDir, DATASET_FILES.telemetry),
    truth: path.join(outDir, DATASET_FILES.truth),
  };
  const streams = {
    declaration: createWriteStream(files.declarations),
    event: createWriteStream(files.events),
    telemetry: createWriteStream(files.telemetry),
    truth: createWriteStream(files.truth),
  };
  const counts = { declarations: 0, events: 0, telemetry: 0, truth: 0 };
  let from: number | null = null;
  let to: number | null = null;
  try {
    for (const item of simulate(options, progress)) {
      from ??= item.time;
      to = Math.max(to ?? item.time, item.time);
      const stream = streams[item.kind];
      if (item.kind === 'declaration') counts.declarations++;
      else if (item.kind === 'event') counts.events++;
      else if (item.kind === 'telemetry') counts.telemetry++;
      else counts.truth++;
      const record = item.kind === 'truth' ? { lrn: item.record.lrn, evasion: item.record.evasion, start: item.record.start } : item.record;
      if (!stream.write(`${JSON.stringify(record)}\n`)) await once(stream, 'drain');
    }
  } finally {
    await Promise.all(Object.values(streams).map(close));
  }
  return {
    directory: outDir,
    files,
    counts,
    from: from === null ? null : new Date(from).toISOString(),
    to: to === null ? null : new Date(to).toISOString(),
  };
};
