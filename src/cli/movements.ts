import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { parseNdjson } from '../http/body-parsers.js';
import { MOVEMENT_STATES, type MovementState } from '../movements/movement.js';
import { parseIe015 } from '../movements/ie015.js';
import type { IncomingDeclaration } from '../movements/movement.service.js';
import { DomainError, validationError } from '../shared/errors.js';
import { withContext } from './context.js';
import { printJson, printRejections } from './output.js';
import { withProgress } from './progress.js';

type ImportFormat = 'json' | 'ndjson' | 'ie015';

const detectFormat = (file: string, text: string): ImportFormat => {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.xml') return 'ie015';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  const start = text.trimStart();
  if (start.startsWith('<')) return 'ie015';
  if (start.startsWith('[')) return 'json';
  const firstLineEnd = start.indexOf('\n');
  return firstLineEnd > 0 && start.slice(firstLineEnd).trim().startsWith('{') ? 'ndjson' : 'json';
};

const readRecords = (file: string, format: ImportFormat): { records: IncomingDeclaration[]; unparsable: { line: number; message: string }[] } => {
  const text = readFileSync(file, 'utf8');
  if (format === 'ie015') {
    return { records: [{ input: parseIe015(text).declaration, format: 'ie015', original: text, line: 1 }], unparsable: [] };
  }
  if (format === 'ndjson') {
    const parsed = parseNdjson(text);
    return {
      records: parsed.flatMap((record) => ('error' in record ? [] : [{ input: record.value, format: 'json' as const, original: record.text, line: record.line }])),
      unparsable: parsed.flatMap((record) => ('error' in record ? [{ line: record.line, message: record.error }] : [])),
    };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new DomainError('validation', `${file} is not valid JSON`, [{ path: '', message: (error as Error).message }]);
  }
  const items = Array.isArray(document) ? document : [document];
  return { records: items.map((input, index) => ({ input, format: 'json', original: JSON.stringify(input), line: index + 1 })), unparsable: [] };
};

const importCommand = () =>
  new Command('import')
    .description('Declare movements from a file: one JSON declaration, a JSON array, NDJSON (one per line) or an IE015 XML message; every goods item is then checked and every party screened')
    .argument('<file>', 'the file to import')
    .addOption(new Option('--format <format>', 'file format (detected from the extension and content when omitted)').choices(['json', 'ndjson', 'ie015']))
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { format?: ImportFormat; json?: boolean }, command: Command) => {
      const text = readFileSync(file, 'utf8');
      const { records, unparsable } = readRecords(file, options.format ?? detectFormat(file, text));
      await withContext(command, async (context) => {
        const report = await withProgress('Declarations', records.length, (done) => context.movements.declareMany(records, `import:${path.basename(file)}`, done));
        await withProgress('Checking goods', report.accepted.length, (done) => context.goods.drain(done));
        await withProgress('Screening parties', report.accepted.length, (done) => context.partyScreening.drain(done));
        const rejected = [
          ...unparsable.map((record) => ({ line: record.line, message: 'Malformed JSON', issues: [{ path: '', message: record.message }] })),
          ...report.rejected,
        ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
        if (options.json) {
          printJson({ accepted: report.accepted.length, rejected, movements: report.accepted });
        } else {
          process.stdout.write(`${report.accepted.length} declared, ${rejected.length} rejected (of ${records.length + unparsable.length} in ${file})\n`);
          printRejections(rejected);
        }
        if (rejected.length > 0) process.exitCode = 2;
      });
    });

const showCommand = () =>
  new Command('show')
    .description('Show one movement (by MRN or id) with its declaration and full event history')
    .argument('<reference>', 'MRN or movement id')
    .option('--json', 'print as JSON')
    .action(async (reference: string, options: { json?: boolean }, command: Command) => {
      await withContext(command, async (context) => {
        const detail = await context.movements.get(reference);
        if (options.json) return printJson(detail);
        const { movement, events } = detail;
        const d = movement.declaration;
        const lines = [
          `${movement.mrn ?? '(no MRN yet)'}  LRN ${movement.lrn}  ${movement.state.toUpperCase()}${movement.overdue ? ' (overdue)' : ''}`,
          `  ${d.declarationType} from ${d.officeOfDeparture} to ${d.officeOfDestination}` +
            `${d.officesOfTransit.length ? `, transit ${d.officesOfTransit.join(' ')}` : ''}${d.officesOfExit.length ? `, exit ${d.officesOfExit.join(' ')}` : ''}`,
          `  routing ${d.countriesOfRouting.join(' > ') || '-'}; limit ${movement.limitDate ?? '-'}; declared ${movement.declaredAt}`,
          `  consignor ${d.consignor.name ?? d.consignor.identificationNumber}; consignee ${d.consignee.name ?? d.consignee.identificationNumber}`,
          ...d.goodsItems.map((item) => `  item ${item.itemNumber}: ${item.hsCode} ${item.description} (${item.grossMass} kg)`),
          '  history:',
          ...events.map(
            (event) =>
              `    ${event.seq}. ${event.time} ${event.type}${event.office ? ` at ${event.office}` : ''} — ${event.outcome}` +
              `${event.refusalReason ? `: ${event.refusalReason}` : ''}${event.note ? ` (note: ${event.note})` : ''} [${event.stateBefore} → ${event.stateAfter}]`,
          ),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

const listCommand = () =>
  new Command('list')
    .description('List movements, newest first')
    .option('--state <states>', `comma-separated states (${MOVEMENT_STATES.join(', ')})`)
    .option('--office <code>', 'movements touching this office')
    .option('--overdue', 'only movements past their time limit')
    .option('--from <date>', 'declared on or after (YYYY-MM-DD or ISO date-time)')
    .option('--to <date>', 'declared before (YYYY-MM-DD or ISO date-time)')
    .option('--party <words>', 'party name words (any script)')
    .option('--hs <prefix>', 'HS code prefix of any goods item')
    .option('--country <code>', 'country of routing')
    .option('--limit <n>', 'how many', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print as JSON')
    .action(async (options: Record<string, string | boolean | undefined>, command: Command) => {
      const states = typeof options.state === 'string' ? options.state.split(',').map((state) => state.trim()) : undefined;
      const unknown = states?.filter((state) => !(MOVEMENT_STATES as readonly string[]).includes(state)) ?? [];
      if (unknown.length > 0) throw validationError('Invalid filter', [{ path: '--state', message: `unknown state ${unknown.join(', ')}` }]);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw validationError('Invalid option', [{ path: '--limit', message: 'must be 1 to 500' }]);
      const asIso = (value: unknown) => (typeof value === 'string' ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString() : undefined);
      await withContext(command, async (context) => {
        const page = await context.movements.list(
          {
            ...(states ? { states: states as MovementState[] } : {}),
            ...(typeof options.office === 'string' ? { office: options.office } : {}),
            ...(options.overdue ? { overdue: true } : {}),
            ...(options.from ? { declaredFrom: asIso(options.from)! } : {}),
            ...(options.to ? { declaredTo: asIso(options.to)! } : {}),
            ...(typeof options.party === 'string' ? { party: options.party } : {}),
            ...(typeof options.hs === 'string' ? { hsPrefix: options.hs } : {}),
            ...(typeof options.country === 'string' ? { countryOfRouting: options.country } : {}),
          },
          { limit, ...(typeof options.cursor === 'string' ? { cursor: options.cursor } : {}) },
        );
        if (options.json) return printJson(page);
        for (const movement of page.items) {
          const d = movement.declaration;
          process.stdout.write(
            `${(movement.mrn ?? '-').padEnd(18)}  ${movement.lrn.padEnd(22)}  ${movement.state.padEnd(17)}  ${d.officeOfDeparture} → ${d.officeOfDestination}  ${movement.declaredAt.slice(0, 16)}\n`,
          );
        }
        process.stdout.write(`${page.items.length} shown${page.nextCursor ? `; more with --cursor ${page.nextCursor}` : ''}\n`);
      });
    });

export const movementsCommand = (): Command =>
  new Command('movements')
    .description('Transit movements: import declarations, list, show')
    .addCommand(importCommand())
    .addCommand(showCommand())
    .addCommand(listCommand());
