import { DomainError } from '../../shared/errors.js';
import { type EntityName, normaliseCountry, normaliseDate, type SanctionEntity } from '../entity.js';
import { ftmIdentifiers, ftmSchema } from './ftm.js';
import { type ParsedList, type RejectedRecord, uniqueStrings } from './parse-result.js';

interface FtmEntity {
  id?: unknown;
  schema?: unknown;
  properties?: Record<string, unknown>;
  first_seen?: unknown;
}

/** Parses OpenSanctions FollowTheMoney JSON lines; non-screenable schemata (Sanction, Ownership…) are skipped. */
export const parseFtmJsonl = (text: string, source: string): ParsedList => {
  const rejected: RejectedRecord[] = [];
  const entities: SanctionEntity[] = [];
  const lines = text.split(/\r?\n/);
  let parsedAny = false;
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const at = `line ${index + 1}`;
    let raw: FtmEntity;
    try {
      raw = JSON.parse(line) as FtmEntity;
      parsedAny = true;
    } catch {
      rejected.push({ at, reason: 'not valid JSON' });
      return;
    }
    if (typeof raw.id !== 'string' || typeof raw.schema !== 'string' || typeof raw.properties !== 'object' || !raw.properties) {
      rejected.push({ at, reason: 'an FtM entity needs "id", "schema" and "properties"' });
      return;
    }
    const schema = ftmSchema(raw.schema);
    if (!schema) return;
    const props = raw.properties;
    const get = (p: string): string[] =>
      uniqueStrings((Array.isArray(props[p]) ? (props[p] as unknown[]) : []).filter((v): v is string => typeof v === 'string'));
    const primary = get('name');
    if (primary.length === 0) {
      rejected.push({ at, reason: `entity ${raw.id} has no name` });
      return;
    }
    const names: EntityName[] = [
      ...primary.map((name, i): EntityName => ({ name, kind: i === 0 ? 'primary' : 'alias' })),
      ...[...get('alias'), ...get('previousName')].map((name): EntityName => ({ name, kind: 'alias' })),
      ...get('weakAlias').map((name): EntityName => ({ name, kind: 'weak' })),
    ];
    entities.push({
      id: `${source}:${raw.id}`,
      source,
      schema,
      names,
      birthDates: uniqueStrings(get('birthDate').map(normaliseDate)),
      countries: uniqueStrings([...get('nationality'), ...get('citizenship'), ...get('country'), ...get('jurisdiction'), ...get('flag')].map(normaliseCountry)),
      identifiers: ftmIdentifiers(get),
      programs: get('programId'),
      listedOn: get('createdAt')[0] ?? null,
      sourceRef: raw.id,
    });
  });
  if (!parsedAny && lines.some((l) => l.trim())) {
    throw new DomainError('validation', 'Not FtM JSON lines: no line parsed as JSON', [{ path: 'line 1', message: 'not valid JSON' }]);
  }
  return { entities, rejected, publishedAt: null };
};
