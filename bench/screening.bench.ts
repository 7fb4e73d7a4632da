import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jaroWinkler } from '@skyra/jaro-winkler';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../src/config.js';
import type { SanctionEntity } from '../src/screening/entity.js';
import { evaluationSchemes, transliterateWith } from '../src/screening/evaluation-schemes.js';
import { loadListFile } from '../src/screening/list-files.js';
import { loadVocabulary } from '../src/screening/name-vocabulary.js';
import { buildScreeningIndex } from '../src/screening/screening-index.js';
import { scoringConfig } from '../src/screening/scoring-config.js';
import { percentile } from './support.js';


const normalise = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();


export async function run(): Promise<void> {
  const referenceDir = loadConfig().referenceDir;
  const sanctions = (p: string) => path.join(referenceDir, 'sanctions', p);
  const loadStart = performance.now();
  const entities: SanctionEntity[] = [
    ...loadListFile(sanctions('ofac/sdn_2024/sdn_2024-05-03.csv.gz'), { ofacCompanionDir: sanctions('ofac/aliases_2025-02-27') }).entities,
    ...loadListFile(sanctions('un/UN_consolidated_2026-02-27.xml.gz')).entities,
    ...readdirSync(sanctions('eu/oj_consolidated')).flatMap((f) => loadListFile(sanctions(`eu/oj_consolidated/${f}`)).entities),
  ];
  const rawNames = entities.reduce((n, e) => n + e.names.length, 0);
  console.log(`lists: OFAC SDN 2024-05-03 + aliases, UN 2026-02-27, EU OJ consolidated: ${entities.length} entities, ${rawNames} names ` +
    `(parsed in ${((performance.now() - loadStart) / 1000).toFixed(1)} s)`);

  const vocabulary = loadVocabulary(referenceDir);
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildStart = performance.now();
  const index = buildScreeningIndex(entities, vocabulary, scoringConfig);
  const buildSeconds = (performance.now() - buildStart) / 1000;
  (globalThis as { gc?: () => void }).gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  console.log(`index: ${index.nameCount} distinct parsed names, built in ${buildSeconds.toFixed(2)} s, ${heapMb.toFixed(0)} MB heap ` +
    `(process RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB)`);

  // Queries: the lists' Cyrillic names re-spelt in German and French (should hit), and non-sanctioned people (should not).
  const respelt = entities
    .flatMap((e) => e.names.filter((n) => /\p{Script=Cyrillic}/u.test(n.name)).slice(0, 1).map((n) => ({ id: e.id, name: n.name })))
    .flatMap(({ id, name }, i) => [{ id, name: transliterateWith(i % 2 ? evaluationSchemes.german as Record<string, string> : evaluationSchemes.french as Record<string, string>, name) }]);
  const negatives = (parse(readFileSync(sanctions('name_variants/dev/yente_negatives_global_1k.csv'), 'utf8'), { columns: true }) as { full_name: string }[])
    .map((r) => ({ id: null as string | null, name: r.full_name }));
  const queries = [...respelt, ...negatives, ...respelt.slice(0, 1000), ...negatives];

  for (let i = 0; i < 200; i++) index.search({ name: (queries[i] as { name: string }).name });
  const latencies: number[] = [];
  let hits = 0;
  const started = performance.now();
  for (const query of queries) {
    const t = performance.now();
    const matches = index.search({ name: query.name });
    latencies.push(performance.now() - t);
    if (query.id && matches.some((m) => m.entityId === query.id)) hits++;
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const qps = queries.length / seconds;
  const expected = queries.filter((q) => q.id).length;
  console.log(`caravan index: ${queries.length} queries in ${seconds.toFixed(2)} s = ${qps.toFixed(0)} queries/s on one core; ` +
    `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms; ` +
    `re-spelt list names found ${((100 * hits) / expected).toFixed(1)}%`);

  // Baseline: Jaro-Winkler of the normalised query against every normalised name (a scan per query).
  const flat = entities.flatMap((e) => e.names.map((n) => ({ id: e.id, name: normalise(n.name) })));
  const sample = queries.filter((_, i) => i % 25 === 0);
  const baseLatencies: number[] = [];
  let baseHits = 0;
  const baseStart = performance.now();
  for (const query of process.env.BENCH_SCREENING_BASELINE === '0' ? [] : sample) {
    const q = normalise(query.name);
    const t = performance.now();
    let bestId = '';
    let best = 0;
    for (const candidate of flat) {
      const s = jaroWinkler(q, candidate.name);
      if (s > best) {
        best = s;
        bestId = candidate.id;
      }
    }
    baseLatencies.push(performance.now() - t);
    if (query.id && best >= 0.9 && bestId === query.id) baseHits++;
  }
  const baseSeconds = (performance.now() - baseStart) / 1000;
  baseLatencies.sort((a, b) => a - b);
  const baseQps = sample.length / baseSeconds;
  const baseExpected = sample.filter((q) => q.id).length;
  console.log(`baseline Jaro-Winkler scan over ${flat.length} names: ${sample.length} queries, ${baseQps.toFixed(1)} queries/s; ` +
    `p50 ${percentile(baseLatencies, 50).toFixed(1)} ms, p99 ${percentile(baseLatencies, 99).toFixed(1)} ms; ` +
    `re-spelt list names found (best match, JW >= 0.9) ${((100 * baseHits) / Math.max(1, baseExpected)).toFixed(1)}%`);
  console.log(`ratio: the index answers ${(qps / baseQps).toFixed(0)}x as many queries per second as the scan`);
}
