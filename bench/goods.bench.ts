import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { openSqlite } from '../src/db/sqlite.js';
import type { GoodsItem } from '../src/movements/declaration.js';
import { createAppContext } from '../src/main.js';
import { ManualClock } from '../src/shared/clock.js';
import { ulidGenerator } from '../src/shared/ids.js';
import { percentile, report, seededRandom, timeMs } from './support.js';

const CHECKED_MOVEMENTS = Number(process.env.BENCH_GOODS_MOVEMENTS ?? 100_000);
const FIXTURE = new URL('../tests/fixtures/goods/classification.csv', import.meta.url);

/** Codes of the kind the corridor carries: CHPL electronics and bearings beside clothes, tyres and furniture. */
const HS = ['854231', '852691', '848210', '610910', '870323', '847130', '901580', '840991', '940360', '392690', '843290', '401110'];
const ROUTES = [['KZ', 'KG'], ['KZ', 'RU'], ['KZ', 'UZ'], ['CN', 'KZ', 'RU'], ['KZ', 'BY', 'RU']];

export async function run(): Promise<void> {
  const db: Db = openSqlite({ file: ':memory:' });
  await migrate(db);
  const context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-23T00:00:00Z'), ids: ulidGenerator() });
  try {
    const rows = parse(readFileSync(FIXTURE, 'utf8'), { columns: true }) as { description: string; hs6: string }[];
    const classifier = context.goods.classifier;

    let top1 = 0;
    let top5 = 0;
    let heading1 = 0;
    let heading5 = 0;
    for (const row of rows) {
      const codes = classifier.classify(row.description, 5).map((candidate) => candidate.hs6);
      if (codes[0] === row.hs6) top1++;
      if (codes.includes(row.hs6)) top5++;
      if (codes[0]?.slice(0, 4) === row.hs6.slice(0, 4)) heading1++;
      if (codes.some((code) => code.slice(0, 4) === row.hs6.slice(0, 4))) heading5++;
    }
    report('classification quality (fixture)', { items: rows.length, hs6Top1: `${top1}/${rows.length}`, hs6Top5: `${top5}/${rows.length}`, hs4Top1: `${heading1}/${rows.length}`, hs4Top5: `${heading5}/${rows.length}` });

    const latencies: number[] = [];
    const rounds = 200;
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      for (const row of rows) {
        const before = performance.now();
        classifier.classify(row.description, 5);
        latencies.push(performance.now() - before);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    report('classify one description', { n: latencies.length, perSecond: latencies.length / seconds, p50ms: percentile(latencies, 50), p95ms: percentile(latencies, 95) });

    const random = seededRandom(20261123);
    const describe = (hs: string) => (random.next() < 0.3 ? random.pick(rows).description : `Goods under ${hs}, consignment lot ${Math.floor(random.next() * 1e6)}`);
    const movements = Array.from({ length: CHECKED_MOVEMENTS }, () => ({
      route: { date: '2026-11-23', countries: random.pick(ROUTES) },
      items: [1, 2, 3].map((itemNumber): GoodsItem => {
        const hsCode = random.pick(HS);
        const netMass = 50 + random.next() * 2000;
        return { itemNumber, hsCode, description: describe(hsCode), grossMass: netMass * 1.1, netMass, value: { amount: netMass * (5 + random.next() * 200), currency: 'USD' } } as GoodsItem;
      }),
    }));
    let flagged = 0;
    const checkMs = await timeMs(async () => {
      for (const movement of movements) {
        for (const check of await context.goods.check(movement.items, movement.route)) if (check.hits.length > 0 || check.hints.length > 0) flagged++;
      }
    });
    report('check movements × 3 items (no storage)', { movements: CHECKED_MOVEMENTS, items: CHECKED_MOVEMENTS * 3, seconds: checkMs / 1000, itemsPerSecond: (CHECKED_MOVEMENTS * 3 * 1000) / checkMs, flaggedItems: flagged, target: '< 10 s' });
  } finally {
    await context.close();
  }
}
