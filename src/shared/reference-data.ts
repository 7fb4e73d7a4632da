import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from './errors.js';

/**
 * Reference data (../shared/data) is read at run time and never copied into the repository,
 * so a missing file must say what was expected and where.
 */
export const referenceFile = (referenceDir: string, relativePath: string): string => {
  const full = path.join(referenceDir, relativePath);
  if (!existsSync(full)) {
    throw new DomainError(
      'reference_data_missing',
      `Reference file ${relativePath} not found in ${referenceDir}. ` +
        'Point CARAVAN_REFERENCE_DIR (or --reference-dir) at the folder holding the shared reference data.',
      [],
      { expected: full },
    );
  }
  return full;
};

export const readReferenceText = (referenceDir: string, relativePath: string): string =>
  readFileSync(referenceFile(referenceDir, relativePath), 'utf8');
