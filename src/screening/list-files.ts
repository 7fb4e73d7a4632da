import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DomainError } from '../shared/errors.js';
import type { SanctionEntity } from './entity.js';
import { parseEuCsv } from './parsers/eu-csv.js';
import { parseFtmJsonl } from './parsers/ftm-jsonl.js';
import { parseNationalCsv } from './parsers/national-csv.js';
import { type OfacFiles, parseOfacCsv } from './parsers/ofac-csv.js';
import type { ParsedList, RejectedRecord } from './parsers/parse-result.js';
import { parseUnXml } from './parsers/un-xml.js';

export const LIST_FORMATS = ['ofac-csv', 'un-xml', 'eu-csv', 'ftm-jsonl', 'national-csv'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** Source name given to a file's entries when the importer names none. */
export const defaultSourceName = (format: ListFormat, file: string): string => {
  switch (format) {
    case 'ofac-csv':
      return /cons_/i.test(path.basename(file)) ? 'ofac-cons' : 'ofac-sdn';
    case 'un-xml':
      return 'un-sc';
    case 'eu-csv':
      return 'eu-oj';
    case 'ftm-jsonl':
      return 'opensanctions';
    case 'national-csv':
      return 'national';
  }
};

/** Reads a list file as UTF-8, gunzipping when it starts with the gzip magic; bad encoding is an error. */
export const readListText = (file: string): string => {
  if (!existsSync(file)) throw new DomainError('not_found', `List file ${file} does not exist`, [{ path: file, message: 'no such file' }]);
  let bytes: Buffer = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new DomainError('validation', `${file} is a damaged gzip file: ${(error as Error).message}`, [{ path: file, message: 'damaged gzip' }]);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DomainError('validation', `${file} is not valid UTF-8 text`, [{ path: file, message: 'bad encoding' }]);
  }
};

/** Recognises a list format from the first characters of its text. */
export const detectFormat = (text: string): ListFormat | null => {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 2000);
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  if (head.startsWith('<?xml') || head.startsWith('<CONSOLIDATED_LIST')) return 'un-xml';
  if (firstLine.startsWith('{')) return 'ftm-jsonl';
  if (/^celex,/.test(firstLine)) return 'eu-csv';
  if (/^"?id"?,/.test(firstLine) && /\bschema\b/.test(firstLine) && /\bname\b/.test(firstLine)) return 'national-csv';
  if (/^\d+,"/.test(firstLine)) return 'ofac-csv';
  return null;
};

const companion = (dir: string, names: string[]): string | undefined => {
  for (const name of names) {
    for (const candidate of [name, `${name}.gz`]) {
      const full = path.join(dir, candidate);
      if (existsSync(full)) return full;
    }
  }
  return undefined;
};

/** OFAC companion files are read with their main file, never as lists of their own. */
export const isOfacCompanion = (file: string): boolean =>
  /^(alt|add|sdn_comments|cons_alt|cons_add|cons_comments)\.csv(\.gz)?$/i.test(path.basename(file));

const ofacSet = (file: string, text: string, companionDir?: string): OfacFiles => {
  const dir = companionDir ?? path.dirname(file);
  const cons = /cons_/i.test(path.basename(file));
  const read = (names: string[]): string | undefined => {
    const found = companion(dir, names);
    return found ? readListText(found) : undefined;
  };
  const files: OfacFiles = { main: text };
  const alt = read(cons ? ['cons_alt.csv'] : ['alt.csv']);
  const add = read(cons ? ['cons_add.csv'] : ['add.csv']);
  const comments = read(cons ? ['cons_comments.csv'] : ['sdn_comments.csv']);
  if (alt !== undefined) files.alt = alt;
  if (add !== undefined) files.add = add;
  if (comments !== undefined) files.comments = comments;
  return files;
};

export interface LoadedListFile {
  file: string;
  format: ListFormat;
  source: string;
  entities: SanctionEntity[];
  rejected: RejectedRecord[];
  publishedAt: string | null;
}

/** Reads and parses one list file (format detected unless given); throws a DomainError naming the file on failure. */
export interface LoadOptions {
  format?: ListFormat;
  source?: string;
  /** Folder holding alt/add/comments for an OFAC main file kept elsewhere (default: the main file's folder). */
  ofacCompanionDir?: string;
}

export const loadListFile = (file: string, options: LoadOptions = {}): LoadedListFile => {
  const text = readListText(file);
  const format = options.format ?? detectFormat(text);
  if (!format) {
    throw new DomainError('validation', `Cannot tell the list format of ${file}; name it with --format (${LIST_FORMATS.join(', ')})`, [
      { path: file, message: 'unknown format' },
    ]);
  }
  const source = options.source ?? defaultSourceName(format, file);
  let parsed: ParsedList;
  try {
    switch (format) {
      case 'ofac-csv':
        parsed = parseOfacCsv(ofacSet(file, text, options.ofacCompanionDir), source);
        break;
      case 'un-xml':
        parsed = parseUnXml(text, source);
        break;
      case 'eu-csv':
        parsed = parseEuCsv(text, source);
        break;
      case 'ftm-jsonl':
        parsed = parseFtmJsonl(text, source);
        break;
      case 'national-csv':
        parsed = parseNationalCsv(text, source);
        break;
    }
  } catch (error) {
    if (error instanceof DomainError) {
      throw new DomainError(error.code, `${file}: ${error.message}`, error.issues, { ...error.details, file });
    }
    throw error;
  }
  return { file, format, source, ...parsed };
};
