import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Config } from '../config.js';
import { DemoClock, type DemoOptions, defaultDemoOptions, seedDemo, type SeededDemo } from '../demo/demo.js';
import { type AppContext, createAppContext } from '../main.js';
import { DomainError } from '../shared/errors.js';
import { openContext } from './context.js';
import { type Progress, startProgress } from './progress.js';

const progressReporter = () => {
  let bar: Progress | undefined;
  let current = '';
  let shown = 0;
  return {
    onProgress: (stage: string, done: number, total: number) => {
      if (stage !== current) {
        bar?.stop();
        bar = startProgress(`demo ${stage}`, total);
        current = stage;
        shown = 0;
      }
      bar?.tick(done - shown);
      shown = done;
    },
    stop: () => bar?.stop(),
  };
};

/** Seeds the demo into an open context whose clock is a DemoClock. */
const seed = async (context: AppContext, clock: DemoClock, options: DemoOptions): Promise<SeededDemo> => {
  const progress = progressReporter();
  try {
    return await seedDemo(context, clock, { ...options, onProgress: progress.onProgress });
  } finally {
    progress.stop();
  }
};

/**
 * The demo store for `serve --demo`: always a fresh SQLite file under `<data-dir>/demo`, so the demo
 * starts the same way every time and never touches the operator's own data.
 */
export const openDemo = async (config: Config, options: DemoOptions = defaultDemoOptions): Promise<{ context: AppContext; demo: SeededDemo }> => {
  const demoConfig: Config = { ...config, dataDir: join(config.dataDir, 'demo'), databaseUrl: null };
  rmSync(demoConfig.dataDir, { recursive: true, force: true });
  const clock = new DemoClock(new Date());
  const context = await createAppContext(demoConfig, { clock });
  try {
    return { context, demo: await seed(context, clock, options) };
  } catch (error) {
    await context.close();
    throw error;
  }
};

const positiveInteger = (name: string) => (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new DomainError('validation', `--${name} must be a positive whole number`, [{ path: name, message: `got ${value}` }]);
  return parsed;
};

export const demoCommand = (): Command =>
  new Command('demo')
    .description(
      'Fill an empty store with demo data: simulated lorry traffic of the last days across Kazakhstan (with labelled evasions), ' +
        'hand-written stories (controlled chips misdeclared and routed to Russia, an overdue transit, a refused event), ' +
        'and everything the capabilities make of them. `caravan serve --demo` does this in a fresh store and keeps the traffic live.',
    )
    .option('--movements <n>', 'movements declared over the demo window', positiveInteger('movements'), defaultDemoOptions.movements)
    .option('--history-days <n>', 'days of traffic before now', positiveInteger('history-days'), defaultDemoOptions.historyDays)
    .option('--seed <n>', 'simulation seed', positiveInteger('seed'), defaultDemoOptions.seed)
    .action(async (options: { movements: number; historyDays: number; seed: number }, command: Command) => {
      const probe = await openContext(command);
      const existing = await probe.movements.list({}, { limit: 1 }).finally(() => probe.close());
      if (existing.items.length > 0) {
        throw new DomainError('conflict', 'The store already holds movements; the demo only fills an empty store', [
          { path: 'data-dir', message: 'choose an empty --data-dir, or run `caravan serve --demo`, which uses a fresh store of its own' },
        ]);
      }
      const clock = new DemoClock(new Date());
      const context = await openContext(command, {}, { clock });
      try {
        const seeded = await seed(context, clock, options);
        process.stdout.write(`Demo ready: ${seeded.movementsDeclared} movements declared.\n`);
      } finally {
        await context.close();
      }
    });
