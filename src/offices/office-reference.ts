import { parse } from 'csv-parse/sync';
import { DomainError } from '../shared/errors.js';
import { readReferenceText } from '../shared/reference-data.js';
import { type Office, newOfficeSchema } from './office.js';

const OFFICES_FILE = 'geo/offices.csv';

/** Reads offices.csv; a bad row stops the load with its line, since offices anchor everything else. */
export const loadReferenceOffices = (referenceDir: string, loadedAt: string): Office[] => {
  const rows = parse(readReferenceText(referenceDir, OFFICES_FILE), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  return rows.map((row, index) => {
    const parsed = newOfficeSchema.safeParse({
      code: row.code,
      name: row.name,
      role: row.role,
      mode: row.mode || null,
      country: row.country,
      neighbour: row.neighbour || null,
      latitude: row.latitude ? Number(row.latitude) : null,
      longitude: row.longitude ? Number(row.longitude) : null,
    });
    if (!parsed.success) {
      throw new DomainError(
        'reference_data_missing',
        `${OFFICES_FILE} line ${index + 2} is not a valid office`,
        parsed.error.issues.map((issue) => ({ path: `line ${index + 2}/${issue.path.join('/')}`, message: issue.message })),
      );
    }
    return { ...parsed.data, origin: 'reference', updatedAt: loadedAt };
  });
};
