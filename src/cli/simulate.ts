import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { DEFAULT_EVASION_RATE, type SimulationOptions } from '../sim/dataset.js';
import { TrafficFeed } from '../sim/feed.js';
import { writeDataset } from '../sim/files.js';
import { sendToServer } from '../sim/target.js';
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
  out?: string;
  scenarios?: boolean;
  evasionRate: number;
  overdueRate: number;
  target?: string;
  token?: string;
  json?: boolean;
}

const overdueShare = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 0.5) throw new InvalidArgumentError('must be a share between 0 and 0.5, e.g. 0.02');
  return n;
};

export const simulateCommand = (): Command =>
  new Command('simulate')
    .description(
      'Generate realistic lorry traffic across Kazakhstan: declarations, office events and e-seal telemetry for N movements ' +
        'declared over D days, each followed to its end; with --scenarios, labelled evasions and their ground truth. ' +
        'Reads offices, corridors and the HS nomenclature from the reference folder; writes declarations.ndjson, ' +
        'events.ndjson, telemetry.ndjson and truth.ndjson (the formats of ../shared/contracts) into --out, each in time order, ' +
        'or with --target sends them to a running server. The same seed gives the same data. Model: docs/simulator.md.',
    )
    .option('--movements <n>', 'number of movements', positiveInteger, 2000)
    .option('--days <d>', 'days over which the movements are declared', positiveNumber, 1)
    .option('--seed <s>', 'random seed (an integer)', (value) => Number.parseInt(value, 10), 1)
    .option('--start <iso>', 'when the first day starts (UTC); default 2026-11-25T00:00:00Z, or --days before now with --target', instant)
    .option('--out <dir>', 'folder to write the four NDJSON files into (created if missing)')
    .option('--scenarios', 'inject labelled evasions of the six types and write them to truth.ndjson')
    .option('--evasion-rate <share>', 'share of movements that carry an evasion with --scenarios', share, DEFAULT_EVASION_RATE)
    .option('--overdue-rate <share>', 'share of legitimate movements given a time limit they cannot meet (they go overdue)', overdueShare, 0)
    .option('--target <url>', 'instead of files, send to a running Caravan at this base URL (movements/bulk, events/bulk, telemetry), in time order; records later than now are sent when their time comes')
    .option('--token <token>', 'machine token for --target (Authorization: Bearer); env CARAVAN_TOKEN')
    .option('--json', 'print the summary as JSON')
    .action(async (options: SimulateOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = loadConfig({ referenceDir: globals.referenceDir });
      if (!Number.isInteger(options.seed)) throw new InvalidArgumentError('--seed must be an integer');
      if (!options.out && !options.target) throw new InvalidArgumentError('give --out <dir> to write files, or --target <url> to send to a server');
      const start =
        options.start ?? (options.target ? new Date(Date.now() - options.days * 24 * 3_600_000) : new Date('2026-11-25T00:00:00Z'));
      const simulation: SimulationOptions = {
        movements: options.movements,
        days: options.days,
        seed: options.seed,
        start,
        scenarios: options.scenarios === true,
        evasionRate: options.evasionRate,
        overdueRate: options.overdueRate,
        referenceDir: config.referenceDir,
      };
      if (options.target) {
        const token = options.token ?? process.env.CARAVAN_TOKEN;
        if (!token) throw new InvalidArgumentError('--target needs --token (or CARAVAN_TOKEN)');
        process.stderr.write(`sending to ${options.target}; records dated after now are sent as their time comes (Ctrl-C stops)\n`);
        let lastLine = 0;
        const report = await sendToServer(new TrafficFeed(simulation), {
          url: options.target,
          token,
          onSent: (sent) => {
            if (Date.now() - lastLine < 2000) return;
            lastLine = Date.now();
            process.stderr.write(`  sent ${sent.declarations} declarations, ${sent.events} events, ${sent.telemetry} messages\n`);
          },
        });
        if (options.json) printJson(report);
        else {
          process.stdout.write(
            `sent ${report.sent.declarations} declarations, ${report.sent.events} events, ${report.sent.telemetry} telemetry messages; ` +
              `${report.problemCount} records refused or rejected\n`,
          );
          for (const problem of report.problems) process.stderr.write(`  ${problem}\n`);
        }
        return;
      }
      const out = options.out!;
      const progress = startProgress('Movements', options.movements);
      let reported = 0;
      const summary = await writeDataset(
        simulation,
        out,
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
