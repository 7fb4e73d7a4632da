import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { DomainError } from '../../shared/errors.js';
import { type EntityName, normaliseCountry, normaliseDate, type SanctionEntity } from '../entity.js';
import { ftmIdentifiers, ftmSchema } from './ftm.js';
import { type ParsedList, type RejectedRecord, uniqueStrings } from './parse-result.js';

const REQUIRED = ['celex', 'recordId', 'schema', 'name'];

/** Multiple values in one cell are ";"-separated. */
const split = (value: string | undefined): string[] => uniqueStrings((value ?? '').split(';'));

/** Parses an EU Official Journal annex CSV (FtM-style columns: celex, recordId, schema, name, alias, birthDate…). */
export const parseEuCsv = (text: string, source: string): ParsedList => {
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
  } catch (error) {
    throw new DomainError('validation', `EU CSV is not readable: ${(error as Error).message}`, [{ path: 'file', message: (error as Error).message }]);
  }
  const header = text.slice(0, text.indexOf('\n')).split(',');
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new DomainError('validation', `EU CSV lacks columns ${missing.join(', ')}`, missing.map((c) => ({ path: c, message: 'column missing' })));
  }
  const rejected: RejectedRecord[] = [];
  const entities: SanctionEntity[] = [];
  const seen = new Set<string>();
  records.forEach((row, index) => {
    const at = `record ${index + 2}`;
    const schema = ftmSchema(row.schema ?? '');
    const name = (row.name ?? '').trim();
    // Assets and other non-party records are context, not screening targets.
    if (!schema) return;
    if (!name) {
      rejected.push({ at, reason: 'name is empty' });
      return;
    }
    // Some annexes number no records; the name is then the only stable key across versions.
    const record = row.recordId || `n${createHash('sha1').update(name).digest('hex').slice(0, 10)}`;
    const ref = [row.celex, row.annex, record].filter(Boolean).join(':');
    const id = `${source}:${ref}`;
    if (seen.has(id)) {
      rejected.push({ at, reason: `duplicate record ${ref}` });
      return;
    }
    seen.add(id);
    const names: EntityName[] = [
      { name, kind: 'primary' },
      ...split(row.alias).map((n): EntityName => ({ name: n, kind: 'alias' })),
      ...split(row.previousName).map((n): EntityName => ({ name: n, kind: 'alias' })),
      ...split(row.weakAlias).map((n): EntityName => ({ name: n, kind: 'weak' })),
    ];
    entities.push({
      id,
      source,
      schema,
      names,
      birthDates: uniqueStrings(split(row.birthDate).map(normaliseDate)),
      countries: uniqueStrings([...split(row.nationality), ...split(row.country), ...split(row.jurisdiction), ...split(row.flag)].map(normaliseCountry)),
      identifiers: ftmIdentifiers((p) => split(row[p])),
      programs: uniqueStrings([row.programKey]),
      listedOn: row.startDate ? normaliseDate(row.startDate) : null,
      sourceRef: ref,
    });
  });
  return { entities, rejected, publishedAt: null };
};
