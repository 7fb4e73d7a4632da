import path from 'node:path';
import { DEFAULT_RISK_RULES } from '../src/risk/risk.js';
import { loadConfig } from '../src/config.js';
import type { QueueFilters } from '../src/alerts/alert.repository.js';
import type { SqlValue } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { openSqlite } from '../src/db/sqlite.js';
import { createAppContext } from '../src/main.js';
import { corridorKey } from '../src/risk/risk.service.js';
import { ManualClock } from '../src/shared/clock.js';
import { percentile, report, seededRandom, timeMs, withTempDir } from './support.js';

const ALERTS = Number(process.env.BENCH_ALERTS ?? 1_000_000);
const ALERTS_PER_MOVEMENT = 5;
const START = Date.parse('2026-01-01T00:00:00Z');
const SPAN_MS = 300 * 86_400_000;
const random = seededRandom(20261124);

const benchDeclaration = (index: number, offices: { departure: string[]; inland: string[]; foreign: string[] }) => ({
  lrn: `ALERT-BENCH-${index}`,
  declarationType: 'T1',
  officeOfDeparture: random.pick(offices.departure),
  officesOfTransit: [random.pick(offices.inland)],
  officesOfExit: [random.pick(offices.departure)],
  officeOfDestination: random.pick(offices.foreign),
  consignor: { name: 'Bench Consignor Ltd', address: { country: 'CN' } },
  consignee: { name: 'Bench Consignee LLP', address: { country: 'KG' } },
  holderOfTheTransitProcedure: { name: 'Bench Holder LLP', identificationNumber: `KZ${index}` },
  goodsItems: [{ hsCode: '610910', description: 'Cotton T-shirts', grossMass: 800, netMass: 760, value: { amount: 7000, currency: 'USD' } }],
});

const TYPES = Object.keys(DEFAULT_RISK_RULES.weights);
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const RANK = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * The alert table as a year of work leaves it: most alerts closed, a third still new or in review, each
 * movement's alerts sharing its offices, corridor and risk. Rows go straight in (the services would take
 * hours for a million); the queries and the recompute then run through the services.
 */
const seed = async (db: ReturnType<typeof openSqlite>, offices: { departure: string[]; inland: string[]; foreign: string[] }) => {
  const columns = 'id, dedup_key, type, source, rule, rule_version, severity, score, title, movement_id, evidence, status, observed_at, raised_at, updated_at, occurrences, risk, severity_rank, offices, corridor, is_open';
  const marks = columns.split(',').map(() => '?').join(', ');
  const movements = ALERTS / ALERTS_PER_MOVEMENT;
  for (let first = 0; first < movements; first += 2_000) {
    const rows: SqlValue[][] = [];
    for (let m = first; m < Math.min(movements, first + 2_000); m++) {
      const departure = random.pick(offices.departure);
      const destination = random.pick(offices.foreign);
      const touched = `,${[departure, random.pick(offices.inland), random.pick(offices.inland), random.pick(offices.departure), destination].join(',')},`;
      const risk = Math.round(random.next() ** 2 * 1000) / 10;
      const raised = START + Math.floor((m / movements) * SPAN_MS);
      const open = random.next() < 0.3;
      for (let a = 0; a < ALERTS_PER_MOVEMENT; a++) {
        const severity = random.pick(SEVERITIES);
        const at = new Date(raised + a * 600_000).toISOString();
        const id = `A${String(m).padStart(8, '0')}${a}`;
        rows.push([
          id, `bench:${id}`, random.pick(TYPES), 'tracking', 'bench', '1', severity, 0.5, `bench alert ${id}`, `M${String(m).padStart(8, '0')}`, '{}',
          open ? (a % 2 ? 'new' : 'in_review') : 'closed', at, at, at, 1, risk, RANK[severity], touched, corridorKey(departure, destination), open ? 1 : 0,
        ]);
      }
    }
    await db.transaction((tx) => tx.runMany(`INSERT INTO alerts (${columns}) VALUES (${marks})`, rows));
    if (first % 40_000 === 0) process.stdout.write(`  seeded ${Math.min(movements, first + 2_000) * ALERTS_PER_MOVEMENT}/${ALERTS}\r`);
  }
  process.stdout.write('\n');
};

export const run = async (): Promise<void> => {
  await withTempDir(async (dir) => {
    const db = openSqlite({ file: path.join(dir, 'alerts.db') });
    await migrate(db);
    const context = await createAppContext(loadConfig(), { db, clock: new ManualClock(new Date(START + SPAN_MS).toISOString()) });
    const all = context.offices.list();
    const offices = {
      departure: all.filter((office) => office.role === 'border_crossing').map((office) => office.code),
      inland: all.filter((office) => office.role === 'inland').map((office) => office.code),
      foreign: all.filter((office) => office.role === 'foreign_destination').map((office) => office.code),
    };
    const seedMs = await timeMs(() => seed(db, offices));
    await db.exec('ANALYZE');
    report('seed alerts (SQLite)', { alerts: ALERTS, seconds: seedMs / 1000 });

    const week = () => {
      const from = START + random.next() * SPAN_MS * 0.95;
      return { raisedFrom: new Date(from).toISOString(), raisedTo: new Date(from + 7 * 86_400_000).toISOString() };
    };
    const cases: [string, () => QueueFilters][] = [
      ['open, no filter', () => ({ status: 'open' })],
      ['open, office', () => ({ status: 'open', office: random.pick(offices.departure) })],
      ['open, type', () => ({ status: 'open', type: random.pick(TYPES) })],
      ['open, severity', () => ({ status: 'open', severity: random.pick(SEVERITIES) })],
      ['open, corridor', () => ({ status: 'open', corridor: corridorKey(random.pick(offices.departure), random.pick(offices.foreign)) })],
      ['open, raised within a week', () => ({ status: 'open', ...week() })],
      ['open, officer scope (2 offices)', () => ({ status: 'open', scopeOffices: [random.pick(offices.departure), random.pick(offices.inland)] })],
      ['open, office + type + severity', () => ({ status: 'open', office: random.pick(offices.inland), type: random.pick(TYPES), severity: 'high' })],
    ];
    const everything: number[] = [];
    for (const [label, filters] of cases) {
      const samples: number[] = [];
      for (let run = 0; run < 40; run++) {
        const query = filters();
        samples.push(await timeMs(() => context.alerts.queue(query, { limit: 50, sort: 'risk' })));
      }
      samples.sort((a, b) => a - b);
      everything.push(...samples);
      report(`  page of 50 by risk, ${label}`, { p50ms: percentile(samples, 50), p95ms: percentile(samples, 95) });
    }
    everything.sort((a, b) => a - b);
    report(`queue over ${ALERTS} alerts (all filters)`, { p50ms: percentile(everything, 50), p95ms: percentile(everything, 95), max: everything.at(-1)!, target: 'p95 < 100 ms' });

    // Real movements among the million: declared through the service, each raising a new alert, timed on
    // the recompute that follows in the raising transaction's place.
    const recompute: number[] = [];
    const raising: number[] = [];
    for (let run = 0; run < 200; run++) {
      const movement = await context.movements.declare({ input: { ...benchDeclaration(run, offices) }, format: 'json', original: '{}' }, 'bench');
      raising.push(
        await timeMs(() =>
          context.alerts.raiseNow([
            { dedupKey: `bench-new:${run}`, type: random.pick(TYPES), source: 'tracking', rule: 'bench', ruleVersion: '1', severity: 'high', score: 0.8, title: 'new finding', movementId: movement.id, evidence: {}, observedAt: new Date().toISOString() },
          ]),
        ),
      );
      recompute.push(await timeMs(() => db.transaction((tx) => context.risk.recompute(tx, movement.id))));
    }
    raising.sort((a, b) => a - b);
    report('raise one alert (insert + risk recompute, durable commit)', { p50ms: percentile(raising, 50), p95ms: percentile(raising, 95) });
    recompute.sort((a, b) => a - b);
    report('risk recompute of one movement (own transaction)', { p50ms: percentile(recompute, 50), p95ms: percentile(recompute, 95), target: '< 5 ms' });
    await context.close();
  });
};
