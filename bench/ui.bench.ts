import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { openSqlite } from '../src/db/sqlite.js';
import { buildHttpApp } from '../src/http/app.js';
import { createAppContext } from '../src/main.js';
import type { DeclarationInput } from '../src/movements/declaration.js';
import { ManualClock } from '../src/shared/clock.js';
import { exampleDeclaration } from '../tests/support/movement-fixtures.js';
import { buildWeb, launchBrowser } from '../tests/e2e/browser.js';
import { createAccount } from '../tests/e2e/session.js';
import { percentile, report, seededRandom, timeMs, withTempDir } from './support.js';

const MOVEMENTS = Number(process.env.BENCH_UI_MOVEMENTS ?? 10_000);
const LOADS = Number(process.env.BENCH_UI_LOADS ?? 5);
const random = seededRandom(20261123);
const RELEASED_AT = new Date('2026-11-23T04:00:00Z');

/**
 * 10,000 movements declared, accepted and released through the real services, each with one e-seal
 * fix somewhere between its office of departure and its office of exit, then the map page loaded
 * cold (new browser context, empty cache, signed in through the API) until every movement is drawn.
 */
export const run = async (): Promise<void> => {
  await buildWeb();
  await withTempDir(async (dir) => {
    const db = openSqlite({ file: path.join(dir, 'ui.sqlite') });
    await migrate(db);
    const clock = new ManualClock(RELEASED_AT);
    const context = await createAppContext(loadConfig(), { db, clock });
    const offices = context.offices.list().filter((office) => office.latitude !== null && office.country === 'KZ');
    const crossings = offices.filter((office) => office.role === 'border_crossing');
    const foreign = context.offices.list().filter((office) => office.role === 'foreign_destination');
    const base = exampleDeclaration();
    const plans = Array.from({ length: MOVEMENTS }, (_, index) => {
      const departure = random.pick(offices);
      const exit = random.pick(crossings);
      const declaration: DeclarationInput = {
        ...base,
        lrn: `UI-BENCH-${String(index).padStart(6, '0')}`,
        officeOfDeparture: departure.code,
        officesOfTransit: [],
        officesOfExit: [exit.code],
        officeOfDestination: random.pick(foreign).code,
        limitDate: '2026-12-05',
        transportEquipment: [{ containerIdentificationNumber: 'MSKU1234565', seals: [{ identifier: `ES-UI-${index}`, electronic: true }] }],
      };
      const t = random.next();
      return { declaration, fix: { lat: departure.latitude! + (exit.latitude! - departure.latitude!) * t, lon: departure.longitude! + (exit.longitude! - departure.longitude!) * t } };
    });
    const seedMs = await timeMs(async () => {
      await context.movements.declareMany(plans.map(({ declaration }) => ({ input: declaration, format: 'json' as const, original: JSON.stringify(declaration) })), 'bench');
      const at = (minutes: number) => new Date(RELEASED_AT.getTime() + minutes * 60_000).toISOString();
      await context.movements.recordEvents(
        plans.flatMap(({ declaration }, index) => [
          { input: { id: `A-${index}`, lrn: declaration.lrn, type: 'accepted', time: at(0), office: declaration.officeOfDeparture } },
          { input: { id: `R-${index}`, lrn: declaration.lrn, type: 'released', time: at(5), office: declaration.officeOfDeparture } },
        ]),
        'bench',
      );
      clock.set(new Date(at(20)));
      await context.tracking.ingest(
        plans.map(({ fix }, index) => ({
          input: { deviceId: `ES-UI-${index}`, messageId: `ES-UI-${index}:1`, time: at(15), lat: fix.lat, lon: fix.lon, speedKmh: 70, sealState: 'armed', battery: 90 },
        })),
      );
    });
    const active = context.tracking.positions().length;
    report('ui seed (declare, release, one fix each)', { movements: MOVEMENTS, withPosition: active, seconds: seedMs / 1000 });

    const app = await buildHttpApp(context, { logLevel: 'silent', bodyLimitBytes: 1024 * 1024 });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const analyst = await createAccount(context, 'analyst');
    const browser = await launchBrowser();
    try {
      const loads: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        const browserContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
        const page = await browserContext.newPage();
        const signedIn = await browserContext.request.post(`${url}/api/v1/auth/login`, { data: { username: analyst.username, password: analyst.password } });
        if (!signedIn.ok()) throw new Error(`sign-in failed: ${signedIn.status()}`);
        const ms = await timeMs(async () => {
          await page.goto(`${url}/map`);
          await page.waitForFunction(`Number(document.querySelector('[data-testid=map]')?.getAttribute('data-rendered-movements')) === ${active}`, undefined, {
            timeout: 60_000,
          });
        });
        loads.push(ms);
        const phases = (await page.evaluate(
          `Object.fromEntries([...performance.getEntriesByType('mark').map((m) => [m.name.replace('caravan:', ''), Math.round(m.startTime)]), ...performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/v1/')).map((r) => [new URL(r.name).pathname.replace('/api/v1/', ''), Math.round(r.responseEnd)])])`,
        )) as Record<string, number>;
        report(`  load ${i + 1}`, { totalMs: ms, ...phases });
        await browserContext.close();
      }
      loads.sort((a, b) => a - b);
      report('map first load, cold cache, all drawn', { movements: active, runs: LOADS, medianMs: percentile(loads, 50), maxMs: loads.at(-1)!, target: '< 2000 ms' });

      // Queue: 200 open alerts on as many movements, raised through the alert service.
      const movementIds = context.tracking.positions().slice(0, 200).map((position) => position.movementId);
      await context.alerts.raiseNow(
        movementIds.map((movementId, index) => ({
          dedupKey: `bench:${movementId}`,
          type: index % 3 === 0 ? 'tracking.unscheduled_stop' : index % 3 === 1 ? 'tracking.route_deviation' : 'tracking.silence',
          source: 'tracking' as const,
          rule: 'bench',
          ruleVersion: '1',
          severity: (['low', 'medium', 'high', 'critical'] as const)[index % 4]!,
          score: 0.5,
          title: `Bench finding ${index}`,
          movementId,
          evidence: { index },
          observedAt: RELEASED_AT.toISOString(),
        })),
      );
      const browserContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await browserContext.request.post(`${url}/api/v1/auth/login`, { data: { username: analyst.username, password: analyst.password } });
      const page = await browserContext.newPage();
      await page.goto(`${url}/queue`);
      await page.getByTestId('queue-rows').locator('tr').nth(150).waitFor();
      // Time from the key event to the next painted frame, measured in the page.
      const keyTimes = async (key: string, presses: number): Promise<number[]> =>
        (await page.evaluate(`(async () => {
          const rows = document.querySelectorAll('[data-testid=queue-rows] tr');
          rows[0].focus();
          const times = [];
          for (let i = 0; i < ${presses}; i++) {
            const start = performance.now();
            document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: '${key}', bubbles: true }));
            await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
            times.push(performance.now() - start);
          }
          return times;
        })()`)) as number[];
      const rows = await page.getByTestId('queue-rows').locator('tr').count();
      for (const [name, key] of [['move down (j)', 'j'], ['select (x)', 'x']] as const) {
        const times = (await keyTimes(key, 100)).sort((a, b) => a - b);
        report(`queue ${name}`, { rows, presses: times.length, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), maxMs: times.at(-1)!, target: '< 100 ms' });
      }
      await browserContext.close();
    } finally {
      await browser.close();
      await app.close();
      await context.close();
    }
  });
};
