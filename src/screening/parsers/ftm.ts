import type { EntitySchema, Identifier } from '../entity.js';

/** FollowTheMoney schemata Caravan screens against; the rest (Sanction, Ownership, Address…) are context. */
export const ftmSchema = (schema: string): EntitySchema | null => {
  switch (schema) {
    case 'Person':
      return 'Person';
    case 'Company':
    case 'Organization':
    case 'LegalEntity':
    case 'PublicBody':
      return 'Organization';
    case 'Vessel':
      return 'Vessel';
    case 'Airplane':
      return 'Aircraft';
    default:
      return null;
  }
};

/** FtM properties that hold identifiers, and the type Caravan gives them. */
export const ftmIdentifierProperties: Record<string, string> = {
  innCode: 'inn',
  ogrnCode: 'ogrn',
  kppCode: 'kpp',
  okpoCode: 'okpo',
  leiCode: 'lei',
  swiftBic: 'swift',
  imoNumber: 'imo',
  mmsi: 'mmsi',
  passportNumber: 'passport',
  registrationNumber: 'registration',
  taxNumber: 'tax',
  idNumber: 'id',
  bikCode: 'bik',
};

export const ftmIdentifiers = (get: (property: string) => string[]): Identifier[] =>
  Object.entries(ftmIdentifierProperties).flatMap(([property, type]) =>
    get(property).map((value) => ({ type, value: value.replace(/\s*\([^)]*\)\s*$/, '').trim() })).filter((i) => i.value),
  );
