import { Command, Option } from 'commander';
import { LIST_FORMATS, type ListFormat } from '../screening/list-files.js';
import { withContext } from './context.js';
import { startProgress, withProgress } from './progress.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** `caravan lists`: import sanctions list snapshots, list versions, compare two versions. */
export const listsCommand = (): Command => {
  const lists = new Command('lists').description('Sanctions lists: versioned snapshots used by screening');

  lists
    .command('import')
    .description(
      'Import list files as new versions (one per source). Reads OFAC legacy CSV (sdn.csv with alt/add/sdn_comments ' +
        'beside it; cons_prim.csv), UN consolidated XML, EU Official Journal CSV, OpenSanctions FtM JSON lines and the ' +
        'national CSV (docs/screening.md); .gz accepted. Writes a version per source to the store; if any file is ' +
        'malformed nothing is stored and the previous versions stay active. Stored movements whose parties the ' +
        'changes could concern are re-screened.',
    )
    .argument('<files...>', 'list files')
    .option('--source <name>', 'source name for all files (default: per format, e.g. ofac-sdn, un-sc, eu-oj)')
    .addOption(new Option('--format <format>', 'list format (default: detected)').choices([...LIST_FORMATS]))
    .option('--ofac-extras <dir>', 'folder holding alt.csv/add.csv/sdn_comments.csv for an OFAC sdn.csv kept elsewhere')
    .action(async (files: string[], options: { source?: string; format?: ListFormat; ofacExtras?: string }, command: Command) => {
      await withContext(command, async (context) => {
        const service = context.screening;
        const progress = startProgress('Reading lists', files.length);
        const importOptions: { format?: ListFormat; source?: string; ofacCompanionDir?: string } = {};
        if (options.format) importOptions.format = options.format;
        if (options.source) importOptions.source = options.source;
        if (options.ofacExtras) importOptions.ofacCompanionDir = options.ofacExtras;
        let result;
        try {
          result = await service.importFiles(files, importOptions, () => progress.tick());
        } finally {
          progress.stop();
        }
        for (const { version } of result.versions) {
          out(`${version.source}@${version.version} (${version.id}): ${version.entityCount} entries; ` +
            `${version.added} added, ${version.removed} removed, ${version.changed} changed; ${version.rejected} records rejected`);
        }
        const requeued = await context.partyScreening.requeueForChanges(result.versions.map(({ version }) => version.id));
        if (requeued > 0) await withProgress('Re-screening movements', requeued, (done) => context.partyScreening.drain(done));
        out(`${requeued} stored movement(s) had a party this update could concern; re-screened`);
        for (const r of result.rejected.slice(0, 20)) process.stderr.write(`rejected ${r.file} ${r.at}: ${r.reason}\n`);
        if (result.rejected.length > 20) process.stderr.write(`… and ${result.rejected.length - 20} more rejected records\n`);
      });
    });

  lists
    .command('ls')
    .description('List every stored list version (source@version, entries, changes, active or not). Reads the store.')
    .option('--json', 'one JSON object per line')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withContext(command, async (context) => {
        const versions = await context.screening.versions();
        for (const v of versions) {
          if (options.json) out(JSON.stringify(v));
          else out(`${v.active ? '*' : ' '} ${v.source}@${v.version}\t${v.id}\t${v.importedAt}\t${v.entityCount} entries\t+${v.added} -${v.removed} ~${v.changed}\t${v.format}`);
        }
        if (versions.length === 0 && !options.json) out('no lists imported yet: caravan lists import <file…>');
      });
    });

  lists
    .command('diff')
    .description('Entries added, removed and changed from version <a> to <b> (version id, source@n, or a source for its active version). Writes one JSON line per change.')
    .argument('<a>')
    .argument('<b>')
    .action(async (a: string, b: string, _options: unknown, command: Command) => {
      await withContext(command, async (context) => {
        const { from, to, changes } = await context.screening.diff(a, b);
        process.stderr.write(`${from.source}@${from.version} → ${to.source}@${to.version}: ${changes.length} changes\n`);
        for (const change of changes) out(JSON.stringify(change));
      });
    });

  return lists;
};
