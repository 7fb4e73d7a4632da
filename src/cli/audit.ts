import { Command } from 'commander';
import { withContext } from './context.js';

export const auditCommand = (): Command => {
  const audit = new Command('audit').description('The hash-chained audit log of every write');
  audit
    .command('verify')
    .description('Re-compute the chain; exits 1 and names the first broken record when a row was changed or removed')
    .action(async (_options: unknown, command: Command) => {
      await withContext(command, async (context) => {
        const result = await context.audit.verify();
        if (result.ok) {
          process.stdout.write(`Audit chain intact: ${result.records} records.\n`);
          return;
        }
        process.stdout.write(`Audit chain BROKEN at record ${result.brokenAt}: ${result.reason} (${result.records} records checked).\n`);
        process.exitCode = 1;
      });
    });
  audit
    .command('export')
    .description('Print the log as NDJSON, oldest first, with each record’s hash and the hash it links to')
    .option('--after <seq>', 'start after this sequence number', (value) => Number(value), 0)
    .action(async (options: { after: number }, command: Command) => {
      await withContext(command, async (context) => {
        let after = options.after;
        for (;;) {
          const page = await context.audit.list({ afterSeq: after, limit: 1000 });
          for (const record of page) process.stdout.write(`${JSON.stringify(record)}\n`);
          if (page.length < 1000) break;
          after = page.at(-1)!.seq;
        }
      });
    });
  return audit;
};
