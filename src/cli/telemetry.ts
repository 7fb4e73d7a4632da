import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parseNdjson } from '../http/body-parsers.js';
import { withContext } from './context.js';
import { printJson } from './output.js';
import { startProgress } from './progress.js';

/** Messages per transaction: large enough for throughput, small enough that progress moves. */
const CHUNK = 2000;

const importCommand = () =>
  new Command('import')
    .description(
      'Ingest e-seal messages from an NDJSON file (one message per line, contracts/telemetry.example.ndjson) through the same path as ' +
        'POST /api/v1/telemetry: stored, deduplicated by deviceId+messageId, run through the detectors of bound movements. ' +
        'Reports accepted, duplicate and rejected counts, and each rejected line with its reasons.',
    )
    .argument('<file>', 'the NDJSON file')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { json?: boolean }, command: Command) => {
      const parsed = parseNdjson(readFileSync(file, 'utf8'));
      await withContext(command, async (context) => {
        const progress = startProgress('Telemetry', parsed.length);
        const report = { accepted: 0, duplicates: 0, rejected: [] as { line: number; reasons: { path: string; message: string }[] }[] };
        for (let start = 0; start < parsed.length; start += CHUNK) {
          const chunk = parsed.slice(start, start + CHUNK);
          const records = [];
          for (const record of chunk) {
            if ('error' in record) report.rejected.push({ line: record.line, reasons: [{ path: '', message: record.error }] });
            else records.push({ input: record.value, line: record.line });
          }
          const outcome = await context.tracking.ingest(records);
          report.accepted += outcome.accepted;
          report.duplicates += outcome.duplicates;
          for (const rejected of outcome.rejected) report.rejected.push({ line: rejected.line ?? 0, reasons: rejected.reasons });
          progress.tick(chunk.length);
        }
        progress.stop();
        report.rejected.sort((a, b) => a.line - b.line);
        if (options.json) printJson(report);
        else {
          process.stdout.write(`${report.accepted} accepted, ${report.duplicates} duplicates, ${report.rejected.length} rejected (of ${parsed.length} in ${file})\n`);
          for (const rejected of report.rejected) {
            process.stderr.write(`  line ${rejected.line}: ${rejected.reasons.map((r) => `${r.path || '(record)'}: ${r.message}`).join('; ')}\n`);
          }
        }
        if (report.rejected.length > 0) process.exitCode = 2;
      });
    });

export const telemetryCommand = (): Command =>
  new Command('telemetry').description('E-seal telemetry').addCommand(importCommand());
