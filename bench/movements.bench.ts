import path from 'node:path';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { openSqlite } from '../src/db/sqlite.js';
import { type AppContext, createAppContext } from '../src/main.js';
import type { DeclarationInput } from '../src/movements/declaration.js';
import { limitInstant } from '../src/movements/movement.js';
import { MovementRepository } from '../src/movements/movement.repository.js';
import { movementSearchKeys } from '../src/movements/movement-search.js';
import { ManualClock } from '../src/shared/clock.js';
import { ulidGenerator } from '../src/shared/ids.js';
import { testStores } from '../tests/support/stores.js';
import { percentile, report, seededRandom, timeMs, timeWithCpu, withTempDir } from './support.js';

const DECLARATIONS_SQLITE = Number(process.env.BENCH_DECLARATIONS ?? 20_000);
const DECLARATIONS_POSTGRES = Number(process.env.BENCH_DECLARATIONS_PG ?? 10_000);
const LIST_MOVEMENTS = Number(process.env.BENCH_LIST_MOVEMENTS ?? 1_000_000);

const random = seededRandom(20261123);
const HS = ['854231', '852691', '848210', '610910', '870323', '847130', '901580', '840991', '940360', '392690', '843290', '401110'];
const WORDS = ['Alatau', 'Steppe', 'Silk', 'Road', 'Trans', 'Caspian', 'Orda', 'Baikonur', 'Tengri', 'Kazakh', 'Altyn', 'Sary', 'Arka', 'Logistics', 'Trade', 'Import', 'Export', 'Service', 'Group', 'Invest'];
const FORMS = ['TOO', 'LLP', 'OOO', 'GmbH', 'Co., Ltd.', 'OsOO', 'JSC'];

const partyName = () => `${random.pick(FORMS)} ${random.pick(WORDS)} ${random.pick(WORDS)} ${random.pick(WORDS)}`;

const declaration = (index: number, offices: { departure: string[]; inland: string[]; foreign: string[] }): DeclarationInput => ({
  lrn: `BENCH-${String(index).padStart(10, '0')}`,
  declarationType: 'T1',
  officeOfDeparture: random.pick(offices.departure),
  officesOfTransit: [random.pick(offices.inland)],
  officesOfExit: [random.pick(offices.departure)],
  officeOfDestination: random.pick(offices.foreign),
  countriesOfRouting: ['KZ', random.pick(['KG', 'UZ', 'RU', 'CN'])],
  bindingItinerary: true,
  consignor: { name: partyName(), identificationNumber: `CN${index}`, address: { city: 'Urumqi', country: 'CN' } },
  consignee: { name: partyName(), identificationNumber: `KG${index}`, address: { city: 'Bishkek', country: 'KG' } },
  holderOfTheTransitProcedure: { name: partyName(), identificationNumber: `KZ${index % 5000}` },
  carrier: { name: partyName() },
  transportMeans: [{ identificationType: '30', identification: `${index % 999}ABC02`, nationality: 'KZ' }],
  transportEquipment: [{ containerIdentificationNumber: 'MSKU1234565', seals: [{ identifier: `ES-${index}`, electronic: true }] }],
  guarantee: { type: '1', reference: `GRN${index}`, amount: 18000, currency: 'USD' },
  goodsItems: [0, 1, 2].map((item) => ({
    hsCode: random.pick(HS),
    description: `Goods item ${item} of consignment ${index}`,
    grossMass: 100 + random.next() * 5000,
    netMass: 90 + random.next() * 4000,
    packages: { type: 'CT', count: 10 },
    value: { amount: Math.round(1000 + random.next() * 50000), currency: 'USD' },
    countryOfOrigin: 'CN',
  })),
});

const officeSets = (context: AppContext) => {
  const all = context.offices.list();
  return {
    departure: all.filter((office) => office.role === 'border_crossing').map((office) => office.code),
    inland: all.filter((office) => office.role === 'inland').map((office) => office.code),
    foreign: all.filter((office) => office.role === 'foreign_destination').map((office) => office.code),
  };
};

const ingest = async (label: string, db: Db, count: number) => {
  const clock = new ManualClock('2026-11-20T00:00:00Z');
  const context = await createAppContext(loadConfig(), { db, clock, ids: ulidGenerator() });
  const offices = officeSets(context);
  const records = Array.from({ length: count }, (_, index) => {
    const input = declaration(index, offices);
    return { input, format: 'json' as const, original: JSON.stringify(input), line: index + 1 };
  });
  let accepted = 0;
  const declare = await timeWithCpu(async () => {
    accepted = (await context.movements.declareMany(records, 'bench')).accepted.length;
  });
  report(`declarations via service (${label})`, { n: accepted, seconds: declare.ms / 1000, cpuSeconds: declare.cpuMs / 1000, perSecond: (accepted / declare.ms) * 1000 });
  if (accepted !== count) throw new Error(`only ${accepted} of ${count} declarations were accepted`);
  // The follow-up work the declarations queued, measured apart: it runs in the background, not in ingest.
  let checked = 0;
  const goodsMs = await timeMs(async () => {
    checked = await context.goods.drain();
  });
  report(`  then goods checks drained (${label})`, { movements: checked, seconds: goodsMs / 1000, perSecond: (checked / goodsMs) * 1000 });
  let screened = 0;
  const screeningMs = await timeMs(async () => {
    screened = await context.partyScreening.drain();
  });
  report(`  then party screening drained, no lists (${label})`, { movements: screened, seconds: screeningMs / 1000, perSecond: (screened / screeningMs) * 1000 });

  const events = records.flatMap(({ input }, index) =>
    (['accepted', 'released', 'passed_transit'] as const).map((type, step) => ({
      input: { id: `BENCH-EV-${index}-${step}`, lrn: input.lrn, type, time: `2026-11-20T0${step + 1}:00:00Z`, office: input.officeOfDeparture },
    })),
  );
  let applied = 0;
  const recorded = await timeWithCpu(async () => {
    applied = (await context.movements.recordEvents(events, 'bench')).applied;
  });
  report(`events via service (${label})`, { n: applied, seconds: recorded.ms / 1000, cpuSeconds: recorded.cpuMs / 1000, perSecond: (applied / recorded.ms) * 1000 });
  await context.close();
};

/** Seeds movements straight through the repository: the listing benchmark measures reads, not validation. */
const seedForListing = async (db: Db, context: AppContext, count: number) => {
  const offices = officeSets(context);
  const repository = new MovementRepository(db);
  const ids = ulidGenerator();
  const start = Date.parse('2025-01-01T00:00:00Z');
  const spanEnd = start + count * 30_000;
  const enRoute = ['released', 'passed_transit', 'exited', 'arrived'] as const;
  /** Like a live register: the last ten days still on the road, older ones discharged but for a few overdue. */
  const stateFor = (declaredMs: number) => {
    if (spanEnd - declaredMs < 10 * 86_400_000) return random.pick(enRoute);
    return random.next() < 0.005 ? 'released' : 'discharged';
  };
  for (let batch = 0; batch < count; batch += 5000) {
    const rows = Array.from({ length: Math.min(5000, count - batch) }, (_, offset) => {
      const index = batch + offset;
      const input = declaration(index, offices) as DeclarationInput & { goodsItems: { itemNumber: number }[] };
      const parsed = { ...input, goodsItems: input.goodsItems.map((item, itemIndex) => ({ ...item, itemNumber: itemIndex + 1 })) };
      const declaredMs = start + index * 30_000;
      const declaredAt = new Date(declaredMs).toISOString();
      const limitDate = new Date(declaredMs + 8 * 86_400_000).toISOString().slice(0, 10);
      const id = ids.next();
      return {
        movement: {
          id,
          lrn: parsed.lrn,
          declarantKey: `id:${parsed.holderOfTheTransitProcedure.identificationNumber}`,
          declaration: parsed as never,
          limitDate,
          limitAt: limitInstant(limitDate),
          declaredAt,
          originalFormat: 'json' as const,
          originalMessage: '{}',
          searchKeys: movementSearchKeys(parsed as never),
        },
        submitted: {
          id: ids.next(), movementId: id, seq: 1, type: 'submitted' as const, time: declaredAt, office: null, actor: 'bench', details: null,
          recordedAt: declaredAt, outcome: 'applied' as const, refusalReason: null, note: null, stateBefore: 'submitted' as const, stateAfter: 'submitted' as const,
        },
        state: stateFor(declaredMs),
      };
    });
    await db.transaction(async (tx) => {
      await new MovementRepository(tx).insertMany(rows);
      await tx.runMany('UPDATE movements SET state = ? WHERE id = ?', rows.map((row) => [row.state, row.movement.id]));
    });
    if ((batch / 5000) % 20 === 0) process.stdout.write(`  seeded ${batch + rows.length}/${count}\r`);
  }
  process.stdout.write('\n');
  return repository;
};

const listing = async () => {
  await withTempDir(async (dir) => {
    const db = openSqlite({ file: path.join(dir, 'list.db') });
    await migrate(db);
    const clock = new ManualClock(new Date(Date.parse('2025-01-01T00:00:00Z') + LIST_MOVEMENTS * 30_000).toISOString());
    const context = await createAppContext(loadConfig(), { db, clock });
    const seedMs = await timeMs(() => seedForListing(db, context, LIST_MOVEMENTS));
    report('seed movements for listing (SQLite)', { n: LIST_MOVEMENTS, seconds: seedMs / 1000 });
    await db.exec('ANALYZE');
    const offices = officeSets(context);
    const cases: [string, () => Parameters<AppContext['movements']['list']>[0]][] = [
      ['no filter', () => ({})],
      ['state', () => ({ states: ['arrived'] })],
      ['office', () => ({ office: random.pick(offices.departure) })],
      ['state+office', () => ({ states: ['exited'], office: random.pick(offices.departure) })],
      ['overdue', () => ({ overdue: true })],
      ['date range (one week)', () => {
        const from = Date.parse('2025-01-01T00:00:00Z') + random.next() * LIST_MOVEMENTS * 30_000 * 0.9;
        return { declaredFrom: new Date(from).toISOString(), declaredTo: new Date(from + 7 * 86_400_000).toISOString() };
      }],
      ['party word', () => ({ party: random.pick(WORDS) })],
      ['party two words', () => ({ party: `${random.pick(WORDS)} ${random.pick(WORDS)}` })],
      ['hs prefix', () => ({ hsPrefix: random.pick(HS).slice(0, 4) })],
      ['country of routing', () => ({ countryOfRouting: random.pick(['KG', 'UZ', 'RU', 'CN']) })],
      ['hs+country+state', () => ({ hsPrefix: '8542', countryOfRouting: 'RU', states: ['released'] })],
    ];
    const all: number[] = [];
    for (const [label, filters] of cases) {
      const samples: number[] = [];
      for (let run = 0; run < 40; run++) {
        const query = filters();
        samples.push(await timeMs(() => context.movements.list(query, { limit: 50 })));
      }
      samples.sort((a, b) => a - b);
      all.push(...samples);
      report(`  list 50, ${label}`, { p50ms: percentile(samples, 50), p95ms: percentile(samples, 95) });
    }
    all.sort((a, b) => a - b);
    report(`list over ${LIST_MOVEMENTS} movements (all filters)`, { p50ms: percentile(all, 50), p95ms: percentile(all, 95), max: all.at(-1)! });
    await context.close();
  });
};

export const run = async (): Promise<void> => {
  await withTempDir(async (dir) => {
    await ingest('SQLite, durable commits', await (async () => {
      const db = openSqlite({ file: path.join(dir, 'ingest.db') });
      await migrate(db);
      return db;
    })(), DECLARATIONS_SQLITE);
  });
  if (DECLARATIONS_POSTGRES > 0) {
    const postgres = testStores.find((store) => store.name === 'postgres')!;
    const skip = await postgres.skip();
    if (skip) console.log(`PostgreSQL skipped: ${skip}`);
    else await ingest('PostgreSQL', await postgres.open(), DECLARATIONS_POSTGRES);
  }
  if (LIST_MOVEMENTS > 0) await listing();
};
