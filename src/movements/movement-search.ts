import { searchWords } from '../shared/text.js';
import type { Declaration } from './declaration.js';

/** HS prefixes a listing can filter on: chapter, heading, subheading and national lengths. */
export const HS_PREFIX_LENGTHS = [2, 4, 6, 8, 10] as const;

export const officeKey = (code: string): string => `office:${code}`;
export const countryKey = (country: string): string => `country:${country}`;
export const hsKey = (prefix: string): string => `hs:${prefix}`;
export const partyKey = (word: string): string => `party:${word}`;

const partyNames = (declaration: Declaration): string[] =>
  [declaration.consignor, declaration.consignee, declaration.holderOfTheTransitProcedure, declaration.carrier].flatMap(
    (party) => (party?.name ? [party.name] : []),
  );

/** Every key a movement can be found by in listings. */
export const movementSearchKeys = (declaration: Declaration): string[] => {
  const keys = new Set<string>();
  for (const code of [declaration.officeOfDeparture, ...declaration.officesOfTransit, ...declaration.officesOfExit, declaration.officeOfDestination]) {
    keys.add(officeKey(code));
  }
  for (const country of declaration.countriesOfRouting) keys.add(countryKey(country));
  for (const item of declaration.goodsItems) {
    for (const length of HS_PREFIX_LENGTHS) if (item.hsCode.length >= length) keys.add(hsKey(item.hsCode.slice(0, length)));
  }
  for (const name of partyNames(declaration)) for (const word of searchWords(name)) keys.add(partyKey(word));
  return [...keys];
};
