import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { DEFAULT_EVASION_RATE } from '../sim/dataset.js';
import { writeDataset } from '../sim/files.js';
import type { GlobalOptions } from './context.js';
import { printJson } from './output.js';
import { startProgress } from './progress.js';

const positiveInteger = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a whole number above zero');
  return n;
};

const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above zero');
  return n;
};

const share = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 0.6) throw new InvalidArgumentError('must be a share between 0 and 0.6, e.g. 0.09');
  return n;
};

const instant = (value: string): Date => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be an ISO 8601 date or date-time, e.g. 2026-11-25T00:00:00Z');
  return date;
};

interface SimulateOptions {
  movements: number;
  days: number;
  seed: number;
  start: Date;
  out: string;
  scenarios?: boolean;
  evasionRate: number;
  json?: boolean;
}

export const simulateCommand = (): Command =>
  new Command('simulate')
    .description(
      'Generate realistic lorry traffic across Kazakhstan: declarations, office events and e-seal telemetry for N movements ' +
        'declared over D days, each followed to its end; with --scenarios, labelled evasions and their ground truth. ' +
        'Reads offices, corridors and the HS nomenclature from the reference folder; writes declarations.ndjson, ' +
        'events.ndjson, telemetry.ndjson and truth.ndjson (the formats of ../shared/contracts) into --out, each in time order. ' +
        'The same seed gives the same files.',
    )
    .option('--movements <n>', 'number of movements', positiveInteger, 2000)
    .option('--days <d>', 'days over which the movements are declared', positiveNumber, 1)
    .option('--seed <s>', 'random seed (an integer)', (value) => Number.parseInt(value, 10), 1)
    .option('--start <iso>', 'when the first day starts (UTC)', instant, new Date('2026-11-25T00:00:00Z'))
    .requiredOption('--out <dir>', 'folder to write the four NDJSON files into (created if missing)')
    .option('--scenarios', 'inject labelled evasions of the six types and write them to truth.ndjson')
    .option('--evasion-rate <share>', 'share of movements that carry an evasion with --scenarios', share, DEFAULT_EVASION_RATE)
    .option('--json', 'print the summary as JSON')
    .action(async (options: SimulateOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = loadConfig({ referenceDir: globals.referenceDir });
      if (!Number.isInteger(options.seed)) throw new InvalidArgumentError('--seed must be an integer');
      const progress = startProgress('Movements', options.movements);
      let reported = 0;
      const summary = await writeDataset(
        {
          movements: options.movements,
          days: options.days,
          seed: options.seed,
          start: options.start,
          scenarios: options.scenarios === true,
          evasionRate: options.evasionRate,
          referenceDir: config.referenceDir,
        },
        options.out,
        {
          onMovement: (planned) => {
            progress.tick(planned - reported);
            reported = planned;
          },
        },
      );
      progress.stop();
      if (options.json) {
        printJson(summary);
        return;
      }
      const { counts } = summary;
      process.stdout.write(
        `${counts.declarations} declarations, ${counts.events} events, ${counts.telemetry} telemetry messages, ` +
          `${counts.truth} labelled evasions from ${summary.from} to ${summary.to}\n` +
          `written to ${summary.directory}\n`,
      );
    });
