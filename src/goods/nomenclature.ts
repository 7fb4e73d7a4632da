import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
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

/** An HS 2017 subheading that HS 2022 deleted, and the subheadings that took its goods. */
export interface RetiredCode {
  hs2017: string;
  goods: string;
  hs2022: string[];
}

const RETIRED_FILE = fileURLToPath(new URL('./hs2017-retired.yaml', import.meta.url));

export const buildNomenclature = (entries: HsEntry[], retired: readonly RetiredCode[] = []): Nomenclature => {
  const byCode = new Map(entries.map((entry) => [entry.code, entry]));
  const retiredByCode = new Map(retired.map((code) => [code.hs2017, code]));
  const subheadingsOf = (heading: string): string[] =>
    [...byCode.values()].filter((entry) => entry.level === 6 && entry.parent === heading).map((entry) => entry.code);
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
        const old = retiredByCode.get(hs6);
        if (old) {
          return { ok: false, code, reason: `${hs6} is an HS 2017 code (${old.goods}); HS 2022 replaced it with ${old.hs2022.join(', ')}` };
        }
        const siblings = subheadingsOf(hs6.slice(0, 4));
        const hint = siblings.length > 0 ? `; heading ${hs6.slice(0, 4)} has ${siblings.slice(0, 12).join(', ')}${siblings.length > 12 ? ', …' : ''}` : '';
        return { ok: false, code, reason: `HS subheading ${hs6} does not exist in HS2022${hint}` };
      }
      return { ok: true, code, hs6, entry };
    },
  };
};

const loadRetired = (entries: ReadonlyMap<string, HsEntry>): RetiredCode[] => {
  const retired = parseYaml(readFileSync(RETIRED_FILE, 'utf8')) as RetiredCode[];
  for (const code of retired) {
    const missing = code.hs2022.filter((successor) => entries.get(successor)?.level !== 6);
    if (missing.length > 0) throw new Error(`${RETIRED_FILE}: successors ${missing.join(', ')} of ${code.hs2017} are not HS 2022 subheadings`);
  }
  return retired;
};

export const loadNomenclature = (referenceDir: string): Nomenclature => {
  const rows = parse(readReferenceText(referenceDir, 'goods/harmonized-system.csv'), {
    columns: true,
    skip_empty_lines: true,
  }) as { section: string; hscode: string; description: string; parent: string; level: string }[];
  const entries: HsEntry[] = rows.map((row) => ({
    code: row.hscode,
    description: row.description,
    parent: row.parent === 'TOTAL' ? null : row.parent,
    level: Number(row.level) as 2 | 4 | 6,
    section: row.section,
  }));
  return buildNomenclature(entries, loadRetired(new Map(entries.map((entry) => [entry.code, entry]))));
};
