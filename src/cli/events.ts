import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { parseNdjson } from '../http/body-parsers.js';
import { withContext } from './context.js';
import { printJson, printRejections } from './output.js';
import { startProgress } from './progress.js';

const importCommand = () =>
  new Command('import')
    .description('Record lifecycle events from an NDJSON file (one event per line, contracts/events.example.ndjson)')
    .argument('<file>', 'the NDJSON file')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { json?: boolean }, command: Command) => {
      const parsed = parseNdjson(readFileSync(file, 'utf8'));
      const records = parsed.flatMap((record) => ('error' in record ? [] : [{ input: record.value, line: record.line }]));
      const unparsable = parsed.flatMap((record) =>
        'error' in record ? [{ line: record.line, message: 'Malformed JSON', issues: [{ path: '', message: record.error }] }] : [],
      );
      await withContext(command, async (context) => {
        const progress = startProgress('Events', records.length);
        let reported = 0;
        const report = await context.movements.recordEvents(records, `import:${path.basename(file)}`, (done) => {
          progress.tick(done - reported);
          reported = done;
        });
        progress.stop();
        const rejected = [...unparsable, ...report.rejected].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
        if (options.json) {
          printJson({ applied: report.applied, duplicates: report.duplicates, refused: report.refused, rejected });
        } else {
          process.stdout.write(
            `${report.applied} applied, ${report.refused.length} refused, ${report.duplicates} duplicates, ${rejected.length} rejected (of ${parsed.length} in ${file})\n`,
          );
          for (const refusal of report.refused) process.stderr.write(`  line ${refusal.line} (${refusal.id}): refused — ${refusal.reason}\n`);
          printRejections(rejected);
        }
        if (rejected.length > 0 || report.refused.length > 0) process.exitCode = 2;
      });
    });

export const eventsCommand = (): Command =>
  new Command('events').description('Lifecycle events from offices').addCommand(importCommand());
