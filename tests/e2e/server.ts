import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { openSqlite } from '../../src/db/sqlite.js';
import { buildHttpApp } from '../../src/http/app.js';
import { type AppContext, createAppContext } from '../../src/main.js';
import { defaultListImports } from '../../src/screening/default-lists.js';
import { ManualClock } from '../../src/shared/clock.js';
import { TrafficFeed } from '../../src/sim/index.js';
import { replay, type ReplayLine } from '../../src/tracking/replay.js';

export interface TestServer {
  url: string;
  context: AppContext;
  clock: ManualClock;
  app: FastifyInstance;
  close(): Promise<void>;
}

export interface SeedOptions {
  movements: number;
  /** Hours of simulated traffic replayed before the server starts; movements still on the road are active. */
  hours: number;
  seed?: number;
}

const START = new Date('2026-11-20T06:00:00Z');

/**
 * A real server on a temporary SQLite file, filled by replaying simulated traffic through the live
 * services (declarations, office events, e-seal telemetry, detectors), so every screen shows what the
 * services really produce.
 */
export const startServer = async (seed: SeedOptions): Promise<TestServer> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caravan-e2e-'));
  const config = loadConfig();
  const db = openSqlite({ file: path.join(dir, 'caravan.sqlite') });
  await migrate(db);
  const clock = new ManualClock(START);
  const context = await createAppContext(config, { db, clock });
  // The OFAC SDN list: real listed names for the screening page and real hits on declared parties.
  for (const list of defaultListImports(config.referenceDir).filter((candidate) => candidate.options.source === 'ofac-sdn')) {
    await context.screening.importFiles(list.files, list.options);
  }
  const feed = new TrafficFeed({ movements: seed.movements, days: 1, seed: seed.seed ?? 11, start: START, scenarios: true, evasionRate: 0.3, referenceDir: config.referenceDir });
  const input: Record<'declarations' | 'events' | 'telemetry', ReplayLine[]> = { declarations: [], events: [], telemetry: [] };
  for (const record of feed.takeUntil(new Date(START.getTime() + seed.hours * 3_600_000))) {
    if (record.kind === 'truth') continue;
    const bucket = record.kind === 'declaration' ? input.declarations : record.kind === 'event' ? input.events : input.telemetry;
    bucket.push({ line: bucket.length + 1, value: record.record, text: JSON.stringify(record.record) });
  }
  await replay(context, clock, input);
  await context.goods.drain();
  await context.partyScreening.drain();
  const app = await buildHttpApp(context, { logLevel: 'silent', bodyLimitBytes: 1024 * 1024 });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    context,
    clock,
    app,
    close: async () => {
      await app.close();
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
