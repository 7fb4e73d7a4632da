import type { Declaration, GoodsItem } from '../movements/declaration.js';
import type { Candidate, GoodsClassifier } from './classifier.js';
import type { ControlEntry } from './control-list.js';

export interface ActiveList {
  listId: string;
  name: string;
  version: number;
  entries: readonly ControlEntry[];
}

/** Where a movement goes: every country it touches or heads toward, and the day it is checked for. */
export interface RouteContext {
  date: string;
  countries: string[];
}

export interface ListHit {
  list: string;
  listId: string;
  version: number;
  entry: string;
  tier: string;
  reason: string;
  legalReference: string;
  /** Countries of this route the restriction is about; empty when it applies to every route. */
  prohibitedFor: string[];
}

/**
 * A hit as a stored check and an alert keep it: the list version and entry it came from. The list's name
 * and the entry's reason and legal reference are that version's (versions never change), so they are read
 * from it when shown instead of being written again with every item that hits the entry.
 */
export type StoredListHit = Omit<ListHit, 'list' | 'reason' | 'legalReference'>;

export const storedHit = (hit: ListHit): StoredListHit => ({ listId: hit.listId, version: hit.version, entry: hit.entry, tier: hit.tier, prohibitedFor: hit.prohibitedFor });

export interface GoodsHint {
  kind: 'misdeclared' | 'value_anomaly' | 'mass_inconsistent' | 'zero_value';
  message: string;
  suggestedCodes?: { hs6: string; description: string; words: string[]; controlled: string | null; prohibitedFor: string[] }[];
  details?: Record<string, unknown>;
}

export interface ItemCheck {
  itemIndex: number;
  hsCode: string;
  hs6: string;
  /** Control lists the declared code is on, and whether this route is prohibited. */
  hits: ListHit[];
  hints: GoodsHint[];
}

export type StoredItemCheck = Omit<ItemCheck, 'hits'> & { hits: StoredListHit[] };

/**
 * Unit values (value per kg) of stored items of one HS-6, on a log scale, because prices spread by
 * factors, not by amounts: median and median absolute deviation of ln(value/kg).
 */
export interface UnitValueStats {
  count: number;
  median: number;
  mad: number;
}

/** Below this many comparable items a unit value is not judged. */
export const MIN_COMPARABLES = 8;
/** Robust z-score (MAD × 1.4826 as σ) beyond which a unit value is flagged. */
export const VALUE_ANOMALY_Z = 4;
/** σ is never taken below this (ln units): a flag always means at least a factor of e^(4×0.35) ≈ 4. */
export const MIN_LOG_SIGMA = 0.35;

const isActive = (entry: ControlEntry, date: string) => (!entry.effectiveFrom || entry.effectiveFrom <= date) && (!entry.effectiveTo || date <= entry.effectiveTo);

/**
 * Each list version's entries by code, and the lengths its codes come in, longest first: a code looks up
 * its own prefixes of those lengths instead of testing every entry. Built once per list version.
 */
const entryIndexes = new WeakMap<readonly ControlEntry[], { codeLengths: number[]; byCode: Map<string, ControlEntry[]> }>();

const entryIndex = (entries: readonly ControlEntry[]) => {
  let index = entryIndexes.get(entries);
  if (!index) {
    const byCode = new Map<string, ControlEntry[]>();
    for (const entry of entries) byCode.set(entry.code, [...(byCode.get(entry.code) ?? []), entry]);
    index = { codeLengths: [...new Set(entries.map((entry) => entry.code.length))].sort((a, b) => b - a), byCode };
    entryIndexes.set(entries, index);
  }
  return index;
};

/**
 * The entries a code falls under, one per list: where a list has a prefix and a longer code that both
 * cover it (8542 and 854231), the most specific entry speaks for that list.
 */
export const listHits = (code: string, lists: readonly ActiveList[], route: RouteContext): ListHit[] =>
  lists.flatMap((list) => {
    const { codeLengths, byCode } = entryIndex(list.entries);
    for (const length of codeLengths) {
      const entry = length <= code.length ? byCode.get(code.slice(0, length))?.find((candidate) => isActive(candidate, route.date)) : undefined;
      if (entry) {
        return [
          {
            list: list.name,
            listId: list.listId,
            version: list.version,
            entry: entry.code,
            tier: entry.tier,
            reason: entry.reason,
            legalReference: entry.legalReference,
            prohibitedFor: entry.appliesTo.length === 0 ? route.countries : entry.appliesTo.filter((country) => route.countries.includes(country)),
          },
        ];
      }
    }
    return [];
  });

/**
 * The hint that matters: the description reads like a controlled item, the declared code is not on that
 * list entry. A suggestion needs trade-term evidence (not only shared nomenclature words) and must differ
 * in heading, so a declarant choosing between sibling subheadings is not flagged.
 */
const misdeclaration = (item: GoodsItem, hs6: string, candidates: Candidate[], lists: readonly ActiveList[], route: RouteContext, ownHits: ListHit[]): GoodsHint | null => {
  // A code already on a list is already flagged for what it is: a CNC lathe declared as a lathe is not hidden
  // by having other CNC machines under other controlled headings.
  if (ownHits.length > 0) return null;
  const strong = candidates.filter((candidate) => candidate.evidence.some((evidence) => evidence.via === 'trade term') && candidate.hs6.slice(0, 4) !== hs6.slice(0, 4));
  const controlled = strong
    .map((candidate) => ({ candidate, hits: listHits(candidate.hs6, lists, route).filter((hit) => !ownHits.some((own) => own.listId === hit.listId && own.entry === hit.entry)) }))
    .filter(({ hits }) => hits.length > 0);
  if (controlled.length === 0) return null;
  const best = controlled[0]!;
  const firstHit = best.hits[0]!;
  return {
    kind: 'misdeclared',
    message: `"${item.description}" reads like ${best.candidate.hs6} (${best.candidate.description.slice(0, 80)}) — ${firstHit.list} ${firstHit.tier}${
      firstHit.prohibitedFor.length > 0 ? `, prohibited for ${firstHit.prohibitedFor.join(', ')} on this route` : ''
    } — but is declared under ${hs6}`,
    suggestedCodes: controlled.slice(0, 3).map(({ candidate, hits }) => ({
      hs6: candidate.hs6,
      description: candidate.description,
      words: candidate.evidence.map((evidence) => evidence.word),
      controlled: `${hits[0]!.list} ${hits[0]!.tier}`,
      prohibitedFor: hits[0]!.prohibitedFor,
    })),
  };
};

/** What a check asks of the classifier; the drain answers it from a memo of the batch's descriptions. */
export type DescriptionClassifier = Pick<GoodsClassifier, 'mentionsTradeTerm' | 'classify'>;

export const checkItem = (
  item: GoodsItem,
  itemIndex: number,
  context: { lists: readonly ActiveList[]; route: RouteContext; classifier: DescriptionClassifier; stats?: UnitValueStats | undefined },
): ItemCheck => {
  const code = item.hsCode.replace(/[\s.]/g, '');
  const hs6 = code.slice(0, 6);
  const hits = listHits(code, context.lists, context.route);
  const hints: GoodsHint[] = [];
  const candidates = context.classifier.mentionsTradeTerm(item.description) ? context.classifier.classify(item.description, 5) : [];
  const hint = misdeclaration(item, hs6, candidates, context.lists, context.route, hits);
  if (hint) hints.push(hint);
  if (item.netMass !== undefined && item.netMass > item.grossMass) {
    hints.push({ kind: 'mass_inconsistent', message: `net mass ${item.netMass} kg is above gross mass ${item.grossMass} kg`, details: { netMass: item.netMass, grossMass: item.grossMass } });
  }
  const value = item.value?.amount;
  if (value !== undefined && value <= 0) hints.push({ kind: 'zero_value', message: 'declared value is zero', details: { value } });
  const mass = item.netMass ?? item.grossMass;
  if (value !== undefined && value > 0 && mass > 0 && context.stats && context.stats.count >= MIN_COMPARABLES) {
    const unitValue = value / mass;
    const sigma = Math.max(context.stats.mad * 1.4826, MIN_LOG_SIGMA);
    const z = (Math.log(unitValue) - context.stats.median) / sigma;
    if (Math.abs(z) >= VALUE_ANOMALY_Z) {
      const typical = Math.exp(context.stats.median);
      hints.push({
        kind: 'value_anomaly',
        message: `${unitValue.toFixed(2)} ${item.value?.currency ?? ''}/kg is ${(z > 0 ? unitValue / typical : typical / unitValue).toFixed(1)}× ${z > 0 ? 'above' : 'below'} the typical ${typical.toFixed(2)}/kg of ${context.stats.count} stored items under ${hs6}`,
        details: { unitValue, typicalUnitValue: typical, comparables: context.stats.count, robustZ: Math.round(z * 10) / 10 },
      });
    }
  }
  return { itemIndex, hsCode: code, hs6, hits, hints };
};

export const robustStats = (values: readonly number[]): UnitValueStats => {
  // Typed arrays sort numerically without calling a comparator: the drain recomputes the statistics of a
  // window of hundreds of values for every code every few steps.
  const sorted = Float64Array.from(values).sort();
  const count = sorted.length;
  const median = count === 0 ? 0 : count % 2 ? sorted[(count - 1) / 2]! : (sorted[count / 2 - 1]! + sorted[count / 2]!) / 2;
  return { count, median, mad: count === 0 ? 0 : medianDistanceFrom(sorted, median) };
};

/**
 * The median of |value − median| over sorted values. Distances grow outward from the middle on both
 * sides, so merging the two runs up to the middle position finds it without sorting the distances.
 */
const medianDistanceFrom = (sorted: Float64Array, median: number): number => {
  let below = Math.floor((sorted.length - 1) / 2);
  let above = below + 1;
  const nextDistance = () =>
    above >= sorted.length || (below >= 0 && median - sorted[below]! <= sorted[above]! - median) ? median - sorted[below--]! : sorted[above++]! - median;
  for (let taken = 0; taken < Math.floor((sorted.length - 1) / 2); taken++) nextDistance();
  const lower = nextDistance();
  return sorted.length % 2 ? lower : (lower + nextDistance()) / 2;
};

/** Share of the consignment's gross mass the items' gross masses may miss it by (rounding, pallets). */
export const CONSIGNMENT_MASS_TOLERANCE = 0.02;

/**
 * The items' gross masses against the consignment's declared gross mass: a gap beyond the tolerance (and
 * at least 1 kg) means goods on the lorry that no item declares, or items that are not on it.
 */
export const consignmentMassHint = (declaration: Pick<Declaration, 'grossMass' | 'goodsItems'>): GoodsHint | null => {
  if (declaration.grossMass === undefined) return null;
  const items = declaration.goodsItems.reduce((sum, item) => sum + item.grossMass, 0);
  const gap = declaration.grossMass - items;
  if (Math.abs(gap) <= Math.max(1, declaration.grossMass * CONSIGNMENT_MASS_TOLERANCE)) return null;
  return {
    kind: 'mass_inconsistent',
    message: `the items' gross masses add up to ${items.toFixed(1)} kg but the consignment is declared at ${declaration.grossMass} kg (${gap > 0 ? 'undeclared' : 'excess'} ${Math.abs(gap).toFixed(1)} kg)`,
    details: { consignmentGrossMass: declaration.grossMass, itemsGrossMass: items, gap },
  };
};
