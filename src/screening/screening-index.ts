import { type Adjustment, compareNames, type NameComparison, type TokenPair } from './compare.js';
import { type EntityName, type NameKind, normaliseIdentifier, type PartyQuery, type SanctionEntity } from './entity.js';
import { weighEvidence } from './evidence.js';
import { type NameKindHint, type NameToken, type ParsedName, parseName } from './name.js';
import type { NameVocabulary } from './name-vocabulary.js';
import type { ScoringConfig } from './scoring-config.js';
import { isAbjad } from './transliterate.js';

export interface Explanation {
  /** One readable paragraph: what matched how, and what moved the score. */
  summary: string;
  matchedName: string;
  nameKind: NameKind;
  nameScore: number;
  tokens: TokenPair[];
  unmatchedQuery: string[];
  unmatchedCandidate: string[];
  adjustments: Adjustment[];
}

export interface ScreeningMatch {
  entityId: string;
  source: string;
  schema: SanctionEntity['schema'];
  name: string;
  score: number;
  explanation: Explanation;
}

export interface SearchOptions {
  threshold?: number;
  limit?: number;
}

export interface ScreeningIndex {
  readonly entityCount: number;
  readonly nameCount: number;
  search(party: PartyQuery, options?: SearchOptions): ScreeningMatch[];
  entity(id: string): SanctionEntity | undefined;
}

interface IndexedName {
  entity: number;
  kind: NameKind;
  parsed: ParsedName;
}

const hintFor = (schema: PartyQuery['schema']): NameKindHint =>
  schema === 'Person' ? 'person' : schema === 'Organization' ? 'organization' : 'any';

/**
 * Names as lists write them often hold two names: "ELEM GROUP (ЭЛЕМ ГРУПП)", "JSC AZRP (Almatyevsk…)".
 * Each part is indexed as a name of its own besides the whole.
 */
export const expandName = (name: EntityName): EntityName[] => {
  const out = [name];
  const inner = [...name.name.matchAll(/\(([^()]{2,})\)/g)].map((m) => (m[1] as string).trim());
  if (inner.length > 0) {
    const outer = name.name.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
    for (const part of [outer, ...inner]) {
      if (part.replace(/[^\p{L}\p{N}]/gu, '').length >= 3) out.push({ name: part, kind: name.kind });
    }
  }
  return out;
};

/** Deleting one character from a key: two keys within one edit share a deletion (SymSpell). */
const deletions = (key: string): string[] => {
  if (key.length < 4) return [];
  const out: string[] = [];
  for (let i = 0; i < key.length; i++) out.push(key.slice(0, i) + key.slice(i + 1));
  return out;
};

const lookupKeys = (token: NameToken): string[] => {
  const keys = new Set<string>();
  for (const key of token.keys) {
    keys.add(key);
    for (const d of deletions(key)) keys.add(d);
  }
  if (token.outline.length >= 2) keys.add(`o:${token.outline}`);
  return [...keys];
};

const indexable = (token: NameToken): boolean => token.kind === 'name' || token.kind === 'number' || token.kind === 'patronymic';

const describe = (comparison: NameComparison, matchedName: string, nameKind: NameKind, evidence: Adjustment[], score: number): string => {
  const parts = comparison.pairs.map(
    (p) => `"${p.query}"→"${p.candidate}" ${p.method}${p.score < 1 ? ` ${p.score.toFixed(2)}` : ''}`,
  );
  const lines = [`matched ${nameKind} name "${matchedName}" (name score ${comparison.score.toFixed(2)}): ${parts.join('; ') || 'no tokens'}`];
  if (comparison.unmatchedQuery.length > 0) lines.push(`not in the list name: ${comparison.unmatchedQuery.join(', ')}`);
  if (comparison.unmatchedCandidate.length > 0) lines.push(`only in the list name: ${comparison.unmatchedCandidate.join(', ')}`);
  for (const a of [...comparison.adjustments, ...evidence]) {
    lines.push(`${a.reason}${a.delta !== 0 ? ` (${a.delta > 0 ? '+' : ''}${a.delta.toFixed(2)})` : ''}`);
  }
  lines.push(`score ${score.toFixed(2)}`);
  return lines.join('; ');
};

/**
 * Builds the in-memory screening index: every name of every entity is parsed once, and every sound-class
 * key (plus its one-deletion neighbours) points at the names holding it, so a query touches only names
 * sharing a key with it instead of scanning the list.
 */
export const buildScreeningIndex = (
  entities: readonly SanctionEntity[],
  vocabulary: NameVocabulary,
  config: ScoringConfig,
): ScreeningIndex => {
  const names: IndexedName[] = [];
  const postings = new Map<string, number[]>();
  const byId = new Map<string, number>();
  const namesOf: number[][] = [];
  // An identifier on both sides is decisive whatever the name says, so identifiers are indexed too.
  const byIdentifier = new Map<string, number[]>();
  entities.forEach((entity, entityIndex) => {
    byId.set(entity.id, entityIndex);
    namesOf.push([]);
    for (const identifier of entity.identifiers) {
      const value = normaliseIdentifier(identifier.value);
      if (value.length < 5) continue;
      const list = byIdentifier.get(value) ?? [];
      if (!list.includes(entityIndex)) list.push(entityIndex);
      byIdentifier.set(value, list);
    }
    const hint: NameKindHint = entity.schema === 'Person' ? 'person' : entity.schema === 'Organization' ? 'organization' : 'any';
    const seen = new Set<string>();
    for (const name of entity.names.flatMap(expandName)) {
      const parsed = parseName(name.name, hint, vocabulary, config);
      const signature = parsed.tokens.map((t) => t.light).join(' ');
      if (parsed.tokens.length === 0 || seen.has(signature)) continue;
      seen.add(signature);
      const nameIndex = names.push({ entity: entityIndex, kind: name.kind, parsed }) - 1;
      (namesOf[entityIndex] as number[]).push(nameIndex);
      const keys = new Set<string>();
      for (const token of parsed.tokens) if (indexable(token)) for (const key of lookupKeys(token)) keys.add(key);
      // Joined runs are indexed by their exact keys only, so "Abdulrahman" finds "Abd al-Rahman".
      for (const run of parsed.runs) for (const key of run.token.keys) keys.add(key);
      for (const key of keys) {
        const list = postings.get(key);
        if (list) list.push(nameIndex);
        else postings.set(key, [nameIndex]);
      }
    }
  });

  const hits = new Float64Array(names.length);

  const candidatesFor = (query: ParsedName): number[] => {
    const touched: number[] = [];
    // Given names and surnames find candidates; patronymics and terms only when nothing else is there.
    const nameTokens = query.tokens.filter((t) => t.kind === 'name' || t.kind === 'number');
    const strong = query.tokens.filter(indexable);
    const tokens = nameTokens.length > 0 ? nameTokens : strong.length > 0 ? strong : query.tokens;
    const lookups: { token: NameToken; keys: string[] }[] = tokens.map((token) => ({ token, keys: lookupKeys(token) }));
    for (const run of query.runs) lookups.push({ token: run.token, keys: run.token.keys });
    for (const { token, keys } of lookups) {
      const lists = keys
        .filter((key) => !key.startsWith('o:') || isAbjad(token.script))
        .map((key) => postings.get(key))
        .filter((l): l is number[] => l !== undefined);
      const rare = lists.filter((l) => l.length <= config.index.commonKeyPostings);
      const used = rare.length > 0 && rare.length < lists.length ? rare : lists;
      // A name is counted once per query token, however many of the token's keys it shares.
      const seen = new Set<number>();
      for (const list of used) {
        for (const n of list) {
          if (seen.has(n)) continue;
          seen.add(n);
          if (hits[n] === 0) touched.push(n);
          hits[n] = (hits[n] as number) + token.weight;
        }
      }
    }
    let most = 0;
    for (const n of touched) most = Math.max(most, hits[n] as number);
    // Names sharing under half the best overlap cannot outscore the names that share it all.
    const floor = most * config.index.minOverlapShare;
    const kept = touched.filter((n) => (hits[n] as number) >= floor);
    kept.sort((a, b) => (hits[b] as number) - (hits[a] as number));
    const chosen = kept.slice(0, config.index.maxCandidates);
    for (const n of touched) hits[n] = 0;
    return chosen;
  };

  return {
    entityCount: entities.length,
    nameCount: names.length,
    entity: (id) => {
      const index = byId.get(id);
      return index === undefined ? undefined : entities[index];
    },
    search(party, options = {}) {
      const threshold = options.threshold ?? config.defaultThreshold;
      const limit = options.limit ?? 10;
      const query = parseName(party.name, hintFor(party.schema), vocabulary, config);
      if (query.tokens.length === 0) return [];
      const best = new Map<number, { comparison: NameComparison; name: IndexedName; score: number }>();
      const candidates = candidatesFor(query);
      for (const identifier of party.identifiers ?? []) {
        for (const entityIndex of byIdentifier.get(normaliseIdentifier(identifier.value)) ?? []) {
          candidates.push(...(namesOf[entityIndex] as number[]));
        }
      }
      for (const n of candidates) {
        const name = names[n] as IndexedName;
        const comparison = compareNames(query, name.parsed, config);
        const score = name.kind === 'weak' ? comparison.score * config.weakAliasFactor : comparison.score;
        const current = best.get(name.entity);
        if (!current || score > current.score) best.set(name.entity, { comparison, name, score });
      }
      const matches: ScreeningMatch[] = [];
      for (const [entityIndex, { comparison, name, score: nameScore }] of best) {
        const entity = entities[entityIndex] as SanctionEntity;
        const evidence = weighEvidence(party, entity, config);
        const adjustments = [...evidence.adjustments];
        if (name.kind === 'weak') adjustments.unshift({ reason: 'weak alias', delta: nameScore - comparison.score });
        let score = nameScore + evidence.adjustments.reduce((sum, a) => sum + a.delta, 0);
        if (evidence.floor !== null) score = Math.max(score, evidence.floor);
        score = Math.round(Math.max(0, Math.min(1, score)) * 1000) / 1000;
        if (score < threshold) continue;
        matches.push({
          entityId: entity.id,
          source: entity.source,
          schema: entity.schema,
          name: name.parsed.text,
          score,
          explanation: {
            summary: describe(comparison, name.parsed.text, name.kind, adjustments, score),
            matchedName: name.parsed.text,
            nameKind: name.kind,
            nameScore: Math.round(comparison.score * 1000) / 1000,
            tokens: comparison.pairs.map((p) => ({ ...p, score: Math.round(p.score * 1000) / 1000 })),
            unmatchedQuery: comparison.unmatchedQuery,
            unmatchedCandidate: comparison.unmatchedCandidate,
            adjustments,
          },
        });
      }
      matches.sort((a, b) => b.score - a.score || a.entityId.localeCompare(b.entityId));
      return matches.slice(0, limit);
    },
  };
};
