import { parse } from 'csv-parse/sync';
import { DomainError } from '../../shared/errors.js';
import {
  type EntityName,
  type EntitySchema,
  type Identifier,
  normaliseCountry,
  normaliseDate,
  type SanctionEntity,
} from '../entity.js';
import { type ParsedList, type RejectedRecord, uniqueStrings } from './parse-result.js';

/** The four files of an OFAC legacy CSV set (SDN or the non-SDN consolidated list); only the main one is required. */
export interface OfacFiles {
  main: string;
  alt?: string;
  add?: string;
  comments?: string;
}

// OFAC writes "-0- " for an empty field and ends every file with a Ctrl-Z line.
const clean = (value: string | undefined): string => {
  const v = (value ?? '').trim();
  return v === '-0-' ? '' : v;
};

const rows = (text: string, file: string): string[][] => {
  const body = text.replace(/\u001a/g, '').replace(/^\uFEFF/, '');
  try {
    return parse(body, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: false }) as string[][];
  } catch (error) {
    throw new DomainError('validation', `OFAC ${file} is not readable CSV: ${(error as Error).message}`, [
      { path: file, message: (error as Error).message },
    ]);
  }
};

const schemaOf = (type: string): EntitySchema => {
  switch (type.toLowerCase()) {
    case 'individual':
      return 'Person';
    case 'vessel':
      return 'Vessel';
    case 'aircraft':
      return 'Aircraft';
    default:
      return 'Organization';
  }
};

// Identifier labels OFAC remarks use, mapped to Caravan's identifier types (longest label first).
const identifierLabels: [string, string][] = [
  ['Vessel Registration Identification IMO', 'imo'],
  ["Aircraft Manufacturer's Serial Number (MSN)", 'msn'],
  ['Legal Entity Number', 'lei'],
  ['Registration Number', 'registration'],
  ['Registration ID', 'registration'],
  ['National ID No.', 'national-id'],
  ['Identification Number', 'id'],
  ['Tax ID No.', 'tax'],
  ['SWIFT/BIC', 'swift'],
  ['Passport', 'passport'],
  ['MMSI', 'mmsi'],
  ['IMO', 'imo'],
];

/** Birth dates, nationalities and identifiers from OFAC's free-text remarks ("DOB 07 Oct 1952; nationality Russia; …"). */
export const parseOfacRemarks = (remarks: string): { birthDates: string[]; countries: string[]; identifiers: Identifier[] } => {
  const birthDates: string[] = [];
  const countries: string[] = [];
  const identifiers: Identifier[] = [];
  for (const raw of remarks.split(';')) {
    const part = raw.trim().replace(/\.$/, '');
    let m = /^DOB (.+)$/i.exec(part);
    if (m) {
      for (const d of (m[1] as string).split(/ to |\s*-\s*(?=\d{2} \w{3} \d{4})/)) {
        const date = normaliseDate(d.replace(/^circa /i, ''));
        if (date) birthDates.push(date);
      }
      continue;
    }
    m = /^(?:nationality|citizen|Nationality of Registration) (.+)$/i.exec(part);
    if (m) {
      countries.push(normaliseCountry(m[1] as string));
      continue;
    }
    const label = identifierLabels.find(([l]) => part.startsWith(`${l} `));
    if (label) {
      m = /^(.+?)(?: \(([^)]+)\))?$/.exec(part.slice(label[0].length + 1).trim());
      if (m) {
        const identifier: Identifier = { type: label[1], value: (m[1] as string).trim() };
        if (m[2]) identifier.country = normaliseCountry(m[2]);
        identifiers.push(identifier);
      }
    }
  }
  return { birthDates: uniqueStrings(birthDates), countries: uniqueStrings(countries), identifiers };
};

/** Parses an OFAC legacy CSV set: sdn.csv (or cons_prim.csv) joined with alt, add and comments on ent_num. */
export const parseOfacCsv = (files: OfacFiles, source: string): ParsedList => {
  const rejected: RejectedRecord[] = [];
  const aliases = new Map<string, EntityName[]>();
  for (const row of files.alt ? rows(files.alt, 'alt.csv') : []) {
    const [entNum, , type, name] = row.map(clean);
    if (!entNum || !name) continue;
    const list = aliases.get(entNum) ?? [];
    list.push({ name, kind: type?.toLowerCase() === 'weak aka' ? 'weak' : 'alias' });
    aliases.set(entNum, list);
  }
  const addressCountries = new Map<string, string[]>();
  for (const row of files.add ? rows(files.add, 'add.csv') : []) {
    const entNum = clean(row[0]);
    const country = clean(row[4]);
    if (!entNum || !country) continue;
    addressCountries.set(entNum, [...(addressCountries.get(entNum) ?? []), normaliseCountry(country)]);
  }
  const extraRemarks = new Map<string, string>();
  for (const row of files.comments ? rows(files.comments, 'sdn_comments.csv') : []) {
    const entNum = clean(row[0]);
    if (entNum) extraRemarks.set(entNum, (extraRemarks.get(entNum) ?? '') + row.slice(1).map(clean).join(''));
  }
  const mainRows = rows(files.main, 'main file');
  const entities: SanctionEntity[] = [];
  mainRows.forEach((row, index) => {
    const at = `line ${index + 1}`;
    if (row.length < 4) {
      rejected.push({ at, reason: `expected 12 columns (ent_num, SDN_Name, SDN_Type, Program, …), found ${row.length}` });
      return;
    }
    const [entNum, name, type, program, , , , , , vesselFlag, , remarksMain] = row.map(clean);
    if (!entNum || !/^\d+$/.test(entNum)) {
      rejected.push({ at, reason: `ent_num "${row[0] ?? ''}" is not a number` });
      return;
    }
    if (!name) {
      rejected.push({ at, reason: 'SDN_Name is empty' });
      return;
    }
    const remarks = `${remarksMain ?? ''}${extraRemarks.get(entNum) ?? ''}`;
    const facts = parseOfacRemarks(remarks);
    const listed = /Listing Date[^:]*: (\d{1,2} \w{3} \d{4})/.exec(remarks);
    entities.push({
      id: `${source}:${entNum}`,
      source,
      schema: schemaOf(type ?? ''),
      names: [{ name, kind: 'primary' }, ...(aliases.get(entNum) ?? [])],
      birthDates: facts.birthDates,
      countries: uniqueStrings([...facts.countries, ...(addressCountries.get(entNum) ?? []), vesselFlag ? normaliseCountry(vesselFlag) : '']),
      identifiers: facts.identifiers,
      programs: uniqueStrings((program ?? '').split(/\]\s*\[|;/).map((p) => p.replace(/[[\]]/g, ''))),
      listedOn: listed ? normaliseDate(listed[1] as string) : null,
      sourceRef: entNum,
    });
  });
  if (entities.length === 0 && mainRows.length > 0) {
    throw new DomainError('validation', 'No OFAC entry could be read: is this an OFAC legacy CSV (sdn.csv / cons_prim.csv)?', [
      { path: 'file', message: rejected[0]?.reason ?? 'no rows' },
    ]);
  }
  return { entities, rejected, publishedAt: null };
};
