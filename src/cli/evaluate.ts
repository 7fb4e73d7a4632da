import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ALERT_SEVERITIES, type AlertSeverity } from '../alerts/alert.js';
import { type DetectTime, loadTrackingAlerts, parseTruth, scoreAlerts } from '../sim/evaluation.js';
import { EVASION_TYPES } from '../sim/movement-plan.js';
import { withContext } from './context.js';
import { printJson } from './output.js';

const pad = (text: string | number, width: number): string => String(text).padEnd(width);

export const evaluateCommand = (): Command =>
  new Command('evaluate')
    .description(
      'Compare the tracking alerts in the store with a ground-truth file (contracts/truth.example.ndjson): per evasion type, ' +
        'recall (labelled movements with a tracking alert detected at or after the evasion start) and median minutes to ' +
        'detect; overall precision (movements with a tracking alert of severity medium or higher that are labelled). ' +
        'Movements are matched to truth lines by LRN through the movements table. Reads the store named by --data-dir ' +
        '/ --database-url; writes nothing.',
    )
    .requiredOption('--truth <file>', 'ground-truth NDJSON: one {lrn, evasion, start} per line')
    .addOption(
      new Option('--detect-time <which>', 'alert instant that counts as detection: raisedAt (under replay, simulated time) or observedAt')
        .choices(['raised', 'observed'])
        .default('raised'),
    )
    .addOption(
      new Option('--recall-severity <level>', 'lowest alert severity that counts as a detection (the contract: any, i.e. low)')
        .choices([...ALERT_SEVERITIES])
        .default('low'),
    )
    .option('--json', 'print only the documented JSON object')
    .action(async (options: { truth: string; detectTime: DetectTime; recallSeverity: AlertSeverity; json?: boolean }, command: Command) => {
      const truth = parseTruth(readFileSync(options.truth, 'utf8'));
      await withContext(command, async (context) => {
        const { alerts, movements } = await loadTrackingAlerts(context.db);
        const { result, outcomes } = scoreAlerts(truth, alerts, movements, { detectTime: options.detectTime, recallSeverity: options.recallSeverity });
        if (options.json) {
          printJson(result);
          return;
        }
        // Alongside, the same with medium-or-higher alerts only: what an officer's queue would have caught.
        const strict = scoreAlerts(truth, alerts, movements, { detectTime: options.detectTime, recallSeverity: 'medium' }).result;
        const out: string[] = [];
        out.push(
          `${pad('evasion', 18)}${pad('n', 6)}${pad('recall', 9)}${pad('median min', 12)}${pad('recall≥med', 12)}${pad('median≥med', 12)}first alert types`,
        );
        for (const type of EVASION_TYPES) {
          const score = result.byType[type];
          const medium = strict.byType[type];
          const firsts = new Map<string, number>();
          for (const outcome of outcomes) {
            if (outcome.evasion === type && outcome.firstAlertType) firsts.set(outcome.firstAlertType, (firsts.get(outcome.firstAlertType) ?? 0) + 1);
          }
          const kinds = [...firsts].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${kind} ${count}`).join(', ');
          out.push(
            `${pad(type, 18)}${pad(score.n, 6)}${pad(score.recall.toFixed(3), 9)}${pad(score.medianDetectMinutes.toFixed(1), 12)}` +
              `${pad(medium.recall.toFixed(3), 12)}${pad(medium.medianDetectMinutes.toFixed(1), 12)}${kinds}`,
          );
        }
        out.push(
          `precision ${result.precision.toFixed(3)} (${result.alertedMovements} movements with a tracking alert of severity medium or higher, ` +
            `${movements} movements in the store, ${new Set(truth.map((line) => line.lrn)).size} labelled)`,
        );
        const missed = outcomes.filter((outcome) => !outcome.detected);
        if (missed.length > 0) {
          out.push(`missed (${missed.length}): ${missed.slice(0, 20).map((outcome) => `${outcome.lrn} ${outcome.evasion}`).join('; ')}${missed.length > 20 ? '; …' : ''}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });
