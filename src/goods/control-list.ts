import { parse } from 'csv-parse/sync';
import { type FieldIssue, validationError } from '../shared/errors.js';
import { readReferenceText } from '../shared/reference-data.js';

/** One line of a control list: a code or code prefix and what it means. */
export interface ControlEntry {
  /** 2 to 10 digits; matches every declared code that starts with it. */
  code: string;
  tier: string;
  description: string;
  reason: string;
  legalReference: string;
  /** Countries the restriction is about (destination or routing); empty = every route. */
  appliesTo: string[];
  effectiveFrom: string | null;
  effectiveTo: string | null;
}

export interface ControlListContent {
  listId: string;
  name: string;
  source: string;
  entries: ControlEntry[];
}

export const CHPL_LIST_ID = 'eu-chpl';

/**
 * The EU Common High Priority List (revision of 23 Feb 2024): the items Russia's weapons programmes
 * need most, whose export to Russia and Belarus is banned under Council Regulation (EU) No 833/2014
 * (and No 765/2006 for Belarus), with a duty of care on re-export through third countries.
 */
export const loadChpl = (referenceDir: string): ControlListContent => {
  const rows = parse(readReferenceText(referenceDir, 'goods/chpl.csv'), { columns: true, skip_empty_lines: true, bom: true }) as { tier: string; hs_code: string; description: string }[];
  return {
    listId: CHPL_LIST_ID,
    name: 'EU Common High Priority List',
    source: 'goods/chpl.csv (CHPL rev. 2024-02-23)',
    entries: rows.map((row) => ({
      code: row.hs_code.trim(),
      tier: row.tier.trim(),
      description: row.description,
      reason: `Common High Priority item (${row.tier.trim()}): found in Russian weapons systems; export to Russia and Belarus banned`,
      legalReference: 'Council Regulation (EU) No 833/2014, Art. 2, 2a, 12g; Annex XXIII/ CHPL rev. 2024-02-23',
      appliesTo: ['RU', 'BY'],
      effectiveFrom: '2024-02-23',
      effectiveTo: null,
    })),
  };
};

export const NATIONAL_LIST_COLUMNS = ['code', 'tier', 'description', 'reason', 'legal_reference', 'applies_to', 'effective_from', 'effective_to'] as const;

/**
 * A national list in the documented CSV (docs/goods.md): one row per code or prefix. Every bad row is
 * reported with its line; nothing is kept from a file with errors, so a list version is always whole.
 */
export const parseControlListCsv = (text: string, listId: string, name: string, source: string): ControlListContent => {
  let rows: Record<string, string>[];
  let lines: number[];
  try {
    // `info` carries each record's own line, so errors name the right line even after blank ones.
    const parsed = parse(text, { columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()), skip_empty_lines: true, bom: true, trim: true, info: true }) as {
      record: Record<string, string>;
      info: { lines: number };
    }[];
    rows = parsed.map((item) => item.record);
    lines = parsed.map((item) => item.info.lines);
  } catch (error) {
    throw validationError('The control list is not readable CSV', [{ path: '', message: error instanceof Error ? error.message : String(error) }]);
  }
  const issues: FieldIssue[] = [];
  const header = rows[0] ? Object.keys(rows[0]) : [];
  const missing = ['code', 'reason'].filter((column) => rows.length > 0 && !header.includes(column));
  if (missing.length > 0) throw validationError('The control list lacks required columns', missing.map((column) => ({ path: column, message: `column ${column} is required; columns are ${NATIONAL_LIST_COLUMNS.join(', ')}` })));
  if (rows.length === 0) throw validationError('The control list has no entries', [{ path: '', message: 'expected a header line and at least one entry' }]);
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const firstLine = new Map<string, number>();
  const entries = rows.map((row, index) => {
    const line = lines[index]!;
    const code = (row.code ?? '').replace(/[\s.]/g, '');
    const earlier = firstLine.get(code);
    if (earlier !== undefined) issues.push({ path: `line ${line}/code`, message: `${code} is already on line ${earlier}; a list keeps one entry per code` });
    else firstLine.set(code, line);
    if (!/^\d{2,10}$/.test(code)) issues.push({ path: `line ${line}/code`, message: `"${row.code}" must be 2 to 10 digits` });
    if (!row.reason) issues.push({ path: `line ${line}/reason`, message: 'is required' });
    const appliesTo = (row.applies_to ?? '').split(/[;,\s]+/).filter(Boolean).map((country) => country.toUpperCase());
    for (const country of appliesTo) if (!/^[A-Z]{2}$/.test(country)) issues.push({ path: `line ${line}/applies_to`, message: `"${country}" is not a two-letter country code` });
    for (const column of ['effective_from', 'effective_to'] as const) {
      if (row[column] && !date.test(row[column]!)) issues.push({ path: `line ${line}/${column}`, message: 'must be a date YYYY-MM-DD' });
    }
    return {
      code,
      tier: row.tier ?? '',
      description: row.description ?? '',
      reason: row.reason ?? '',
      legalReference: row.legal_reference ?? '',
      appliesTo,
      effectiveFrom: row.effective_from || null,
      effectiveTo: row.effective_to || null,
    };
  });
  if (issues.length > 0) throw validationError(`The control list has ${issues.length} error(s); nothing was imported`, issues);
  return { listId, name, source, entries };
};

export interface ListChange {
  code: string;
  change: 'added' | 'removed' | 'changed';
  before?: ControlEntry;
  after?: ControlEntry;
}

export const diffEntries = (before: readonly ControlEntry[], after: readonly ControlEntry[]): ListChange[] => {
  const old = new Map(before.map((entry) => [entry.code, entry]));
  const next = new Map(after.map((entry) => [entry.code, entry]));
  const changes: ListChange[] = [];
  for (const [code, entry] of next) {
    const previous = old.get(code);
    if (!previous) changes.push({ code, change: 'added', after: entry });
    else if (JSON.stringify(previous) !== JSON.stringify(entry)) changes.push({ code, change: 'changed', before: previous, after: entry });
  }
  for (const [code, entry] of old) if (!next.has(code)) changes.push({ code, change: 'removed', before: entry });
  return changes.sort((a, b) => a.code.localeCompare(b.code));
};
