import { parse } from 'csv-parse/sync';
import { readReferenceText } from '../shared/reference-data.js';

export interface HsEntry {
  code: string;
  description: string;
  parent: string | null;
  level: 2 | 4 | 6;
  section: string;
}

export type HsCodeCheck =
  | { ok: true; code: string; hs6: string; entry: HsEntry }
  | { ok: false; code: string; reason: string };

export interface Nomenclature {
  readonly edition: 'HS2022';
  get(code: string): HsEntry | undefined;
  /** Checks a declared code (6 to 10 digits; dots and spaces ignored) against the HS-6 subheadings. */
  check(code: string): HsCodeCheck;
  entries(): Iterable<HsEntry>;
}

export const normaliseHsCode = (code: string): string => code.replace(/[\s.]/g, '');

export const buildNomenclature = (entries: HsEntry[]): Nomenclature => {
  const byCode = new Map(entries.map((entry) => [entry.code, entry]));
  return {
    edition: 'HS2022',
    get: (code) => byCode.get(normaliseHsCode(code)),
    entries: () => byCode.values(),
    check(rawCode) {
      const code = normaliseHsCode(rawCode);
      if (!/^\d+$/.test(code)) return { ok: false, code, reason: 'must contain digits only' };
      if (code.length < 6 || code.length > 10) {
        const heading = code.length === 4 && byCode.has(code);
        return {
          ok: false,
          code,
          reason: heading
            ? `${code} is only a heading; declare the 6-digit subheading (e.g. ${code}xx)`
            : 'must have 6 to 10 digits',
        };
      }
      const hs6 = code.slice(0, 6);
      const entry = byCode.get(hs6);
      if (!entry || entry.level !== 6) {
        return { ok: false, code, reason: `HS subheading ${hs6} does not exist in ${'HS2022'}` };
      }
      return { ok: true, code, hs6, entry };
    },
  };
};

export const loadNomenclature = (referenceDir: string): Nomenclature => {
  const rows = parse(readReferenceText(referenceDir, 'goods/harmonized-system.csv'), {
    columns: true,
    skip_empty_lines: true,
  }) as { section: string; hscode: string; description: string; parent: string; level: string }[];
  return buildNomenclature(
    rows.map((row) => ({
      code: row.hscode,
      description: row.description,
      parent: row.parent === 'TOTAL' ? null : row.parent,
      level: Number(row.level) as 2 | 4 | 6,
      section: row.section,
    })),
  );
};
