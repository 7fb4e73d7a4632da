import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { parseControlListCsv } from '../goods/control-list.js';
import { DomainError } from '../shared/errors.js';
import { withContext } from './context.js';
import { printJson } from './output.js';

const countries = (value: string): string[] => value.split(',').map((country) => country.trim().toUpperCase()).filter(Boolean);

export const goodsCommand = (): Command => {
  const goods = new Command('goods').description('HS nomenclature and goods control');
  goods
    .command('classify')
    .description('Suggest HS-6 subheadings for a goods description (any language), with the words that led there')
    .argument('<description>')
    .option('--limit <n>', 'how many candidates', (value) => Number(value), 5)
    .option('--json', 'print JSON')
    .action(async (description: string, options: { limit: number; json?: boolean }, command: Command) => {
      await withContext(command, async (context) => {
        const candidates = context.goods.classifier.classify(description, options.limit);
        if (options.json) return printJson(candidates);
        if (candidates.length === 0) process.stdout.write('No candidate: no word of the description is known to the nomenclature or the trade vocabulary.\n');
        for (const candidate of candidates) {
          process.stdout.write(`${candidate.hs6}  ${String(candidate.score).padStart(6)}  ${candidate.description}\n        via ${candidate.evidence.map((item) => `"${item.word}" (${item.via})`).join(', ')}\n`);
        }
      });
    });
  goods
    .command('check')
    .description('Check an HS code (6-10 digits) against the control lists in force, for a route')
    .argument('<hs>')
    .option('--route <countries>', 'countries the movement touches or heads toward, e.g. KZ,RU', countries, [] as string[])
    .option('--description <text>', 'the goods description, to look for misdeclaration', '')
    .option('--json', 'print JSON')
    .action(async (hs: string, options: { route: string[]; description: string; json?: boolean }, command: Command) => {
      await withContext(command, async (context) => {
        const checked = context.nomenclature.check(hs);
        if (!checked.ok) throw new DomainError('validation', `HS code ${hs} is not valid`, [{ path: 'hs', message: checked.reason }]);
        const [result] = await context.goods.check([{ itemNumber: 1, hsCode: checked.code, description: options.description, grossMass: 1 }], {
          date: context.clock.now().toISOString().slice(0, 10),
          countries: options.route,
        });
        if (options.json) return printJson(result);
        process.stdout.write(`${checked.code}: ${checked.entry.description}\n`);
        if (!result || (result.hits.length === 0 && result.hints.length === 0)) process.stdout.write('  not on any control list in force\n');
        for (const hit of result?.hits ?? []) {
          process.stdout.write(`  ${hit.list} v${hit.version} ${hit.tier} (entry ${hit.entry}): ${hit.reason}\n`);
          process.stdout.write(hit.prohibitedFor.length > 0 ? `    PROHIBITED for this route: ${hit.prohibitedFor.join(', ')}\n` : '    not prohibited for this route\n');
        }
        for (const hint of result?.hints ?? []) process.stdout.write(`  hint: ${hint.message}\n`);
      });
    });
  return goods;
};

export const controlListsCommand = (): Command => {
  const lists = new Command('control-lists').description('Versioned control lists of goods (the EU CHPL is loaded by default)');
  lists
    .command('import')
    .description('Import a new version of a national list from the documented CSV (docs/goods.md); the whole file or nothing')
    .argument('<file>')
    .requiredOption('--id <listId>', 'list id, e.g. kz-dual-use')
    .option('--name <name>', 'display name')
    .action(async (file: string, options: { id: string; name?: string }, command: Command) => {
      const content = parseControlListCsv(readFileSync(file, 'utf8'), options.id, options.name ?? options.id, basename(file));
      await withContext(command, async (context) => {
        const result = await context.goods.importList(content, 'cli');
        if (result.unchanged) process.stdout.write(`${options.id}: same entries as version ${result.version.version}; nothing changed.\n`);
        else process.stdout.write(`${options.id}: version ${result.version.version}, ${result.version.entryCount} entries; ${result.changes.length} change(s).\n`);
      });
    });
  lists
    .command('ls')
    .description('Every version of every list')
    .action(async (_options: unknown, command: Command) => {
      await withContext(command, async (context) => {
        for (const version of await context.goods.versions()) {
          process.stdout.write(`${version.listId.padEnd(16)} v${String(version.version).padEnd(3)} ${String(version.entryCount).padStart(5)} entries  ${version.importedAt.slice(0, 16)}  ${version.name}\n`);
        }
      });
    });
  lists
    .command('diff')
    .description('What changed between two versions of a list (default: the last update)')
    .argument('<listId>')
    .option('--from <version>', 'older version', (value) => Number(value))
    .option('--to <version>', 'newer version', (value) => Number(value))
    .action(async (listId: string, options: { from?: number; to?: number }, command: Command) => {
      await withContext(command, async (context) => {
        const diff = await context.goods.diff(listId, options.from, options.to);
        process.stdout.write(`${listId}: v${diff.from} → v${diff.to}, ${diff.changes.length} change(s)\n`);
        for (const change of diff.changes) process.stdout.write(`  ${change.change.padEnd(8)} ${change.code}  ${(change.after ?? change.before)?.description ?? ''}\n`);
      });
    });
  return lists;
};
