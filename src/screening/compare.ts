import { distance } from 'fastest-levenshtein';
import type { NameToken, ParsedName } from './name.js';
import type { ScoringConfig } from './scoring-config.js';
import { isAbjad } from './transliterate.js';

export type MatchMethod =
  | 'exact'
  | 'transliteration'
  | 'phonetic'
  | 'synonym'
  | 'consonants'
  | 'initial'
  | 'edit distance';

export interface TokenMatch {
  score: number;
  method: MatchMethod;
}

export interface TokenPair extends TokenMatch {
  query: string;
  candidate: string;
}

export interface Adjustment {
  /** What raised or lowered the score, in words a reviewer reads. */
  reason: string;
  /** Change to the score (or, for factors, the change it made). */
  delta: number;
}

export interface NameComparison {
  score: number;
  pairs: TokenPair[];
  unmatchedQuery: string[];
  unmatchedCandidate: string[];
  adjustments: Adjustment[];
}

const ratio = (a: string, b: string): number => {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 0 : 1 - distance(a, b) / longest;
};

const withoutKeyVowels = (key: string): string => key.replace(/[aui]/g, '');

/**
 * Edit similarity of two sound keys where a vowel counts half: transliteration schemes and languages
 * disagree most on vowels (Maclean/Маклин, Seewald/Зевальд, Hagney/Хэгни), while a different consonant
 * usually means a different name. The distance is the mean of the distance between the keys and the
 * distance between their consonants (vowels are a/u/i in a key): a vowel-only difference counts ½, a
 * consonant difference 1 — two fast plain distances instead of a weighted one.
 */
export const soundKeyRatio = (a: string, b: string, floor = 0): number => {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 0;
  const full = distance(a, b);
  // The consonant distance is at least 0, so this is the best the pair can reach: below the floor, stop.
  if (1 - full / (2 * longest) < floor) return 1 - full / longest;
  return 1 - (full + distance(withoutKeyVowels(a), withoutKeyVowels(b))) / (2 * longest);
};

const NO_MATCH: TokenMatch = { score: 0, method: 'exact' };

/** How alike two tokens are, and by which route they met. */
export const compareTokens = (a: NameToken, b: NameToken, config: ScoringConfig, vowelTolerant = true): TokenMatch => {
  const t = config.tokenScore;
  if (a.light === b.light) return { score: t.exact, method: a.script === b.script ? 'exact' : 'transliteration' };
  if (a.kind === 'initial' || b.kind === 'initial') {
    const [initial, word] = a.kind === 'initial' ? [a, b] : [b, a];
    return word.kind !== 'number' && word.light.startsWith(initial.light) ? { score: t.initial, method: 'initial' } : NO_MATCH;
  }
  if (a.kind === 'number' || b.kind === 'number') return NO_MATCH;
  // One Han or Hangul syllable romanises to a short, homophone-rich string: only an exact reading counts.
  if (a.script === 'cjk' || b.script === 'cjk') return NO_MATCH;
  for (const key of a.keys) {
    if (b.keys.includes(key)) return { score: t.phonetic, method: a.script === b.script ? 'phonetic' : 'transliteration' };
  }
  if (a.symbols.length > 0 && b.symbols.some((s) => a.symbols.includes(s))) return { score: t.synonym, method: 'synonym' };
  if (isAbjad(a.script) !== isAbjad(b.script)) {
    if (a.outline.length >= 1 && a.outline === b.outline) return { score: t.consonants, method: 'consonants' };
    const r = ratio(a.outline, b.outline) * t.consonants;
    return a.outline.length >= 3 && r >= config.minTokenSimilarity ? { score: r, method: 'consonants' } : NO_MATCH;
  }
  if (Math.min(a.light.length, b.light.length) < t.minEditLength) return NO_MATCH;
  let best = ratio(a.light, b.light);
  for (const ka of a.keys.slice(0, 2)) {
    for (const kb of b.keys.slice(0, 2)) best = Math.max(best, (vowelTolerant ? soundKeyRatio(ka, kb, config.minTokenSimilarity / t.skeletonEditFactor) : ratio(ka, kb)) * t.skeletonEditFactor);
  }
  return best >= config.minTokenSimilarity ? { score: best, method: 'edit distance' } : NO_MATCH;
};

const lengthSpan = (token: NameToken): [number, number] => {
  let shortest = token.light.length;
  let longest = shortest;
  for (const key of token.keys) {
    if (key.length < shortest) shortest = key.length;
    if (key.length > longest) longest = key.length;
  }
  return [shortest, longest];
};

/**
 * Whether two tokens' forms are close enough in length for any route except synonyms and consonant
 * outlines to reach `minRatio` (equal forms have equal lengths; an edit ratio is at most shorter/longer).
 * Joined runs are long, so most run-against-token pairs are settled here without comparing.
 */
const lengthsCanMeet = (a: NameToken, b: NameToken, minRatio: number): boolean => {
  if (a.symbols.length > 0 || b.symbols.length > 0 || isAbjad(a.script) !== isAbjad(b.script)) return true;
  const [aShort, aLong] = lengthSpan(a);
  const [bShort, bLong] = lengthSpan(b);
  return Math.min(aLong, bLong) >= Math.max(aShort, bShort) * minRatio;
};

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);

const isStrong = (token: NameToken): boolean => token.kind === 'name' || token.kind === 'number' || token.kind === 'patronymic';

/**
 * Scores how well a query name matches a list name, in [0, 1]. Tokens are aligned best-first (an
 * order-free assignment, so "Putin Vladimir" still meets "Vladimir Putin"), then
 * score = Σ sim·(wq + wc) over matched pairs
 *       / (Σ (wq + wc) over matched pairs + Σ share·w over unmatched tokens of either side).
 * Unmatched tokens count only a share of their weight (a missing patronymic hardly at all; a list's
 * extra middle name half): a query rarely spells every name a list carries, while an unmatched query
 * name is real evidence against the match.
 */
export const compareNames = (query: ParsedName, candidate: ParsedName, config: ScoringConfig): NameComparison => {
  const q = query.tokens;
  const c = candidate.tokens;
  const adjustments: Adjustment[] = [];
  if (q.length === 0 || c.length === 0) {
    return { score: 0, pairs: [], unmatchedQuery: q.map((t) => t.text), unmatchedCandidate: c.map((t) => t.text), adjustments };
  }
  interface Option { qs: readonly number[]; cs: readonly number[]; qText: string; cText: string; weight: number; match: TokenMatch }
  const options: Option[] = [];
  const add = (qs: readonly number[], cs: readonly number[], a: NameToken, b: NameToken, match: TokenMatch): void => {
    if (match.score > 0) options.push({ qs, cs, qText: a.text, cText: b.text, weight: a.weight + b.weight, match });
  };
  for (let i = 0; i < q.length; i++) {
    for (let j = 0; j < c.length; j++) add([i], [j], q[i] as NameToken, c[j] as NameToken, compareTokens(q[i] as NameToken, c[j] as NameToken, config));
  }
  // A word written as two or three on the other side: close agreement only (joined strings are long,
  // so an edit-distance ratio alone would be lenient).
  const joined = (a: NameToken, b: NameToken): TokenMatch => {
    if (!lengthsCanMeet(a, b, config.tokenScore.joinedMinEdit)) return NO_MATCH;
    // Joined words are long: plain edit similarity, without the vowel allowance single words get.
    const m = compareTokens(a, b, config, false);
    return m.method === 'initial' || (m.method === 'edit distance' && m.score < config.tokenScore.joinedMinEdit) ? NO_MATCH : m;
  };
  for (const run of candidate.runs) {
    const covered = range(run.from, run.to);
    for (let i = 0; i < q.length; i++) add([i], covered, q[i] as NameToken, run.token, joined(q[i] as NameToken, run.token));
  }
  for (const run of query.runs) {
    const covered = range(run.from, run.to);
    for (let j = 0; j < c.length; j++) add(covered, [j], run.token, c[j] as NameToken, joined(run.token, c[j] as NameToken));
  }
  // Greedy by similarity, then by the weight covered: optimal enough for names of a handful of tokens.
  options.sort((x, y) => y.match.score - x.match.score || y.weight - x.weight);
  const usedQ = new Set<number>();
  const usedC = new Set<number>();
  const chosen: Option[] = [];
  for (const option of options) {
    if (option.qs.some((i) => usedQ.has(i)) || option.cs.some((j) => usedC.has(j))) continue;
    for (const i of option.qs) usedQ.add(i);
    for (const j of option.cs) usedC.add(j);
    chosen.push(option);
  }
  let matched = 0;
  let total = 0;
  for (const { weight, match } of chosen) {
    matched += match.score * weight;
    total += weight;
  }
  for (let i = 0; i < q.length; i++) {
    if (usedQ.has(i)) continue;
    const token = q[i] as NameToken;
    total += token.weight * config.unmatchedQueryShare[token.kind];
  }
  for (let j = 0; j < c.length; j++) {
    if (usedC.has(j)) continue;
    const token = c[j] as NameToken;
    total += token.weight * config.unmatchedCandidateShare[token.kind];
  }
  let score = total > 0 ? matched / total : 0;

  if (!chosen.some(({ qs, cs }) => qs.some((i) => isStrong(q[i] as NameToken)) && cs.some((j) => isStrong(c[j] as NameToken)))) {
    if (score > config.weakOnlyCap) {
      adjustments.push({ reason: 'only particles, initials or company terms matched', delta: config.weakOnlyCap - score });
      score = config.weakOnlyCap;
    }
  }
  const inQueryOrder = [...chosen].sort((x, y) => (x.qs[0] as number) - (y.qs[0] as number)).map((p) => p.cs[0] as number);
  if (inQueryOrder.some((j, k) => k > 0 && j < (inQueryOrder[k - 1] as number))) {
    const before = score;
    score *= config.orderPenalty;
    adjustments.push({ reason: 'name parts in a different order (e.g. surname first)', delta: score - before });
  }
  const qForms = new Set(query.legalForms.map((f) => f.generic));
  const cForms = new Set(candidate.legalForms.map((f) => f.generic));
  if (qForms.size > 0 && cForms.size > 0 && ![...qForms].some((f) => cForms.has(f))) {
    score += config.legalFormMismatch;
    adjustments.push({
      reason: `legal forms differ (${query.legalForms.map((f) => f.display).join('/')} vs ${candidate.legalForms.map((f) => f.display).join('/')})`,
      delta: config.legalFormMismatch,
    });
  }
  score = Math.max(0, Math.min(1, score));
  return {
    score,
    pairs: [...chosen]
      .sort((x, y) => (x.qs[0] as number) - (y.qs[0] as number))
      .map(({ qText, cText, match }) => ({ query: qText, candidate: cText, ...match })),
    unmatchedQuery: q.filter((_, i) => !usedQ.has(i)).map((t) => t.text),
    unmatchedCandidate: c.filter((_, j) => !usedC.has(j)).map((t) => t.text),
    adjustments,
  };
};
