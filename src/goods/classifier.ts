import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { foldMixedScript } from '../shared/text.js';
import type { Nomenclature } from './nomenclature.js';

/**
 * A curated trade term outweighs a few rare nomenclature words: "microcontrollers in reels" is about
 * microcontrollers, not fishing reels.
 */
const TRADE_TERM_POINTS = 12;

export interface Candidate {
  hs6: string;
  description: string;
  score: number;
  /** The words of the description that led here, and where each came from. */
  evidence: { word: string; via: 'trade term' | 'nomenclature text' }[];
}

interface VocabularyEntry {
  codes: string[];
  terms: string[];
}

const STOP_WORDS = new Set(
  'a an and or of for the with without in on to by other than not whether nes n.e.c. nec parts part thereof including its their from as at be is are this that other, и или для из на в с без по'.split(/\s+/),
);

/** Lower-cased words of a description, letters and digits kept (any script), light English plural folding. */
export const descriptionWords = (text: string): string[] =>
  foldMixedScript(text)
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}-]+/u)
    .map((word) => word.replace(/^-+|-+$/g, ''))
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map((word) => (word.length > 4 && /[a-z]s$/.test(word) && !word.endsWith('ss') ? word.slice(0, -1) : word));

/**
 * Suggests HS-6 subheadings for a free-text description: a curated multilingual vocabulary of trade
 * terms gives strong evidence; the nomenclature's own texts (subheading and heading) give the rest,
 * weighted by how rare each word is across the nomenclature.
 */
export class GoodsClassifier {
  /** Trade-term phrases by their first word, so a description is matched only against phrases it could contain. */
  private readonly phrasesByFirstWord = new Map<string, { text: string; codes: string[]; term: string; length: number }[]>();
  private readonly postings = new Map<string, Map<string, number>>();
  private readonly idf = new Map<string, number>();

  constructor(private readonly nomenclature: Nomenclature, vocabularyFile: string) {
    const vocabulary = parseYaml(readFileSync(vocabularyFile, 'utf8')) as VocabularyEntry[];
    const seen = new Set<string>();
    for (const entry of vocabulary) {
      for (const term of entry.terms) {
        const words = descriptionWords(String(term));
        const key = `${words.join(' ')}|${entry.codes.join(',')}`;
        if (words.length === 0 || seen.has(key)) continue;
        seen.add(key);
        const first = words[0]!;
        const phrases = this.phrasesByFirstWord.get(first) ?? [];
        phrases.push({ text: ` ${words.join(' ')} `, codes: entry.codes, term: String(term), length: words.length });
        this.phrasesByFirstWord.set(first, phrases);
      }
    }
    const subheadings = [...nomenclature.entries()].filter((entry) => entry.level === 6);
    for (const entry of subheadings) {
      const heading = entry.parent ? nomenclature.get(entry.parent) : undefined;
      const words = new Set([...descriptionWords(entry.description), ...descriptionWords(heading?.description ?? '')]);
      for (const word of words) {
        let posting = this.postings.get(word);
        if (!posting) this.postings.set(word, (posting = new Map()));
        posting.set(entry.code, 1);
      }
    }
    for (const [word, posting] of this.postings) this.idf.set(word, Math.log(subheadings.length / posting.size));
  }

  private tradeTermsIn(words: readonly string[]) {
    const joined = ` ${words.join(' ')} `;
    return [...new Set(words)].flatMap((word) => (this.phrasesByFirstWord.get(word) ?? []).filter((phrase) => joined.includes(phrase.text)));
  }

  /** Whether the description names any curated trade term: without one no misdeclaration is suggested. */
  mentionsTradeTerm(description: string): boolean {
    return this.tradeTermsIn(descriptionWords(description)).length > 0;
  }

  classify(description: string, limit = 5): Candidate[] {
    const words = descriptionWords(description);
    const scores = new Map<string, Candidate>();
    const add = (hs6: string, points: number, word: string, via: Candidate['evidence'][number]['via']) => {
      const entry = this.nomenclature.get(hs6);
      if (!entry || entry.level !== 6) return;
      const candidate = scores.get(hs6) ?? { hs6, description: entry.description, score: 0, evidence: [] };
      candidate.score += points;
      if (!candidate.evidence.some((item) => item.word === word)) candidate.evidence.push({ word, via });
      scores.set(hs6, candidate);
    };
    for (const phrase of this.tradeTermsIn(words)) {
      for (const code of phrase.codes) add(code, TRADE_TERM_POINTS + 3 * (phrase.length - 1), phrase.term, 'trade term');
    }
    for (const word of new Set(words)) {
      if (/^\d+$/.test(word)) continue;
      const posting = this.postings.get(word);
      if (!posting || posting.size > 400) continue;
      const weight = this.idf.get(word) ?? 0;
      for (const code of posting.keys()) add(code, weight, word, 'nomenclature text');
    }
    return [...scores.values()]
      .sort((a, b) => b.score - a.score || a.hs6.localeCompare(b.hs6))
      .slice(0, limit)
      .map((candidate) => ({ ...candidate, score: Math.round(candidate.score * 100) / 100 }));
  }
}
