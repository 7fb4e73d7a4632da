/**
 * Every weight and threshold of name scoring, in one data module so tuning is a reviewed data change.
 * Values were set on the dev sets in ../shared/data/sanctions/name_variants/dev and the lists' own
 * Cyrillic aliases; docs/screening.md explains each.
 */
export const scoringConfig = {
  /** A result at or above this is reported as a match. */
  defaultThreshold: 0.8,
  /** Token pairs below this similarity are treated as not matching at all. */
  minTokenSimilarity: 0.72,
  tokenScore: {
    exact: 1,
    /** Same romanised spelling from different scripts (Путин / Putin). */
    transliteration: 1,
    /** Spellings that meet in the sound-class skeleton (Poutine / Putin, Tokajew / Toqaev). */
    phonetic: 0.93,
    /** Members of one rigour synonym group (company / компания, Bob / Robert). */
    synonym: 0.93,
    /** Arabic or Hebrew script against Latin: only consonant outlines compare. */
    consonants: 0.88,
    /** A one-letter token against a word it could abbreviate. */
    initial: 0.75,
    /** Edit-distance similarity on skeletons counts this much of its raw value. */
    skeletonEditFactor: 0.94,
    /** Least edit-distance similarity for a word written as two or three on the other side. */
    joinedMinEdit: 0.86,
    /** Tokens shorter than this never match by edit distance (too many near neighbours). */
    minEditLength: 4,
  },
  tokenWeight: { name: 1, patronymic: 0.7, particle: 0.25, initial: 0.35, term: 0.35, number: 1 },
  /**
   * How much an unmatched query token counts against the match, as a share of its weight: a query name
   * part the list lacks is evidence against, except a patronymic (often omitted) or a legal-form word.
   */
  unmatchedQueryShare: { name: 1, patronymic: 0.15, particle: 0.5, initial: 0.5, term: 0.3, number: 1 },
  /** How much an unmatched list token counts against the match, as a share of its weight. */
  unmatchedCandidateShare: { name: 0.5, patronymic: 0.1, particle: 0.3, initial: 0.3, term: 0.3, number: 0.5 },
  /** Multiplier when matched tokens appear in another order (swapped given name and surname). */
  orderPenalty: 0.97,
  /** Multiplier for a weak alias (UN "Low" quality, FtM weakAlias). */
  weakAliasFactor: 0.92,
  /** Score cap when only particles, initials or company terms matched. */
  weakOnlyCap: 0.5,
  /** Legal forms of both names known and of different classes (LLC against JSC). */
  legalFormMismatch: -0.03,
  evidence: {
    birthDateExact: 0.05,
    birthYearMatch: 0.02,
    /** Years further apart than this count as a different person. */
    birthYearTolerance: 1,
    birthDateMismatch: -0.15,
    countryMatch: 0.02,
    countryMismatch: -0.03,
    /** An identifier (passport, INN, IMO…) found on both sides lifts the score to at least this. */
    identifierMatch: 0.99,
    /** A party of another type (a person against a company list entry). */
    schemaMismatch: -0.3,
  },
  index: {
    /** Names scored in full per query, taken by descending index overlap. */
    maxCandidates: 50,
    /** Names sharing less than this share of the best candidate's key overlap are not scored. */
    minOverlapShare: 0.5,
    /** Index keys with more postings than this are skipped when a rarer key exists (al, mohammed). */
    commonKeyPostings: 4000,
  },
} as const;

export type ScoringConfig = typeof scoringConfig;
