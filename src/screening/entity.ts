import { createHash } from 'node:crypto';

export type EntitySchema = 'Person' | 'Organization' | 'Vessel' | 'Aircraft';
export type QuerySchema = EntitySchema | 'Any';

/** primary: the listed name; alias: a.k.a./f.k.a.; weak: low-quality alias; original: name in original script. */
export type NameKind = 'primary' | 'alias' | 'weak' | 'original';

export interface EntityName {
  name: string;
  kind: NameKind;
}

export interface Identifier {
  /** passport, inn, ogrn, bin, imo, registration, tax, id, swift, lei… */
  type: string;
  value: string;
  country?: string;
}

/** One listed person, organisation, vessel or aircraft, as a list publishes it. */
export interface SanctionEntity {
  /** Unique across sources: `<source>:<sourceRef>`. */
  id: string;
  source: string;
  schema: EntitySchema;
  names: EntityName[];
  /** ISO dates, full (1952-10-07) or partial (1952, 1952-10). */
  birthDates: string[];
  /** ISO 3166 alpha-2 in lower case where recognised, else the text as written. */
  countries: string[];
  identifiers: Identifier[];
  programs: string[];
  listedOn: string | null;
  /** The entry's reference in its list (OFAC ent_num, UN reference number, EU CELEX/record). */
  sourceRef: string;
}

/** A party to screen: the name plus whatever else a declaration says about it. */
export interface PartyQuery {
  id?: string;
  name: string;
  schema?: QuerySchema;
  birthDate?: string;
  country?: string;
  identifiers?: Identifier[];
}

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
};

/** Hash of an entry's content: changes exactly when the list changes what it says about the entry. */
export const contentHash = (entity: SanctionEntity): string =>
  createHash('sha256').update(JSON.stringify(canonical(entity))).digest('hex').slice(0, 32);

/** Identifiers compare on letters and digits only (passport "AB 123-456" = "AB123456"). */
export const normaliseIdentifier = (value: string): string => value.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryByName = new Map<string, string>();
// Withdrawn codes CLDR still names ("SU" is "Russia" too) and groupings that are not countries.
const notCountries = new Set(['SU', 'YU', 'ZR', 'TP', 'BU', 'DD', 'FX', 'CS', 'NT', 'EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);
for (let a = 65; a <= 90; a++) {
  for (let b = 65; b <= 90; b++) {
    const code = String.fromCharCode(a, b);
    if (notCountries.has(code)) continue;
    try {
      const name = regionNames.of(code);
      if (name && name !== code && !countryByName.has(name.toLowerCase())) countryByName.set(name.toLowerCase(), code.toLowerCase());
    } catch {
      // Not every pair of letters is a region; Intl throws on some.
    }
  }
}
// Names lists use that differ from CLDR's English short names.
const extraCountryNames: Record<string, string> = {
  'russian federation': 'ru', 'iran (islamic republic of)': 'ir', 'syrian arab republic': 'sy',
  "democratic people's republic of korea": 'kp', 'korea, north': 'kp', 'north korea': 'kp', 'korea, south': 'kr',
  'republic of korea': 'kr', 'democratic republic of the congo': 'cd', 'congo, democratic republic of the': 'cd',
  'united states of america': 'us', 'usa': 'us', 'uk': 'gb', 'united kingdom of great britain and northern ireland': 'gb',
  'venezuela (bolivarian republic of)': 've', 'bolivia (plurinational state of)': 'bo', 'viet nam': 'vn',
  'lao people\'s democratic republic': 'la', 'republic of moldova': 'md', 'united republic of tanzania': 'tz',
  'burma': 'mm', 'turkiye': 'tr', 'türkiye': 'tr', 'crimea': 'ua', 'kyrgyz republic': 'kg',
  'palestinian territories': 'ps', 'state of palestine': 'ps', 'czech republic': 'cz', 'ivory coast': 'ci',
};

/** Country text or code → lower-case ISO alpha-2 where recognised; otherwise the cleaned text. */
export const normaliseCountry = (value: string): string => {
  const text = value.trim().toLowerCase().replace(/\.$/, '');
  if (/^[a-z]{2}$/.test(text)) return text;
  return countryByName.get(text) ?? extraCountryNames[text] ?? text;
};

/** Dates as lists write them (07 Oct 1952, 1952-10-07, 12.9.2014, circa 1960) → ISO, partial allowed. */
export const normaliseDate = (value: string): string | null => {
  const text = value.trim();
  let m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(text);
  if (m) return [m[1], m[2], m[3]].filter(Boolean).join('-');
  m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(text);
  if (m) return `${m[3]}-${(m[2] as string).padStart(2, '0')}-${(m[1] as string).padStart(2, '0')}`;
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  m = /^(?:(\d{1,2}) )?([A-Za-z]{3})[a-z]* (\d{4})$/.exec(text);
  if (m) {
    const month = months.indexOf((m[2] as string).toLowerCase()) + 1;
    if (month === 0) return m[3] as string;
    const mm = String(month).padStart(2, '0');
    return m[1] ? `${m[3]}-${mm}-${(m[1] as string).padStart(2, '0')}` : `${m[3]}-${mm}`;
  }
  m = /\b(1[89]\d{2}|20\d{2})\b/.exec(text);
  return m ? (m[1] as string) : null;
};
