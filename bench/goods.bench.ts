import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { openSqlite } from '../src/db/sqlite.js';
import type { GoodsClassifier } from '../src/goods/classifier.js';
import { type AppContext, createAppContext } from '../src/main.js';
import type { DeclarationInput, GoodsItem } from '../src/movements/declaration.js';
import { ManualClock } from '../src/shared/clock.js';
import { ulidGenerator } from '../src/shared/ids.js';
import { percentile, report, seededRandom, timeMs, withTempDir } from './support.js';

const CLASSIFY_ROUNDS = Number(process.env.BENCH_GOODS_CLASSIFY_ROUNDS ?? 200);
const CHECKED_MOVEMENTS = Number(process.env.BENCH_GOODS_MOVEMENTS ?? 100_000);
const DECLARATIONS = Number(process.env.BENCH_GOODS_DECLARATIONS ?? 100_000);
const FIXTURE = new URL('../tests/fixtures/goods/classification.csv', import.meta.url);

interface Labelled {
  description: string;
  hs6: string;
}

const random = seededRandom(20261123);

/**
 * Codes a declarant hiding a controlled item picks instead: a catch-all in a neighbouring heading, as in
 * "microcontroller under 8543.70". About one item in twenty is declared under one of them.
 */
const DECOYS = ['854370', '903180', '848330', '852990', '847330', '850490'];
const DECOY_SHARE = 0.05;
const ROUTES = [['KZ', 'KG'], ['KZ', 'RU'], ['KZ', 'UZ'], ['CN', 'KZ', 'RU'], ['KZ', 'BY', 'RU']];

/** A typical price per kg for each HS-6, so that stored items of one code form a believable spread. */
const typicalPricePerKg = (hs6: string) => 5 * 1.37 ** (Number(hs6) % 17);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

/**
 * Three items of labelled trade descriptions, mostly under their own code, with the faults the checks
 * look for sown in at known rates: decoy codes, a value 30× too low (1 %), net above gross (0.5 %).
 */
const goodsItems = (labelled: readonly Labelled[], sown: (fault: 'decoy' | 'cheap', itemIndex: number) => void = () => undefined): GoodsItem[] =>
  [1, 2, 3].map((itemNumber) => {
    const row = random.pick(labelled);
    const decoy = random.next() < DECOY_SHARE;
    if (decoy) sown('decoy', itemNumber - 1);
    const hsCode = decoy ? random.pick(DECOYS) : row.hs6;
    const netMass = Math.round(20 + random.next() * 2000);
    const grossMass = random.next() < 0.005 ? netMass * 0.9 : netMass * 1.08;
    const cheap = random.next() < 0.01;
    if (cheap) sown('cheap', itemNumber - 1);
    const priceFactor = Math.exp(0.3 * gaussian()) * (cheap ? 1 / 30 : 1);
    const amount = Math.round(netMass * typicalPricePerKg(hsCode) * priceFactor);
    return { itemNumber, hsCode, description: row.description, grossMass, netMass, packages: { type: 'CT', count: 10 }, value: { amount, currency: 'USD' }, countryOfOrigin: 'CN' } as GoodsItem;
  });

const quality = (classifier: GoodsClassifier, labelled: readonly Labelled[]) => {
  const hits = { hs6Top1: 0, hs6Top5: 0, hs4Top1: 0, hs4Top5: 0 };
  for (const row of labelled) {
    const codes = classifier.classify(row.description, 5).map((candidate) => candidate.hs6);
    const heading = row.hs6.slice(0, 4);
    if (codes[0] === row.hs6) hits.hs6Top1++;
    if (codes.includes(row.hs6)) hits.hs6Top5++;
    if (codes[0]?.slice(0, 4) === heading) hits.hs4Top1++;
    if (codes.some((code) => code.slice(0, 4) === heading)) hits.hs4Top5++;
  }
  const share = (count: number) => `${count}/${labelled.length} (${((100 * count) / labelled.length).toFixed(1)} %)`;
  report('classification quality (fixture)', Object.fromEntries(Object.entries(hits).map(([key, count]) => [key, share(count)])));
};

const classifySpeed = (classifier: GoodsClassifier, labelled: readonly Labelled[]) => {
  for (const row of labelled) classifier.classify(row.description, 5);
  const latencies: number[] = [];
  const started = performance.now();
  for (let round = 0; round < CLASSIFY_ROUNDS; round++) {
    for (const row of labelled) {
      const before = performance.now();
      classifier.classify(row.description, 5);
      latencies.push(performance.now() - before);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  report('classify one description', { n: latencies.length, perSecond: latencies.length / seconds, p50ms: percentile(latencies, 50).toFixed(4), p95ms: percentile(latencies, 95).toFixed(4), maxMs: latencies.at(-1)! });
};

/** Nothing is stored, so no unit-value statistics exist: this is the lists, the routes and the classifier. */
const checkWithoutStorage = async (context: AppContext, labelled: readonly Labelled[]) => {
  const movements = Array.from({ length: CHECKED_MOVEMENTS }, () => ({ route: { date: '2026-11-23', countries: random.pick(ROUTES) }, items: goodsItems(labelled) }));
  const flagged = { hits: 0, prohibited: 0, misdeclared: 0 };
  const checkMs = await timeMs(async () => {
    for (const movement of movements) {
      for (const check of await context.goods.check(movement.items, movement.route)) {
        if (check.hits.length > 0) flagged.hits++;
        if (check.hits.some((hit) => hit.prohibitedFor.length > 0)) flagged.prohibited++;
        if (check.hints.some((hint) => hint.kind === 'misdeclared')) flagged.misdeclared++;
      }
    }
  });
  const items = CHECKED_MOVEMENTS * 3;
  report(`check ${CHECKED_MOVEMENTS} movements × 3 items`, { seconds: checkMs / 1000, itemsPerSecond: (items * 1000) / checkMs, target: '< 10 s' });
  report('  items flagged', { onList: flagged.hits, prohibitedForRoute: flagged.prohibited, misdeclared: flagged.misdeclared, of: items });
};

const declaration = (
  index: number,
  offices: { departure: string[]; inland: string[]; foreign: string[] },
  labelled: readonly Labelled[],
  sown: Map<string, 'decoy' | 'cheap'>,
): DeclarationInput => {
  const lrn = `GOODS-${String(index).padStart(10, '0')}`;
  const items = goodsItems(labelled, (fault, itemIndex) => sown.set(`${fault}:${lrn}:${itemIndex}`, fault));
  const itemsGross = items.reduce((sum, item) => sum + item.grossMass, 0);
  return {
    lrn,
    declarationType: 'T1',
    officeOfDeparture: random.pick(offices.departure),
    officesOfTransit: [random.pick(offices.inland)],
    officesOfExit: [random.pick(offices.departure)],
    officeOfDestination: random.pick(offices.foreign),
    countriesOfRouting: random.pick(ROUTES),
    bindingItinerary: true,
    consignor: { name: `Shenzhen Trading ${index % 700}`, identificationNumber: `CN${index}`, address: { city: 'Urumqi', country: 'CN' } },
    consignee: { name: `Bishkek Import ${index % 900}`, identificationNumber: `KG${index}`, address: { city: 'Bishkek', country: 'KG' } },
    holderOfTheTransitProcedure: { name: `Almaty Logistics ${index % 300}`, identificationNumber: `KZ${index % 5000}` },
    carrier: { name: `Trans Caspian ${index % 200}` },
    transportMeans: [{ identificationType: '30', identification: `${index % 999}ABC02`, nationality: 'KZ' }],
    transportEquipment: [{ containerIdentificationNumber: 'MSKU1234565', seals: [{ identifier: `ES-${index}`, electronic: true }] }],
    guarantee: { type: '1', reference: `GRN${index}`, amount: 18000, currency: 'USD' },
    // One consignment in a hundred declares a gross mass its items do not add up to.
    grossMass: Math.round(itemsGross * (random.next() < 0.01 ? 1.3 : 1)),
    goodsItems: items,
  } as DeclarationInput;
};

/**
 * How the alerts line up with the faults sown: a value 30× too low should be a value anomaly (unless too
 * few items of its code were stored before it); a decoy code is a misdeclaration only when the
 * description names a controlled item, which most of the fixture's descriptions do.
 */
const sownFaultsFound = async (db: Db, sown: ReadonlyMap<string, 'decoy' | 'cheap'>) => {
  const flagged = await db.all<{ type: string; lrn: string; item_index: number }>(
    `SELECT a.type, m.lrn, a.item_index FROM alerts a JOIN movements m ON m.id = a.movement_id
     WHERE a.type IN ('goods.value_anomaly', 'goods.misdeclared') AND a.item_index IS NOT NULL`,
  );
  const tally = (type: string, fault: 'decoy' | 'cheap') => {
    const keys = flagged.filter((row) => row.type === type).map((row) => `${fault}:${row.lrn}:${Number(row.item_index)}`);
    const found = keys.filter((key) => sown.has(key)).length;
    return { sown: [...sown.values()].filter((kind) => kind === fault).length, flagged: found, flaggedUnsown: keys.length - found };
  };
  report('  sown cheap items → value_anomaly', tally('goods.value_anomaly', 'cheap'));
  report('  sown decoy codes → misdeclared', tally('goods.misdeclared', 'decoy'));
};

/**
 * Stores the declarations. The records are built and dropped here, so that the drain timed after it does
 * not carry 100,000 inputs and their JSON texts in its heap.
 */
const seed = async (context: AppContext, offices: Parameters<typeof declaration>[1], labelled: readonly Labelled[], sown: Map<string, 'decoy' | 'cheap'>) => {
  const records = Array.from({ length: DECLARATIONS }, (_, index) => {
    const input = declaration(index, offices, labelled, sown);
    return { input, format: 'json' as const, original: JSON.stringify(input), line: index + 1 };
  });
  let accepted = 0;
  const declareMs = await timeMs(async () => {
    accepted = (await context.movements.declareMany(records, 'bench')).accepted.length;
  });
  report('seeding: declarations via service (SQLite, durable)', { n: accepted, seconds: declareMs / 1000, perSecond: (accepted / declareMs) * 1000 });
  if (accepted !== DECLARATIONS) throw new Error(`only ${accepted} of ${DECLARATIONS} declarations were accepted`);
};

/**
 * Declarations stored through the service with every observer on (seeding, timed apart), then the goods
 * queue they left drained: the stored path the target is about, results, unit values, alerts and risk
 * committed durably batch by batch.
 */
const declareAndDrain = async (labelled: readonly Labelled[]) => {
  await withTempDir(async (dir) => {
    const db = openSqlite({ file: path.join(dir, 'goods.db') });
    await migrate(db);
    const context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-23T00:00:00Z'), ids: ulidGenerator() });
    try {
      const all = context.offices.list();
      const offices = {
        departure: all.filter((office) => office.role === 'border_crossing').map((office) => office.code),
        inland: all.filter((office) => office.role === 'inland').map((office) => office.code),
        foreign: all.filter((office) => office.role === 'foreign_destination').map((office) => office.code),
      };
      const sown = new Map<string, 'decoy' | 'cheap'>();
      await seed(context, offices, labelled, sown);
      // The drain is about movements at rest in the store: the seeding's log is copied back into the
      // database first, so the drain does not share the disk and the second core with that copy.
      const checkpointMs = await timeMs(() => db.exec('PRAGMA wal_checkpoint(TRUNCATE)'));
      report('  seeding\'s log copied back', { seconds: checkpointMs / 1000 });
      let checked = 0;
      const drainMs = await timeMs(async () => {
        checked = await context.goods.drain();
      });
      report(`goods of ${checked} stored movements × 3 items checked (drain)`, {
        seconds: drainMs / 1000,
        movementsPerSecond: (checked / drainMs) * 1000,
        itemsPerSecond: (checked * 3000) / drainMs,
        target: '< 10 s for 100,000',
      });
      if (checked !== DECLARATIONS) throw new Error(`the drain checked ${checked} of ${DECLARATIONS} stored movements`);
      const stored = await db.get<{ checks: number; unitValues: number; risks: number; queued: number }>(
        `SELECT (SELECT COUNT(*) FROM goods_movement_checks) AS checks, (SELECT COUNT(*) FROM goods_unit_value_chunks) AS "unitValues",
           (SELECT COUNT(*) FROM movement_risk) AS risks, (SELECT COUNT(*) FROM goods_queue) AS queued`,
      );
      report('  stored', { movementResults: Number(stored?.checks), unitValueRows: Number(stored?.unitValues), movementRisks: Number(stored?.risks), stillQueued: Number(stored?.queued) });
      const alerts = await db.all<{ type: string; severity: string; count: number }>(
        "SELECT type, severity, COUNT(*) AS count FROM alerts WHERE source = 'goods' GROUP BY type, severity ORDER BY type, severity",
      );
      for (const row of alerts) report(`  alerts ${row.type}`, { severity: row.severity, count: Number(row.count) });
      await sownFaultsFound(db, sown);
    } finally {
      await context.close();
    }
  });
};

export async function run(): Promise<void> {
  const labelled = parse(readFileSync(FIXTURE, 'utf8'), { columns: true, skip_empty_lines: true }) as Labelled[];
  await withTempDir(async (dir) => {
    const db = openSqlite({ file: path.join(dir, 'check.db') });
    await migrate(db);
    const context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-23T00:00:00Z'), ids: ulidGenerator() });
    try {
      quality(context.goods.classifier, labelled);
      classifySpeed(context.goods.classifier, labelled);
      await checkWithoutStorage(context, labelled);
    } finally {
      await context.close();
    }
  });
  await declareAndDrain(labelled);
}
