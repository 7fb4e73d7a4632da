import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openSqlite } from '../src/db/sqlite.js';
import { migrate } from '../src/db/migrate.js';
import { createAppContext } from '../src/main.js';
import type { DeclarationInput } from '../src/movements/declaration.js';
import { ManualClock } from '../src/shared/clock.js';
import { ulidGenerator } from '../src/shared/ids.js';
import { CorridorCache } from '../src/tracking/corridor.js';
import { initialState, observeMessage, prepareMovement } from '../src/tracking/detectors.js';
import { loadGeography } from '../src/tracking/geo.js';
import { itineraryOf, type TelemetryMessage } from '../src/tracking/movement-context.js';
import { defaultThresholds } from '../src/tracking/thresholds.js';
import { serialRunner, TelemetryStore } from '../src/tracking/telemetry-store.js';
import { percentile, report, seededRandom, timeWithCpu, withTempDir } from './support.js';

const MOVEMENTS = Number(process.env.BENCH_TRACKING_MOVEMENTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_TRACKING_ROUNDS ?? 10);
/** Messages per request: what an e-seal operator's gateway would post in one go. */
const BATCH = Number(process.env.BENCH_TRACKING_BATCH ?? 2_000);
/** Gateways posting at the same time (requests in flight). */
const CLIENTS = Number(process.env.BENCH_TRACKING_CLIENTS ?? 4);
const REPORT_MINUTES = 10;
const START = Date.parse('2026-11-25T03:00:00Z');


/** Realistic itineraries: in at a border crossing, through an inland office, out at another crossing. */
const ROUTES: [string, string, string, string, string[]][] = [
  ['KZ000101', 'KZ000201', 'KZ000108', 'KG000902', ['CN', 'KZ', 'KG']],
  ['KZ000101', 'KZ000214', 'KZ000129', 'RU000904', ['CN', 'KZ', 'RU']],
  ['KZ000104', 'KZ000201', 'KZ000108', 'KG000902', ['CN', 'KZ', 'KG']],
];

const declaration = (index: number, route: (typeof ROUTES)[number]): DeclarationInput => ({
  lrn: `TRKB-${String(index).padStart(8, '0')}`,
  declarationType: 'T1',
  officeOfDeparture: route[0],
  officesOfTransit: [route[1]],
  officesOfExit: [route[2]],
  officeOfDestination: route[3],
  countriesOfRouting: route[4],
  limitDate: '2026-12-20',
  bindingItinerary: true,
  consignor: { name: `Consignor ${index}`, address: { city: 'Urumqi', country: 'CN' } },
  consignee: { name: `Consignee ${index}`, address: { city: 'Bishkek', country: 'KG' } },
  holderOfTheTransitProcedure: { name: `Holder ${index % 500}` },
  transportMeans: [{ identificationType: '30', identification: `${index}ABC`, nationality: 'KZ' }],
  transportEquipment: [{ seals: [{ identifier: `ESB-${index}`, electronic: true }] }],
  goodsItems: [{ hsCode: '610910', description: 'T-shirts', grossMass: 1000, countryOfOrigin: 'CN' }],
});

interface Truck {
  deviceId: string;
  path: { lat: number; lon: number }[];
  progressKm: number;
  kmh: number;
  sequence: number;
  /** A few trucks open their seal on the road, so the run raises alerts and their latency is measured. */
  breachAtRound: number;
}

const position = (truck: Truck): { lat: number; lon: number } => {
  let left = truck.progressKm;
  for (let i = 1; i < truck.path.length; i++) {
    const a = truck.path[i - 1]!;
    const b = truck.path[i]!;
    const km = Math.hypot((b.lat - a.lat) * 111, (b.lon - a.lon) * 111 * Math.cos((a.lat * Math.PI) / 180));
    if (left <= km) return { lat: a.lat + ((b.lat - a.lat) * left) / km, lon: a.lon + ((b.lon - a.lon) * left) / km };
    left -= km;
  }
  return truck.path.at(-1)!;
};

/** One round: every truck reports once, REPORT_MINUTES of data time apart, spread over the round. */
const roundMessages = (trucks: Truck[], round: number, random: ReturnType<typeof seededRandom>): TelemetryMessage[] => {
  const base = START + 60_000 + round * REPORT_MINUTES * 60_000;
  return trucks.map((truck, i) => {
    truck.progressKm += (truck.kmh * REPORT_MINUTES) / 60;
    const here = position(truck);
    const opened = round >= truck.breachAtRound;
    return {
      deviceId: truck.deviceId,
      messageId: `${truck.deviceId}:${++truck.sequence}`,
      time: new Date(base + Math.floor((i / trucks.length) * REPORT_MINUTES * 60_000)).toISOString(),
      lat: here.lat + (random.next() - 0.5) * 1e-4,
      lon: here.lon + (random.next() - 0.5) * 1e-4,
      speedKmh: truck.kmh,
      sealState: opened ? 'opened' : 'armed',
      battery: 80,
      ...(opened ? { eventCode: '01' } : {}),
    };
  });
};

const heapMb = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

export const run = async (): Promise<void> => {
  const config = loadConfig();
  const geo = loadGeography(config.referenceDir);
  const routes = ROUTES.map((route) => itineraryOf({ officeOfDeparture: route[0], officesOfTransit: [route[1]], officesOfExit: [route[2]], officeOfDestination: route[3], countriesOfRouting: route[4] }, (code) => geo.offices.byCode.get(code)));
  /**
   * The same traffic each time it is asked for, a round at a time: a gateway does not hold a day of
   * messages, and a million of them held in the heap would make the figures those of its collector.
   */
  const traffic = (): { trucks: Truck[]; round(round: number): TelemetryMessage[] } => {
    const random = seededRandom(20261123);
    const trucks: Truck[] = [];
    for (let i = 0; i < MOVEMENTS; i++) {
      const route = i % ROUTES.length;
      trucks.push({
        deviceId: `ESB-${i}`,
        path: routes[route]!,
        progressKm: random.next() * 200,
        kmh: 55 + random.next() * 30,
        sequence: 0,
        breachAtRound: random.next() < 0.01 ? 1 + Math.floor(random.next() * (ROUNDS - 1)) : Number.POSITIVE_INFINITY,
      });
    }
    return { trucks, round: (round) => roundMessages(trucks, round, random) };
  };
  const total = MOVEMENTS * ROUNDS;

  const withDetection = await withTempDir(async (dir) => {
    const clock = new ManualClock(new Date(START - 3_600_000));
    const context = await createAppContext({ ...config, dataDir: dir, databaseUrl: null }, { clock, ids: ulidGenerator() });
    try {
      const declarations = Array.from({ length: MOVEMENTS }, (_, i) => {
        const input = declaration(i, ROUTES[i % ROUTES.length]!);
        return { input, format: 'json' as const, original: JSON.stringify(input) };
      });
      await context.movements.declareMany(declarations, 'bench');
      const events = declarations.flatMap(({ input }) => [
        { input: { id: `${input.lrn}:a`, lrn: input.lrn, type: 'accepted', time: new Date(START - 1_800_000).toISOString(), office: input.officeOfDeparture } },
        { input: { id: `${input.lrn}:r`, lrn: input.lrn, type: 'released', time: new Date(START).toISOString(), office: input.officeOfDeparture } },
      ]);
      await context.movements.recordEvents(events, 'bench');
      // Each round's batches after the previous round's, as the gateways would send them.
      const live = traffic();
      let round = 0;
      const waiting: TelemetryMessage[][] = [];
      const nextBatch = (): TelemetryMessage[] | undefined => {
        if (waiting.length === 0 && round < ROUNDS) {
          const messages = live.round(round++);
          for (let i = 0; i < messages.length; i += BATCH) waiting.push(messages.slice(i, i + BATCH));
        }
        return waiting.shift();
      };
      const heapBefore = heapMb();
      const latencies: number[] = [];
      const alertLatencies: number[] = [];
      // CLIENTS gateways post concurrently and without pause, each its next batch as soon as the previous
      // one is acknowledged: sustained ingestion, with no lull at the end of a round.
      const client = async (): Promise<void> => {
        for (let batch = nextBatch(); batch; batch = nextBatch()) {
          // The clock follows the data so that no message is ahead of it; batches in flight overlap, so only forward.
          const latest = batch.at(-1)!.time;
          if (Date.parse(latest) > clock.now().getTime()) clock.set(latest);
          const arrived = performance.now();
          const outcome = await context.tracking.ingest(batch.map((input) => ({ input })));
          const latency = performance.now() - arrived;
          if (outcome.accepted !== batch.length) throw new Error(`accepted ${outcome.accepted} of ${batch.length}`);
          latencies.push(latency);
          if (batch.some((m) => m.eventCode === '01' && m.messageId.endsWith(`:${live.trucks[Number(m.deviceId.slice(4))]!.breachAtRound + 1}`))) alertLatencies.push(latency);
        }
      };
      // Until every message is in its final, device-ordered place: the fold is part of the cost.
      const spent = await timeWithCpu(async () => {
        await Promise.all(Array.from({ length: CLIENTS }, client));
        await context.tracking.foldTelemetry();
      });
      const heapAfter = heapMb();
      const stored = await context.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM alerts WHERE type = 'tracking.seal_opened'");
      latencies.sort((a, b) => a - b);
      alertLatencies.sort((a, b) => a - b);
      return {
        rate: total / (spent.ms / 1000),
        cpuMicros: (spent.cpuMs * 1000) / total,
        p99: percentile(latencies, 99),
        p99Alert: percentile(alertLatencies, 99),
        alerts: Number(stored?.n ?? 0),
        heapGrowthMb: heapAfter - heapBefore,
        active: context.tracking.activeMovements,
      };
    } finally {
      await context.close();
    }
  });
  report(`ingest with detection, SQLite (${MOVEMENTS} movements, ${CLIENTS} clients × ${BATCH})`, {
    messages: total,
    'msg/s': Math.round(withDetection.rate),
    'CPU µs/msg': withDetection.cpuMicros,
    'p99 arrival→commit ms': withDetection.p99,
    'p99 arrival→alert ms': withDetection.p99Alert,
    'seal alerts': withDetection.alerts,
    'active movements': withDetection.active,
  });

  const raw = await withTempDir(async (dir) => {
    const db = openSqlite({ file: path.join(dir, 'raw.db') });
    await migrate(db);
    const receivedAt = new Date().toISOString();
    const telemetry = new TelemetryStore(db, serialRunner());
    await telemetry.start();
    // The same rows committed CLIENTS batches at a time, as group commit does with CLIENTS gateways, and
    // folded into device order as ingestion does.
    const spent = await timeWithCpu(async () => {
      const replayed = traffic();
      for (let round = 0; round < ROUNDS; round++) {
        const messages = replayed.round(round);
        for (let start = 0; start < messages.length; start += BATCH * CLIENTS) {
          const batch = messages.slice(start, start + BATCH * CLIENTS).map((m) => ({ ...m, movementId: null, receivedAt }));
          // Requests arrive through the event loop; without a turn of it here the fold would never get one.
          await new Promise<void>((resolve) => setImmediate(resolve));
          const inserted = await db.transaction((tx) => telemetry.insert(tx, batch));
          telemetry.committed(inserted.length);
        }
      }
      await telemetry.foldIfDue();
    });
    await db.close();
    return { rate: total / (spent.ms / 1000), cpuMicros: (spent.cpuMs * 1000) / total };
  });
  report(`raw insert of the same rows, no detection, ${BATCH * CLIENTS} per commit`, { 'msg/s': Math.round(raw.rate), 'CPU µs/msg': raw.cpuMicros, 'detection/raw': (withDetection.rate / raw.rate).toFixed(2) });

  // Detector state per movement, measured on its own: prepared movement + state after a few fixes.
  const env = { geo, thresholds: defaultThresholds, corridors: new CorridorCache(geo) };
  const sample = traffic();
  const firstRounds = [0, 1, 2].map((round) => sample.round(round));
  const before = heapMb();
  const held = sample.trucks.map((truck, i) => {
    const movement = prepareMovement(
      { movementId: `M${i}`, lrn: `L${i}`, itinerary: routes[i % routes.length]!, countriesOfRouting: ROUTES[i % ROUTES.length]![4], deviceIds: [truck.deviceId], releasedAt: new Date(START).toISOString(), limitAt: '2026-12-20T23:59:59.999Z', phase: 'released' },
      env,
    );
    const state = initialState(movement, defaultThresholds);
    for (const messages of firstRounds) observeMessage(state, movement, env, messages[i]!);
    return { movement, state };
  });
  const perMovementBytes = ((heapMb() - before) * 1024 * 1024) / held.length;
  report('memory per active movement (detector state)', { bytes: Math.round(perMovementBytes), 'heap growth during ingest MB': withDetection.heapGrowthMb.toFixed(1) });
};
