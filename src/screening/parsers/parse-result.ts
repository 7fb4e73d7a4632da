import type { SanctionEntity } from '../entity.js';

export interface RejectedRecord {
  /** Where in the file: line number, record index or element. */
  at: string;
  reason: string;
}

/** A parsed list: the good entities and, one by one, the records that could not be read. */
export interface ParsedList {
  entities: SanctionEntity[];
  rejected: RejectedRecord[];
  /** Date the publisher put on the file, when it says. */
  publishedAt: string | null;
}

export const uniqueStrings = (values: readonly (string | null | undefined)[]): string[] => [
  ...new Set(values.map((v) => (v ?? '').trim()).filter((v) => v.length > 0)),
];
