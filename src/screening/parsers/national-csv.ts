import { parse } from 'csv-parse/sync';
import { DomainError } from '../../shared/errors.js';
import { type EntityName, type EntitySchema, type Identifier, normaliseCountry, normaliseDate, type SanctionEntity } from '../entity.js';
import { type ParsedList, type RejectedRecord, uniqueStrings } from './parse-result.js';

/**
 * The simple CSV for national lists (documented in docs/screening.md): a header row with
 * id,schema,name[,aliases,birth_date,country,identifiers,program,listed_on]. Multiple values are
 * ";"-separated; identifiers are "type:value" (inn:7701234567; passport:AB123456).
 */
export const NATIONAL_CSV_COLUMNS = ['id', 'schema', 'name', 'aliases', 'birth_date', 'country', 'identifiers', 'program', 'listed_on'] as const;

const schemas: Record<string, EntitySchema> = {
  person: 'Person', individual: 'Person', organization: 'Organization', organisation: 'Organization',
  company: 'Organization', entity: 'Organization', vessel: 'Vessel', aircraft: 'Aircraft',
};

const split = (value: string | undefined): string[] => uniqueStrings((value ?? '').split(';'));

export const parseNationalCsv = (text: string, source: string): ParsedList => {
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw new DomainError('validation', `National list CSV is not readable: ${(error as Error).message}`, [{ path: 'file', message: (error as Error).message }]);
  }
  const header = Object.keys(records[0] ?? {});
  const missing = ['id', 'schema', 'name'].filter((c) => records.length > 0 && !header.includes(c));
  if (missing.length > 0) {
    throw new DomainError('validation', `National list CSV lacks columns ${missing.join(', ')}`, missing.map((c) => ({ path: c, message: 'column missing' })));
  }
  const rejected: RejectedRecord[] = [];
  const entities: SanctionEntity[] = [];
  records.forEach((row, index) => {
    const at = `line ${index + 2}`;
    const schema = schemas[(row.schema ?? '').toLowerCase()];
    if (!row.id) return void rejected.push({ at, reason: 'id is empty' });
    if (!schema) return void rejected.push({ at, reason: `schema "${row.schema ?? ''}" is not one of person, organization, vessel, aircraft` });
    if (!row.name) return void rejected.push({ at, reason: 'name is empty' });
    const identifiers: Identifier[] = split(row.identifiers).map((pair) => {
      const colon = pair.indexOf(':');
      return colon > 0 ? { type: pair.slice(0, colon).trim().toLowerCase(), value: pair.slice(colon + 1).trim() } : { type: 'id', value: pair };
    });
    entities.push({
      id: `${source}:${row.id}`,
      source,
      schema,
      names: [{ name: row.name, kind: 'primary' }, ...split(row.aliases).map((name): EntityName => ({ name, kind: 'alias' }))],
      birthDates: uniqueStrings(split(row.birth_date).map(normaliseDate)),
      countries: split(row.country).map(normaliseCountry),
      identifiers,
      programs: split(row.program),
      listedOn: row.listed_on ? normaliseDate(row.listed_on) : null,
      sourceRef: row.id,
    });
  });
  return { entities, rejected, publishedAt: null };
};
