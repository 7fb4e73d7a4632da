import { Command, CommanderError } from 'commander';
import { isDomainError } from '../shared/errors.js';
import { auditCommand } from './audit.js';
import { demoCommand } from './demo.js';
import { eventsCommand } from './events.js';
import { controlListsCommand, goodsCommand } from './goods.js';
import { migrateCommand } from './migrate.js';
import { listsCommand } from './lists.js';
import { screenCommand } from './screen.js';
import { movementsCommand } from './movements.js';
import { serveCommand } from './serve.js';
import { tokensCommand, usersCommand } from './users.js';
import { simulateCommand } from './simulate.js';
import { evaluateCommand } from './evaluate.js';
import { replayCommand } from './replay.js';
import { telemetryCommand } from './telemetry.js';

const program = new Command('caravan')
  .description('Caravan: transit movements, e-seal tracking, goods control and sanctions screening for customs')
  .option('--data-dir <dir>', 'folder of the embedded SQLite store (env CARAVAN_DATA_DIR, default ./.caravan)')
  .option('--database-url <url>', 'use PostgreSQL instead of SQLite (env DATABASE_URL)')
  .option('--reference-dir <dir>', 'reference data folder (env CARAVAN_REFERENCE_DIR, default ../shared/data)')
  .showHelpAfterError()
  .exitOverride();

// One line per command module; each file under src/cli/ owns one command and its --help.
const commands: Command[] = [
  serveCommand(),
  demoCommand(),
  usersCommand(),
  tokensCommand(),
  auditCommand(),
  migrateCommand(),
  listsCommand(),
  screenCommand(),
  movementsCommand(),
  eventsCommand(),
  goodsCommand(),
  controlListsCommand(),
  simulateCommand(),
  evaluateCommand(),
  telemetryCommand(),
  replayCommand(),
];
for (const command of commands) program.addCommand(command);

const describeFailure = (error: unknown): string => {
  if (isDomainError(error)) {
    const lines = [`error: ${error.message}`];
    for (const issue of error.issues) lines.push(`  ${issue.path || '(document)'}: ${issue.message}`);
    return lines.join('\n');
  }
  return `error: ${error instanceof Error ? error.message : String(error)}`;
};

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`${describeFailure(error)}\n`);
  process.exit(1);
}
