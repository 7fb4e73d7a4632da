import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { foldMixedScript } from '../shared/text.js';
import type { Nomenclature } from './nomenclature.js';

/**
 * A curated trade term outweighs a few rare nomenclature words: "microcontrollers in reels" is about
 * microcontrollers, not fishing reels.
 */
const TRADE_TERM_POINTS = 12;

/**
 * A generic term ("integrated circuit", "микросхема") names the catch-all of its family and must yield to
 * a specific one in the same description ("FPGA integrated circuit", "флеш-память микросхемы").
 */
const GENERIC_TERM_POINTS = 6;

/**
 * A word found only in the heading's text is shared by all its subheadings, so it says which heading but
 * not which subheading; a word in the subheading's own text says both.
 */
const HEADING_ONLY_SHARE = 0.5;

/** Words in more subheadings than this ("articles", "machines") tell nothing apart. */
const COMMON_WORD_LIMIT = 400;

/** German compounds put the thing last ("Tantal|kondensator"); shorter heads match too much by chance. */
const MIN_COMPOUND_HEAD = 5;

export interface Candidate {
  hs6: string;
  description: string;
  score: number;
  /** The words of the description that led here, and where each came from. */
  evidence: { word: string; via: 'trade term' | 'nomenclature text' }[];
}

/**
 * An entry of trade-vocabulary.yaml: terms (and part-number patterns) naming codes, or, with `means`,
 * words of another language meaning the given English words of the nomenclature.
 */
interface VocabularyEntry {
  codes?: string[];
  terms?: string[];
  patterns?: string[];
  generic?: boolean;
  means?: string;
}

interface Phrase {
  text: string;
  codes: string[];
  term: string;
  points: number;
}

const STOP_WORDS = new Set(
  'a an and or of for the with without in on to by other than not whether nes n.e.c. nec parts part thereof including its their from as at be is are this that other, и или для из на в с без по für mit und aus zu'.split(/\s+/),
);

/**
 * Russian case and number endings, longest first. Declarations inflect freely ("подшипников роликовых
 * конических"), and the vocabulary cannot spell out every form, so both sides are cut to a stem.
 */
const RUSSIAN_ENDINGS = [
  'иями', 'ями', 'ами', 'ого', 'его', 'ому', 'ему', 'ыми', 'ими', 'ией',
  'ые', 'ие', 'ый', 'ий', 'ой', 'ая', 'яя', 'ое', 'ее', 'ую', 'юю', 'ых', 'их', 'ов', 'ев', 'ей', 'ам', 'ям', 'ах', 'ях', 'ом', 'ем', 'ию', 'ия', 'ье', 'ья',
  'ы', 'и', 'а', 'я', 'о', 'е', 'у', 'ю', 'ь', 'і',
];
/** Kazakh plural suffixes, alone or with the possessive vowel, by vowel harmony: "мойынтіректер", "телефондары". */
const KAZAKH_PLURAL = /(?:лар|лер|дар|дер|тар|тер)(?:ы|і)?$/u;
const MIN_STEM = 3;

/**
 * Cuts endings until none is left, so that a form and the forms built on it meet at one stem
 * ("разъем", "разъемы" → "разъ"; "роликовый", "ролики" → "ролик"); both sides go through it, so an
 * over-short stem costs nothing as long as it is the same.
 */
const cyrillicStem = (word: string): string => {
  let stem = word.replace(/ё/g, 'е');
  for (let previous = ''; previous !== stem; ) {
    previous = stem;
    const ending = RUSSIAN_ENDINGS.find((candidate) => stem.endsWith(candidate) && stem.length - candidate.length >= MIN_STEM);
    if (ending) stem = stem.slice(0, -ending.length);
    const plural = KAZAKH_PLURAL.exec(stem);
    if (plural && plural.index > MIN_STEM) stem = stem.slice(0, plural.index);
  }
  return stem;
};

const foldWord = (word: string): string => {
  if (/\p{Script=Cyrillic}/u.test(word)) return cyrillicStem(word);
  return word.length > 3 && /[a-z]s$/.test(word) && !/(?:ss|us|is)$/.test(word) ? word.slice(0, -1) : word;
};

/** Declarations repeat a small vocabulary, so each word is folded once; bounded against unbounded input. */
const foldedWords = new Map<string, string>();
const normaliseWord = (word: string): string => {
  let folded = foldedWords.get(word);
  if (folded === undefined) {
    folded = foldWord(word);
    if (foldedWords.size < 100_000) foldedWords.set(word, folded);
  }
  return folded;
};

/** Lower-cased, NFKC tokens of a description before any folding: part numbers are matched on these. */
const tokens = (text: string): string[] =>
  foldMixedScript(text)
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}-]+/u)
    .map((word) => word.replace(/^-+|-+$/g, ''))
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word));

/**
 * Words of a description: letters and digits kept (any script), English plurals folded, Russian and Kazakh
 * words cut to a stem.
 */
export const descriptionWords = (text: string): string[] => tokens(text).map(normaliseWord);

/**
 * Spans of a nomenclature text that name what a subheading is not ("not roasted", "other than crude",
 * "whether or not refined", "(not printed, knitted or crocheted)"): their words must not count for it.
 */
const NEGATED = /\((?:not|excluding|except|other than|without)\b[^()]*\)|\b(?:not|excluding|except|other than|without)\b[^,;()]*/g;

/** The words of a nomenclature text that say what it is, hyphenated words also by their parts ("multi-phase"). */
const affirmedWords = (text: string): string[] => {
  const kept = text.replace(NEGATED, ' ');
  const parts = descriptionWords(kept.replace(/-/g, ' ')).filter((word) => word.length > 2);
  return [...new Set([...descriptionWords(kept), ...parts])].filter((word) => !/^\d/.test(word));
};

/**
 * Suggests HS-6 subheadings for a free-text description: a curated multilingual vocabulary of trade
 * terms and part-number patterns gives strong evidence; the nomenclature's own texts (subheading and
 * heading) give the rest, weighted by how rare each word is across the nomenclature. Words of other
 * languages reach the nomenclature through the vocabulary's glossary.
 */
export class GoodsClassifier {
  /** Trade-term phrases by their first word, so a description is matched only against phrases it could contain. */
  private readonly phrasesByFirstWord = new Map<string, Phrase[]>();
  /** Glossary: a word of another language to the nomenclature words it means. */
  private readonly meanings = new Map<string, string[]>();
  private readonly partNumbers: { pattern: RegExp; codes: string[] }[] = [];
  /** Any part-number pattern, so that one test rules most words out. */
  private readonly anyPartNumber: RegExp | null = null;
  /** Subheadings by position: scores are kept in typed arrays indexed by it, as classify runs on every goods item. */
  private readonly codes: string[] = [];
  private readonly positionOf = new Map<string, number>();
  /** Per word, the positions of the subheadings whose texts contain it, and whether in their own text or only the heading's. */
  private readonly postings = new Map<string, { at: Uint16Array; own: Uint8Array; idf: number }>();
  /** How many words each subheading's own text affirms, to break ties towards the text the description covers best. */
  private readonly ownWordCount: Uint16Array;
  private readonly compounds = new Map<string, string[]>();
  /** Scratch space of classify, cleared after each call at the positions it touched. */
  private readonly scratch: { score: Float64Array; ownMatched: Uint16Array; evidence: Uint32Array; touched: Uint8Array };

  constructor(private readonly nomenclature: Nomenclature, vocabularyFile: string) {
    const vocabulary = parseYaml(readFileSync(vocabularyFile, 'utf8')) as VocabularyEntry[];
    const isSubheading = (code: string) => nomenclature.get(code)?.level === 6;
    const seen = new Set<string>();
    const patternSources: string[] = [];
    for (const entry of vocabulary) {
      if (entry.means !== undefined) {
        const meaning = descriptionWords(String(entry.means));
        for (const term of entry.terms ?? []) {
          const words = descriptionWords(String(term));
          if (words.length !== 1 || meaning.length === 0) continue;
          this.meanings.set(words[0]!, [...new Set([...(this.meanings.get(words[0]!) ?? []), ...meaning])]);
        }
        continue;
      }
      const codes = (entry.codes ?? []).map(String).filter(isSubheading);
      if (codes.length === 0) continue;
      for (const source of entry.patterns ?? []) {
        this.partNumbers.push({ pattern: new RegExp(`^(?:${source})$`, 'u'), codes });
        patternSources.push(source);
      }
      for (const term of entry.terms ?? []) {
        const words = descriptionWords(String(term));
        const key = `${words.join(' ')}|${codes.join(',')}`;
        if (words.length === 0 || seen.has(key)) continue;
        seen.add(key);
        const first = words[0]!;
        const phrases = this.phrasesByFirstWord.get(first) ?? [];
        const points = (entry.generic ? GENERIC_TERM_POINTS : TRADE_TERM_POINTS) + 3 * (words.length - 1);
        phrases.push({ text: ` ${words.join(' ')} `, codes, term: String(term), points });
        this.phrasesByFirstWord.set(first, phrases);
      }
    }
    if (patternSources.length > 0) this.anyPartNumber = new RegExp(`^(?:${patternSources.join('|')})$`, 'u');
    const subheadings = [...nomenclature.entries()].filter((entry) => entry.level === 6);
    this.ownWordCount = new Uint16Array(subheadings.length);
    const byWord = new Map<string, { at: number[]; own: number[] }>();
    subheadings.forEach((entry, position) => {
      this.codes.push(entry.code);
      this.positionOf.set(entry.code, position);
      const heading = entry.parent ? nomenclature.get(entry.parent) : undefined;
      const own = affirmedWords(entry.description);
      this.ownWordCount[position] = own.length;
      const words = new Map<string, number>(affirmedWords(heading?.description ?? '').map((word) => [word, 0]));
      for (const word of own) words.set(word, 1);
      for (const [word, isOwn] of words) {
        let posting = byWord.get(word);
        if (!posting) byWord.set(word, (posting = { at: [], own: [] }));
        posting.at.push(position);
        posting.own.push(isOwn);
      }
    });
    for (const [word, { at, own }] of byWord) {
      this.postings.set(word, { at: Uint16Array.from(at), own: Uint8Array.from(own), idf: Math.log(subheadings.length / at.length) });
    }
    const size = subheadings.length;
    this.scratch = { score: new Float64Array(size), ownMatched: new Uint16Array(size), evidence: new Uint32Array(size), touched: new Uint8Array(size) };
  }

  private matchable(word: string): boolean {
    return this.phrasesByFirstWord.has(word) || this.meanings.has(word);
  }

  private known(word: string): boolean {
    return this.matchable(word) || this.postings.has(word);
  }

  /**
   * The known words a German-style compound is made of, head last ("rillenkugellager" → "kugellager",
   * "tantalkondensatoren" → "tantal", "kondensator"; "leiterplatten" → "leiterplatte"), or none. Only for
   * Latin words nothing else knows.
   */
  private compoundParts(word: string): string[] {
    const cached = this.compounds.get(word);
    if (cached !== undefined) return cached;
    let parts: string[] = [];
    if (word.length >= MIN_COMPOUND_HEAD + 3 && /^\p{Script=Latin}+$/u.test(word) && !this.known(word)) {
      const forms = [...new Set([word, word.replace(/en$/u, ''), word.replace(/n$/u, ''), word.replace(/e$/u, '')])];
      search: for (let start = 0; start <= word.length - MIN_COMPOUND_HEAD; start++) {
        for (const form of forms) {
          const head = form.slice(start);
          if (head.length < MIN_COMPOUND_HEAD || !this.matchable(head)) continue;
          const modifier = start >= 3 ? [word.slice(0, start), word.slice(0, start - 1)].find((candidate) => this.matchable(candidate)) : undefined;
          parts = modifier ? [modifier, head] : [head];
          break search;
        }
      }
    }
    if (this.compounds.size < 10_000) this.compounds.set(word, parts);
    return parts;
  }

  /**
   * The description's words in order, each followed by the known words it is built of: the parts of a
   * hyphenated word ("WLAN-Router") and of a compound, so terms and the glossary reach them.
   */
  private wordsOf(description: string) {
    const raw = tokens(description);
    const words: string[] = [];
    for (const token of raw) {
      const word = normaliseWord(token);
      words.push(word);
      if (this.known(word)) continue;
      const pieces = token.includes('-') && !/\d/.test(token) ? token.split('-').filter((piece) => piece.length > 1).map(normaliseWord) : [word];
      for (const piece of pieces) {
        if (piece !== word) words.push(piece);
        words.push(...this.compoundParts(piece));
      }
    }
    return { raw, words };
  }

  private tradeTermsIn(words: readonly string[]) {
    const joined = ` ${words.join(' ')} `;
    return [...new Set(words)].flatMap((word) => (this.phrasesByFirstWord.get(word) ?? []).filter((phrase) => joined.includes(phrase.text)));
  }

  private partNumbersIn(raw: readonly string[]) {
    if (!this.anyPartNumber) return [];
    return raw
      .filter((token) => /\d/.test(token) && /\p{L}/u.test(token) && this.anyPartNumber!.test(token))
      .map((token) => ({ token, codes: [...new Set(this.partNumbers.filter((entry) => entry.pattern.test(token)).flatMap((entry) => entry.codes))] }));
  }

  /** Whether the description names any curated trade term: without one no misdeclaration is suggested. */
  mentionsTradeTerm(description: string): boolean {
    const { raw, words } = this.wordsOf(description);
    return this.tradeTermsIn(words).length > 0 || this.partNumbersIn(raw).length > 0;
  }

  /** Whether the candidate at position a ranks above the one at b. */
  private ranksAbove(a: number, b: number): boolean {
    const { score, ownMatched } = this.scratch;
    const difference = score[a]! - score[b]!;
    if (Math.abs(difference) > 1e-9) return difference > 0;
    const leftOutA = this.ownWordCount[a]! - ownMatched[a]!;
    const leftOutB = this.ownWordCount[b]! - ownMatched[b]!;
    return leftOutA !== leftOutB ? leftOutA < leftOutB : this.codes[a]! < this.codes[b]!;
  }

  classify(description: string, limit = 5): Candidate[] {
    const { raw, words } = this.wordsOf(description);
    const { score, ownMatched, evidence, touched } = this.scratch;
    const positions: number[] = [];
    const termEvidence = new Map<number, string[]>();
    const terms: { codes: readonly string[]; points: number; term: string }[] = this.tradeTermsIn(words).map((phrase) => ({ codes: phrase.codes, points: phrase.points, term: phrase.term }));
    for (const { token, codes } of this.partNumbersIn(raw)) terms.push({ codes, points: TRADE_TERM_POINTS, term: token });
    for (const { codes, points, term } of terms) {
      for (const code of codes) {
        const position = this.positionOf.get(code)!;
        if (touched[position] === 0) {
          touched[position] = 1;
          positions.push(position);
        }
        score[position] = score[position]! + points;
        const named = termEvidence.get(position) ?? [];
        if (!named.includes(term)) named.push(term);
        termEvidence.set(position, named);
      }
    }
    // A word and its translation are one piece of evidence: each nomenclature word counts once, shown as the word written.
    const nomenclatureWords = new Map<string, string>();
    for (const word of words) {
      if (/^\d/.test(word)) continue;
      if (!nomenclatureWords.has(word)) nomenclatureWords.set(word, word);
      for (const meaning of this.meanings.get(word) ?? []) if (!nomenclatureWords.has(meaning)) nomenclatureWords.set(meaning, word);
    }
    const written: string[] = [];
    for (const [word, as] of nomenclatureWords) {
      const posting = this.postings.get(word);
      if (!posting || posting.at.length > COMMON_WORD_LIMIT) continue;
      const bit = written.length < 32 ? 1 << written.length : 0;
      written.push(as);
      const { at, own, idf } = posting;
      for (let index = 0; index < at.length; index++) {
        const position = at[index]!;
        if (touched[position] === 0) {
          touched[position] = 1;
          positions.push(position);
        }
        score[position] = score[position]! + (own[index] ? idf : idf * HEADING_ONLY_SHARE);
        ownMatched[position] = ownMatched[position]! + own[index]!;
        evidence[position] = evidence[position]! | bit;
      }
    }
    // The best few by insertion: far cheaper than sorting the hundreds of subheadings a common word touches.
    const best: number[] = [];
    for (const position of positions) {
      if (best.length === limit && !this.ranksAbove(position, best[best.length - 1]!)) continue;
      let slot = Math.min(best.length, limit - 1);
      if (best.length < limit) best.push(position);
      while (slot > 0 && this.ranksAbove(position, best[slot - 1]!)) {
        best[slot] = best[slot - 1]!;
        slot--;
      }
      best[slot] = position;
    }
    const candidates: Candidate[] = [];
    for (const position of best) {
      const hs6 = this.codes[position]!;
      const found: Candidate['evidence'] = (termEvidence.get(position) ?? []).map((word) => ({ word, via: 'trade term' }));
      for (let index = 0; index < written.length && index < 32; index++) {
        const word = written[index]!;
        if (evidence[position]! & (1 << index) && !found.some((item) => item.word === word)) found.push({ word, via: 'nomenclature text' });
      }
      candidates.push({ hs6, description: this.nomenclature.get(hs6)!.description, score: Math.round(score[position]! * 100) / 100, evidence: found });
    }
    for (const position of positions) {
      score[position] = 0;
      ownMatched[position] = 0;
      evidence[position] = 0;
      touched[position] = 0;
    }
    return candidates;
  }
}
