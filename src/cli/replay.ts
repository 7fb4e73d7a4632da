import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { parseNdjson } from '../http/body-parsers.js';
import { createAppContext } from '../main.js';
import { ManualClock } from '../shared/clock.js';
import { replay, type ReplayLine } from '../tracking/replay.js';
import type { GlobalOptions } from './context.js';
import { printJson } from './output.js';
import { startProgress } from './progress.js';

/** Lines that are not JSON go through as text, so the live path rejects them with its own reasons. */
const readLines = (file: string): ReplayLine[] =>
  parseNdjson(readFileSync(file, 'utf8')).map((record) => ('error' in record ? { line: record.line, value: record.text, text: record.text } : { line: record.line, value: record.value, text: record.text }));

export const replayCommand = (): Command =>
  new Command('replay')
    .description(
      'Feed a data set in the formats of ../shared/contracts (declarations NDJSON, events NDJSON, telemetry NDJSON) through the same ' +
        'services as the live API, in time order, with Caravan\'s clock following the data: declarations just before their first event ' +
        'or message, background tasks (detector tick, overdue sweep) as data time passes, and at the end the clock advanced to the end ' +
        'of the data plus the longest detector delay so pending findings fire. Writes movements, events, telemetry and alerts into the ' +
        'store named by --data-dir / --database-url; `caravan evaluate` reads them.',
    )
    .requiredOption('--declarations <file>', 'declarations, one JSON per line')
    .requiredOption('--events <file>', 'lifecycle events, one JSON per line')
    .requiredOption('--telemetry <file>', 'e-seal messages, one JSON per line')
    .option('--tick-seconds <n>', 'how often in data time the time-based detectors run', '60')
    .option('--json', 'print the report as JSON')
    .action(async (options: { declarations: string; events: string; telemetry: string; tickSeconds: string; json?: boolean }, command: Command) => {
      const input = { declarations: readLines(options.declarations), events: readLines(options.events), telemetry: readLines(options.telemetry) };
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = loadConfig({ dataDir: globals.dataDir, databaseUrl: globals.databaseUrl, referenceDir: globals.referenceDir });
      const clock = new ManualClock(new Date(0));
      const context = await createAppContext(config, { clock });
      try {
        const total = input.declarations.length + input.events.length + input.telemetry.length;
        const progress = startProgress('Replay', total);
        let reported = 0;
        const report = await replay(context, clock, input, {
          tickSeconds: Number(options.tickSeconds),
          actor: 'replay',
          onProgress: (done) => {
            progress.tick(done - reported);
            reported = done;
          },
        });
        progress.stop();
        if (options.json) printJson(report);
        else {
          process.stdout.write(
            `replayed ${report.from} → ${report.to} (clock left at ${report.clockEnd}, ${report.ticks} ticks)\n` +
              `declarations: ${report.declarations.accepted} accepted, ${report.declarations.rejected} rejected\n` +
              `events: ${report.events.applied} applied, ${report.events.refused} refused, ${report.events.duplicates} duplicates, ${report.events.rejected} rejected\n` +
              `telemetry: ${report.telemetry.accepted} accepted, ${report.telemetry.duplicates} duplicates, ${report.telemetry.rejected} rejected\n`,
          );
        }
      } finally {
        await context.close();
      }
    });
