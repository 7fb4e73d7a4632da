import { createInterface } from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import type { QuerySchema } from '../screening/entity.js';
import { scoringConfig } from '../screening/scoring-config.js';
import { isDomainError } from '../shared/errors.js';
import { withContext } from './context.js';

const number = (min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`must be a number from ${min} to ${max}`);
  return n;
};

/** A JSON-lines line, or a plain-text line taken as a name. */
const readLine = (line: string): Record<string, unknown> => {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    const value = JSON.parse(trimmed) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  }
  return { name: trimmed };
};

const describeError = (error: unknown): string =>
  isDomainError(error)
    ? [error.message, ...error.issues.map((i) => `${i.path}: ${i.message}`)].join('; ')
    : error instanceof SyntaxError ? `not valid JSON: ${error.message}` : String(error);

const eachLine = async (handle: (line: string) => Promise<string>): Promise<void> => {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) process.stdout.write(`${await handle(line)}\n`);
};

/** `caravan screen`: screen names from stdin against the active lists, or compare name pairs. */
export const screenCommand = (): Command => {
  const screen = new Command('screen').description('Sanctions screening of names (JSON lines on stdin, JSON lines on stdout)');

  screen
    .command('names')
    .description(
      'Reads one party per line on stdin: JSON {"id","name","schema":"Person|Organization|Vessel|Any","birthDate","country"} ' +
        '(all but name optional) or a plain-text name. Writes one JSON line per input line, in order: ' +
        '{"id", "matches": [{"entityId","source","name","score","explanation"}]} with matches at or above the threshold, best first; ' +
        'a line that cannot be screened gets {"id", "matches": [], "error"}. Screens against the active list versions in the store.',
    )
    .option('--threshold <t>', `lowest score reported (default ${scoringConfig.defaultThreshold})`, number(0, 1))
    .option('--limit <n>', 'most matches per name (default 10)', number(1, 1000))
    .action(async (options: { threshold?: number; limit?: number }, command: Command) => {
      await withContext(command, async (context) => {
        const service = context.screening;
        const index = await service.index();
        if (index.entityCount === 0) process.stderr.write('warning: no active lists; import some with `caravan lists import`\n');
        const search = { threshold: options.threshold ?? scoringConfig.defaultThreshold, limit: options.limit ?? 10 };
        await eachLine(async (line) => {
          let id: unknown = null;
          try {
            const input = readLine(line);
            id = input.id ?? null;
            const matches = await service.screenParty(input, search);
            return JSON.stringify({
              id,
              matches: matches.map((m) => ({ entityId: m.entityId, source: m.source, name: m.name, score: m.score, explanation: m.explanation })),
            });
          } catch (error) {
            if (!isDomainError(error) && !(error instanceof SyntaxError)) throw error;
            return JSON.stringify({ id, matches: [], error: describeError(error) });
          }
        });
      });
    });

  screen
    .command('compare')
    .description(
      'Reads JSON lines {"a": "...", "b": "...", "schema": "Person|Organization|Any"} on stdin; writes one JSON line per pair, ' +
        'in order: {"score", "match": true|false, "explanation"}. Needs no lists.',
    )
    .option('--threshold <t>', `score from which a pair is a match (default ${scoringConfig.defaultThreshold})`, number(0, 1))
    .action(async (options: { threshold?: number }, command: Command) => {
      await withContext(command, async (context) => {
        const service = context.screening;
        await eachLine(async (line) => {
          try {
            const input = JSON.parse(line) as Record<string, unknown>;
            const schema = (input.schema ?? 'Any') as QuerySchema;
            if (!['Person', 'Organization', 'Vessel', 'Aircraft', 'Any'].includes(schema)) throw new SyntaxError(`unknown schema ${String(schema)}`);
            const result = service.compare(String(input.a ?? ''), String(input.b ?? ''), schema, options.threshold);
            return JSON.stringify(result);
          } catch (error) {
            if (!isDomainError(error) && !(error instanceof SyntaxError)) throw error;
            return JSON.stringify({ score: 0, match: false, explanation: null, error: describeError(error) });
          }
        });
      });
    });

  return screen;
};
