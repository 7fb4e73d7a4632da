import { type LegalForm, type LegalFormPhrase, type NameVocabulary, SHORT_FORM_LETTERS } from './name-vocabulary.js';
import type { ScoringConfig } from './scoring-config.js';
import { cleanName, splitTokens } from './tokens.js';
import { consonants, romanise, type Script, scriptOf, skeletons } from './transliterate.js';

export type TokenKind = 'name' | 'patronymic' | 'particle' | 'initial' | 'term' | 'number';
export type NameKindHint = 'person' | 'organization' | 'any';

export interface NameToken {
  /** As written. */
  text: string;
  /** Romanised, lower-case ASCII. */
  light: string;
  /** Sound-class keys; two spellings of one name share one. */
  keys: string[];
  /** Consonant outline of the first key (for Arabic/Hebrew script). */
  outline: string;
  script: Script;
  kind: TokenKind;
  symbols: string[];
  weight: number;
}

export interface ParsedName {
  text: string;
  tokens: NameToken[];
  legalForms: LegalForm[];
  /** Written "SURNAME, Given": tokens were put back in given-name-first order. */
  reordered: boolean;
  /** Runs of 2–3 adjacent tokens read as one word, prepared once because every comparison tries them. */
  runs: TokenRun[];
}

export interface TokenRun {
  from: number;
  to: number;
  token: NameToken;
}

/** Adjacent tokens read as one word ("Abd al Rahman" = "Abdulrahman", "Jong Un" = "Jongun"). */
export const mergeTokens = (tokens: readonly NameToken[]): NameToken => {
  const light = tokens.map((t) => t.light).join('');
  const keys = skeletons(light);
  const first = tokens[0] as NameToken;
  return {
    text: tokens.map((t) => t.text).join(' '),
    light,
    keys,
    outline: consonants(keys[0] ?? light),
    script: first.script,
    kind: 'name',
    symbols: [],
    weight: tokens.reduce((sum, t) => sum + t.weight, 0),
  };
};

/** Runs of 2–3 adjacent tokens worth trying as one word. */
export const mergeRuns = (tokens: readonly NameToken[]): TokenRun[] => {
  const runs: TokenRun[] = [];
  for (let from = 0; from < tokens.length; from++) {
    for (let to = from + 1; to <= Math.min(tokens.length - 1, from + 2); to++) {
      const part = tokens.slice(from, to + 1);
      if (part.some((t) => t.kind === 'number' || t.kind === 'initial')) break;
      const token = mergeTokens(part);
      if (token.light.length <= 24) runs.push({ from, to, token });
    }
  }
  return runs;
};

/** Names longer than this many tokens are cut: no real name has more, and it bounds scoring cost. */
export const MAX_NAME_TOKENS = 16;

const patronymic = /(ovich|evich|ovych|evych|ovna|evna|ivna|ichna|ogly|oglu|ugli|uly|kyzy|qyzy|gyzy)$/;
// Joining words of Arabic, Dutch, German, Romance and Central Asian names: present or absent by habit.
const particles = new Set([
  'al', 'el', 'ul', 'bin', 'ibn', 'bint', 'ben', 'binti', 'bn', 'abu', 'ould', 'van', 'von', 'der', 'den', 'de',
  'da', 'di', 'du', 'la', 'le', 'del', 'dos', 'das', 'y', 'e', 'and', 'i', 'u', 'the', 'of',
]);

const classify = (light: string, hint: NameKindHint, symbols: string[]): TokenKind => {
  if (/^\d+$/.test(light)) return 'number';
  if (light.length === 1) return 'initial';
  if (particles.has(light)) return 'particle';
  if (hint !== 'person' && symbols.some((s) => s.startsWith('org_'))) return 'term';
  if (hint !== 'organization' && light.length > 5 && patronymic.test(light)) return 'patronymic';
  return 'name';
};

const makeToken = (
  text: string,
  hint: NameKindHint,
  vocabulary: NameVocabulary,
  config: ScoringConfig,
  legalFormWord: boolean,
): NameToken | null => {
  const light = romanise(text);
  if (!light) return null;
  const keys = skeletons(light);
  const symbols = vocabulary.symbols.get(light) ?? [];
  const kind = legalFormWord ? 'term' : classify(light, hint, symbols);
  return {
    text,
    light,
    keys,
    outline: consonants(keys[0] ?? light),
    script: scriptOf(text),
    kind,
    symbols,
    weight: config.tokenWeight[kind],
  };
};

/** Finds the longest legal-form phrase starting at each position (matched on sound keys); never the whole name. */
const findLegalForms = (keys: string[][], vocabulary: NameVocabulary): { kept: number[]; found: LegalForm[] } => {
  const kept: number[] = [];
  const found: LegalForm[] = [];
  let i = 0;
  while (i < keys.length) {
    let best: LegalFormPhrase | null = null;
    for (const key of keys[i] as string[]) {
      for (const phrase of vocabulary.legalForms.get(key) ?? []) {
        const n = phrase.keys.length;
        if (n >= keys.length || i + n > keys.length || (best && best.keys.length >= n)) continue;
        if (phrase.keys.every((options, k) => (keys[i + k] as string[]).some((key2) => options.includes(key2)))) best = phrase;
      }
    }
    if (best) {
      found.push(best.form);
      i += best.keys.length;
    } else kept.push(i++);
  }
  return { kept, found };
};

/** Drops titles (Mr, Dr, General…) from the front of a person's name. */
const dropPrefixes = (lights: string[], vocabulary: NameVocabulary): number => {
  let start = 0;
  for (;;) {
    let matched = 0;
    for (let n = Math.min(vocabulary.maxPrefixTokens, lights.length - start - 1); n >= 1; n--) {
      if (vocabulary.personPrefixes.has(lights.slice(start, start + n).join(' '))) {
        matched = n;
        break;
      }
    }
    if (matched === 0) return start;
    start += matched;
  }
};

/** Turns a written name into comparable tokens. Pure: vocabulary and config are passed in. */
export const parseName = (
  raw: string,
  hint: NameKindHint,
  vocabulary: NameVocabulary,
  config: ScoringConfig,
): ParsedName => {
  const text = cleanName(raw);
  let ordered = text;
  let reordered = false;
  const commaParts = text.split(',');
  if (hint !== 'organization' && commaParts.length === 2) {
    const [surname, given] = commaParts.map((p) => p.trim()) as [string, string];
    if (surname && given && splitTokens(surname).length <= 3 && splitTokens(given).length <= 4) {
      ordered = `${given} ${surname}`;
      reordered = true;
    }
  }
  const words = splitTokens(ordered)
    .slice(0, MAX_NAME_TOKENS * 2)
    .filter((word) => romanise(word) !== '');
  let kept = words.map((_, i) => i);
  let legalForms: LegalForm[] = [];
  const formWords = new Set<number>();
  if (hint !== 'person') {
    const result = findLegalForms(
      words.map((w) => {
        const light = romanise(w);
        return light.length <= SHORT_FORM_LETTERS ? [`=${light}`] : skeletons(light);
      }),
      vocabulary,
    );
    legalForms = result.found;
    const keptSet = new Set(result.kept);
    if (hint === 'any') {
      // For an untyped party a legal-form word may be a name ("Sem", "Ju"): keep it as a weak term.
      for (const i of kept) if (!keptSet.has(i)) formWords.add(i);
    } else {
      kept = kept.filter((i) => keptSet.has(i));
    }
  }
  if (hint !== 'organization') kept = kept.slice(dropPrefixes(kept.map((i) => romanise(words[i] as string)), vocabulary));
  const tokens = kept
    .slice(0, MAX_NAME_TOKENS)
    .map((i) => makeToken(words[i] as string, hint, vocabulary, config, formWords.has(i)))
    .filter((t): t is NameToken => t !== null);
  return { text, tokens, legalForms, reordered, runs: mergeRuns(tokens) };
};
