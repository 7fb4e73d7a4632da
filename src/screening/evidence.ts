import type { Adjustment } from './compare.js';
import { normaliseCountry, normaliseDate, normaliseIdentifier, type PartyQuery, type SanctionEntity } from './entity.js';
import type { ScoringConfig } from './scoring-config.js';

export interface Evidence {
  adjustments: Adjustment[];
  /** Set when an identifier matched: the score is lifted to at least this. */
  floor: number | null;
}

const schemaFits = (query: PartyQuery['schema'], entity: SanctionEntity['schema']): boolean => {
  if (!query || query === 'Any') return true;
  if (query === 'Person' || entity === 'Person') return query === entity;
  // Organisations, vessels and aircraft are all named like companies, and lists mix them up.
  return true;
};

/** Entity-level facts beyond the name that raise or lower a name match. Pure. */
export const weighEvidence = (party: PartyQuery, entity: SanctionEntity, config: ScoringConfig): Evidence => {
  const e = config.evidence;
  const adjustments: Adjustment[] = [];
  let floor: number | null = null;
  if (!schemaFits(party.schema, entity.schema)) {
    adjustments.push({ reason: `party is a ${party.schema}, list entry is a ${entity.schema}`, delta: e.schemaMismatch });
  }
  const birth = party.birthDate ? normaliseDate(party.birthDate) : null;
  if (birth && entity.birthDates.length > 0) {
    const year = Number(birth.slice(0, 4));
    if (entity.birthDates.includes(birth) && birth.length === 10) {
      adjustments.push({ reason: `birth date ${birth} matches`, delta: e.birthDateExact });
    } else if (entity.birthDates.some((d) => Math.abs(Number(d.slice(0, 4)) - year) <= e.birthYearTolerance)) {
      adjustments.push({ reason: `birth year ${year} within ${e.birthYearTolerance} of the listed one`, delta: e.birthYearMatch });
    } else {
      adjustments.push({ reason: `birth date ${birth} differs from listed ${entity.birthDates.join(', ')}`, delta: e.birthDateMismatch });
    }
  }
  if (party.country && entity.countries.length > 0) {
    const country = normaliseCountry(party.country);
    if (entity.countries.includes(country)) adjustments.push({ reason: `country ${country} matches`, delta: e.countryMatch });
    else adjustments.push({ reason: `country ${country} not among listed ${entity.countries.join(', ')}`, delta: e.countryMismatch });
  }
  for (const identifier of party.identifiers ?? []) {
    const value = normaliseIdentifier(identifier.value);
    if (value.length < 5) continue;
    const hit = entity.identifiers.find((i) => normaliseIdentifier(i.value) === value);
    if (hit) {
      floor = e.identifierMatch;
      adjustments.push({ reason: `identifier ${hit.type} ${hit.value} matches`, delta: 0 });
      break;
    }
  }
  return { adjustments, floor };
};
