/**
 * Quality figures on the dev sets (run: node --import tsx src/screening/evaluate-dev.ts [referenceDir]).
 * Prints precision, recall and false-positive rate at the default threshold for: Wikidata EN–RU name
 * pairs, Watchman's cross-script pairs, yente's non-sanctioned negatives screened against the lists, and
 * queries re-spelt from the lists' own Cyrillic names under six transliteration schemes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../config.js';
import { compareNames } from './compare.js';
import type { SanctionEntity } from './entity.js';
import { evaluationSchemes, transliterateWith } from './evaluation-schemes.js';
import { loadListFile } from './list-files.js';
import { parseName } from './name.js';
import { loadVocabulary } from './name-vocabulary.js';
import { buildScreeningIndex } from './screening-index.js';
import { scoringConfig } from './scoring-config.js';

const referenceDir = process.argv[2] ?? loadConfig().referenceDir;
const sanctions = (p: string) => path.join(referenceDir, 'sanctions', p);
const vocabulary = loadVocabulary(referenceDir);
const threshold = scoringConfig.defaultThreshold;
const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const compare = (a: string, b: string) =>
  compareNames(parseName(a, 'any', vocabulary, scoringConfig), parseName(b, 'any', vocabulary, scoringConfig), scoringConfig).score;

// 1. Wikidata English–Russian token pairs: every 20th pair as a positive, a shifted pairing as a negative.
const wd = gunzipSync(readFileSync(sanctions('name_variants/dev/wd_en_ru_train80.tsv.gz')))
  .toString('utf8')
  .split('\n')
  .map((l) => l.split('\t'))
  .filter((f) => f.length >= 2 && f[0] && f[1])
  .map((f) => ({ en: f[0] as string, ru: (f[1] as string).replace(/ /g, '') }));
const sample = wd.filter((_, i) => i % 20 === 0);
let wdTp = 0;
let wdFp = 0;
sample.forEach((pair, i) => {
  if (compare(pair.en, pair.ru) >= threshold) wdTp++;
  const other = sample[(i + 7919) % sample.length] as { ru: string };
  if (other.ru !== pair.ru && compare(pair.en, other.ru) >= threshold) wdFp++;
});
console.log(`Wikidata EN–RU single tokens (${sample.length} positive, ${sample.length} negative pairs): recall ${pct(wdTp, sample.length)}, ` +
  `false-positive rate ${pct(wdFp, sample.length)}, precision ${pct(wdTp, wdTp + wdFp)}`);

// 2. Watchman cross-script pairs, by script.
const pairs = readFileSync(sanctions('name_variants/dev/watchman_cross_script_pairs.csv'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => l.split(','));
const byScript = new Map<string, { n: number; hit: number }>();
let section = 'other';
for (const line of readFileSync(sanctions('name_variants/dev/watchman_cross_script_pairs.csv'), 'utf8').split('\n')) {
  const heading = /^# (\w+)/.exec(line);
  if (heading && /to Latin|Hangul/.test(line)) section = heading[1] as string;
  if (!line.trim() || line.startsWith('#')) continue;
  const [a, b] = line.split(',');
  const entry = byScript.get(section) ?? { n: 0, hit: 0 };
  entry.n++;
  if (compare(a as string, b as string) >= threshold) entry.hit++;
  byScript.set(section, entry);
}
console.log(`Watchman cross-script pairs (${pairs.length}): ${[...byScript].map(([s, e]) => `${s} ${e.hit}/${e.n}`).join(', ')}`);

// 3. The lists.
const started = performance.now();
const entities: SanctionEntity[] = [
  ...loadListFile(sanctions('ofac/sdn_2024/sdn_2024-05-03.csv.gz'), { ofacCompanionDir: sanctions('ofac/aliases_2025-02-27') }).entities,
  ...loadListFile(sanctions('ofac/non_sdn_2025-12-19/cons_prim.csv')).entities,
  ...loadListFile(sanctions('un/UN_consolidated_2026-02-27.xml.gz')).entities,
  ...readdirSync(sanctions('eu/oj_consolidated')).flatMap((f) => loadListFile(sanctions(`eu/oj_consolidated/${f}`)).entities),
  ...loadListFile(sanctions('opensanctions_fixtures/zala_entities.ftm.jsonl')).entities,
];
const index = buildScreeningIndex(entities, vocabulary, scoringConfig);
console.log(`Index: ${index.entityCount} entities, ${index.nameCount} names, loaded and built in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const negatives = ['yente_negatives_global_1k.csv', 'yente_negatives_us_1k.csv'].flatMap(
  (f) => (parse(readFileSync(sanctions(`name_variants/dev/${f}`), 'utf8'), { columns: true }) as { full_name: string; date_of_birth: string }[]),
);
let negHits = 0;
let negHitsDob = 0;
for (const n of negatives) {
  if (index.search({ name: n.full_name }).length > 0) negHits++;
  if (index.search({ name: n.full_name, schema: 'Person', birthDate: n.date_of_birth }).length > 0) negHitsDob++;
}
console.log(`Non-sanctioned negatives (${negatives.length}) screened against the lists: false-positive rate ${pct(negHits, negatives.length)} by name only, ` +
  `${pct(negHitsDob, negatives.length)} with schema and birth date`);

// 4. The lists' own Cyrillic names, as written and re-spelt under each scheme; expected: the entity itself.
const cyrillicNames = entities.flatMap((e) =>
  e.names.filter((n) => /\p{Script=Cyrillic}/u.test(n.name) && n.name.length < 80).slice(0, 1).map((n) => ({ entity: e, name: n.name })),
);
const schemes: [string, (s: string) => string][] = [
  ['as written (Cyrillic)', (s) => s],
  ...Object.entries(evaluationSchemes).map(([scheme, table]): [string, (s: string) => string] => [scheme, (s) => transliterateWith(table, s)]),
];
const positives = cyrillicNames.filter((_, i) => i % 3 === 0);
// Lists overlap (one person is on the EU, OFAC and UN lists): another entry counts as a correct match
// when it shares a birth date or an identifier with the expected one, or a name scoring 0.95 against it.
const sameParty = (a: SanctionEntity, b: SanctionEntity): boolean => {
  if (a.id === b.id) return true;
  if (a.birthDates.some((d) => d.length === 10 && b.birthDates.includes(d))) return true;
  if (a.identifiers.some((i) => b.identifiers.some((j) => i.value.replace(/\W/g, '') === j.value.replace(/\W/g, '')))) return true;
  return a.names.some((x) => b.names.some((y) => compare(x.name, y.name) >= 0.95));
};
for (const [scheme, spell] of schemes) {
  let found = 0;
  let reported = 0;
  let correct = 0;
  for (const { entity, name } of positives) {
    const matches = index.search({ name: spell(name), schema: entity.schema === 'Person' ? 'Person' : 'Any' }, { limit: 5 });
    reported += matches.length;
    correct += matches.filter((m) => sameParty(entity, index.entity(m.entityId) as SanctionEntity)).length;
    if (matches.some((m) => m.entityId === entity.id)) found++;
  }
  console.log(`List Cyrillic names, ${scheme} (${positives.length} queries): recall ${pct(found, positives.length)}, ` +
    `precision ${pct(correct, reported)} (${reported} matches reported, top 5 per query)`);
}
