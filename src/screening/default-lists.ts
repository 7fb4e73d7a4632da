import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ListFormat } from './list-files.js';

export interface ListImport {
  files: string[];
  options: { format: ListFormat; source: string; ofacCompanionDir?: string };
}

/**
 * The official lists shipped beside Caravan in the reference folder (see its sanctions/SOURCES.md): the
 * newest OFAC SDN snapshot with the alias, address and remarks files, OFAC's non-SDN consolidated list,
 * the UN consolidated list and the EU Official Journal annexes. The demo loads them; an operator imports
 * the current official files with `caravan lists import` instead.
 */
export const defaultListImports = (referenceDir: string): ListImport[] => {
  const at = (...parts: string[]) => path.join(referenceDir, 'sanctions', ...parts);
  const euFolder = at('eu', 'oj_consolidated');
  return [
    { files: [at('ofac', 'sdn_2024', 'sdn_2024-05-03.csv.gz')], options: { format: 'ofac-csv', source: 'ofac-sdn', ofacCompanionDir: at('ofac', 'aliases_2025-02-27') } },
    { files: [at('ofac', 'non_sdn_2025-12-19', 'cons_prim.csv')], options: { format: 'ofac-csv', source: 'ofac-cons' } },
    { files: [at('un', 'UN_consolidated_2026-02-27.xml.gz')], options: { format: 'un-xml', source: 'un-sc' } },
    {
      files: readdirSync(euFolder)
        .filter((file) => file.endsWith('.csv.gz'))
        .sort()
        .map((file) => path.join(euFolder, file)),
      options: { format: 'eu-csv', source: 'eu-oj' },
    },
  ];
};
