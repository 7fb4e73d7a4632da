import { DomainError } from '../shared/errors.js';
import { readReferenceText } from '../shared/reference-data.js';
import { splitTokens } from './tokens.js';
import { romanise, skeletons } from './transliterate.js';
import { parse as parseYaml } from 'yaml';

export interface LegalForm {
  /** How the form is shown (ТОО, GmbH, LLC). */
  display: string;
  /** The cross-country class (LLC, LLP, JSC…), when rigour gives one; two names agree on a form when these agree. */
  generic: string;
}

/** Vocabularies that make names comparable across languages; built from rigour's YAML at run time. */
/** A legal-form phrase as sound-class keys per token, so any transliteration of it is recognised. */
export interface LegalFormPhrase {
  keys: string[][];
  form: LegalForm;
}

export interface NameVocabulary {
  /** Phrases by the keys of their first token. */
  legalForms: Map<string, LegalFormPhrase[]>;
  maxLegalFormTokens: number;
  /** Romanised single token → synonym groups it belongs to (company/компания, Bob/Robert…). */
  symbols: Map<string, string[]>;
  /** Romanised token sequences of honorifics and titles dropped in front of person names (Mr, Dr, General). */
  personPrefixes: Set<string>;
  maxPrefixTokens: number;
}

/** Legal-form words this short are compared by their romanised letters, not by sound keys. */
export const SHORT_FORM_LETTERS = 3;

export const VOCABULARY_FILES = {
  orgTypes: 'sanctions/reference/rigour_org_types.yml',
  symbols: 'sanctions/reference/rigour_symbols.yml',
  stopwords: 'sanctions/reference/rigour_stopwords.yml',
} as const;

/** What the rigour vocabularies hold: nested maps and lists of text. */
type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

const readVocabularyFile = (referenceDir: string, file: string): YamlValue => {
  try {
    // The failsafe schema keeps every scalar as text, as the vocabularies mean it ("1", "no" and "on" are words here).
    return parseYaml(readReferenceText(referenceDir, file), { schema: 'failsafe' }) as YamlValue;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('validation', `${file}: ${(error as Error).message}`, [{ path: file, message: 'is not valid YAML' }]);
  }
};

const key = (phrase: string): string => splitTokens(phrase).map(romanise).filter(Boolean).join(' ');
const asList = (value: YamlValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const asMap = (value: YamlValue | undefined): Record<string, YamlValue> =>
  value && typeof value === 'object' && !Array.isArray(value) ? value : {};

export interface VocabularyDocuments {
  orgTypes: YamlValue;
  symbols: YamlValue;
  stopwords: YamlValue;
}

export const buildVocabulary = (docs: VocabularyDocuments): NameVocabulary => {
  const legalForms = new Map<string, LegalFormPhrase[]>();
  const seenPhrases = new Set<string>();
  const types = asMap(docs.orgTypes).types;
  for (const entry of Array.isArray(types) ? types : []) {
    const item = asMap(entry);
    const display = typeof item.display === 'string' ? item.display : typeof item.compare === 'string' ? item.compare : '';
    const aliases = asList(item.aliases);
    const shown = display || aliases[0] || '';
    if (!shown) continue;
    const generic = typeof item.generic === 'string' ? item.generic : key(shown).toUpperCase();
    const form: LegalForm = { display: shown, generic };
    for (const alias of [display, typeof item.compare === 'string' ? item.compare : '', ...aliases]) {
      const k = key(alias);
      if (!k || seenPhrases.has(k)) continue;
      seenPhrases.add(k);
      // An abbreviation of three letters or fewer is matched as written, not by sound: by sound "MMZ" (a
      // plant's initials) would be the Azerbaijani "MMC" and "OAO" the Russian "OOO".
      const phrase: LegalFormPhrase = { keys: k.split(' ').map((word) => (word.length <= SHORT_FORM_LETTERS ? [`=${word}`] : skeletons(word))), form };
      for (const first of phrase.keys[0] ?? []) legalForms.set(first, [...(legalForms.get(first) ?? []), phrase]);
    }
  }
  const symbols = new Map<string, string[]>();
  const symbolDoc = asMap(docs.symbols);
  for (const group of ['org_symbols', 'org_domains', 'person_symbols', 'person_nick', 'person_name_parts']) {
    for (const [id, members] of Object.entries(asMap(symbolDoc[group]))) {
      const list = asList(members);
      const label = `${group}:${id}`;
      for (const member of list) {
        const tokens = splitTokens(member).map(romanise).filter(Boolean);
        if (tokens.length !== 1) continue;
        const token = tokens[0] as string;
        const groups = symbols.get(token) ?? [];
        if (!groups.includes(label)) groups.push(label);
        symbols.set(token, groups);
      }
    }
  }
  const stop = asMap(docs.stopwords);
  const personPrefixes = new Set(asList(stop.PERSON_NAME_PREFIXES).map(key).filter(Boolean));
  const count = (k: string): number => k.split(' ').length;
  return {
    legalForms,
    maxLegalFormTokens: Math.max(1, ...[...seenPhrases].map(count)),
    symbols,
    personPrefixes,
    maxPrefixTokens: Math.max(1, ...[...personPrefixes].map(count)),
  };
};

export const loadVocabulary = (referenceDir: string): NameVocabulary =>
  buildVocabulary({
    orgTypes: readVocabularyFile(referenceDir, VOCABULARY_FILES.orgTypes),
    symbols: readVocabularyFile(referenceDir, VOCABULARY_FILES.symbols),
    stopwords: readVocabularyFile(referenceDir, VOCABULARY_FILES.stopwords),
  });
