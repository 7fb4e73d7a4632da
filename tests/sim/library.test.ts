import assert from 'node:assert/strict';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { TrafficFeed, generateTraffic, sendToServer, simulationOptions } from '../../src/sim/index.js';

const referenceDir = loadConfig().referenceDir;
const base = { movements: 60, start: '2026-11-20T00:00:00Z', durationDays: 4, seed: 3, scenarios: true, evasionRate: 0.4, referenceDir };

describe('simulator library', () => {
  it('generates traffic around a moment: finished movements, lorries en route, evasions already under way', () => {
    const until = '2026-11-23T00:00:00.000Z';
    const data = generateTraffic({ ...base, until });
    const everything = generateTraffic(base);
    assert.ok(data.declarations.length > 0, 'some declared');
    assert.ok(data.declarations.length < 60, 'not all declared yet');
    assert.ok(data.telemetry.every((t) => t.time <= until));
    assert.ok(data.truth.every((t) => t.start <= until));
    const discharged = new Set(data.events.filter((e) => e.type === 'exited' || e.type === 'arrived').map((e) => e.lrn));
    const released = new Set(data.events.filter((e) => e.type === 'released').map((e) => e.lrn));
    assert.ok(discharged.size > 0, 'some movements have left Kazakhstan or arrived');
    assert.ok([...released].some((lrn) => !discharged.has(lrn)), 'some are still en route');
    assert.ok(everything.truth.length > data.truth.length);
    assert.deepEqual(data.telemetry, everything.telemetry.slice(0, data.telemetry.length), 'the prefix of the same data');
  });

  it('gives movements an unmeetable time limit when asked, so they go overdue en route', () => {
    const data = generateTraffic({ ...base, scenarios: false, overdueRate: 1, movements: 10 });
    const late = data.declarations.filter((declaration) => {
      const end = data.events.find((e) => e.lrn === declaration.lrn && (e.type === 'exited' || e.type === 'arrived'));
      return end !== undefined && end.time.slice(0, 10) > declaration.limitDate!;
    });
    // The limit is the day of release; only a short trip released early in the day could still make it.
    assert.ok(late.length >= 8, `${late.length} of 10 overdue`);
  });

  it('hands a feed out as time passes, each record once, in time order', () => {
    const feed = new TrafficFeed(simulationOptions(base));
    const first = feed.takeUntil(new Date('2026-11-21T00:00:00Z'));
    const second = feed.takeUntil(new Date('2026-11-21T00:00:00Z'));
    const rest = feed.takeUntil(new Date('2030-01-01T00:00:00Z'));
    assert.equal(second.length, 0);
    assert.ok(feed.done);
    const all = [...first, ...rest];
    assert.ok(all.every((record, i) => i === 0 || record.time >= all[i - 1]!.time));
    assert.equal(all.filter((r) => r.kind === 'declaration').length, 60);
  });

  it('sends a feed to a server in windows: declarations, then events, then telemetry, with the bearer token', async () => {
    const requests: { path: string; auth: string | undefined; type: string | undefined; lines: Record<string, unknown>[] }[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const lines = body.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
        requests.push({ path: request.url ?? '', auth: request.headers.authorization, type: request.headers['content-type'], lines });
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(request.url?.includes('events') ? { applied: lines.length, refused: [], rejected: [] } : { accepted: lines.length, rejected: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      let clock = new Date('2026-11-21T00:00:00Z').getTime();
      const feed = new TrafficFeed(simulationOptions({ ...base, movements: 6, durationDays: 1 }));
      const waits: number[] = [];
      const report = await sendToServer(feed, {
        url: `http://127.0.0.1:${port}/`,
        token: 'secret-token',
        batchSize: 400,
        now: () => new Date(clock),
        // The fake clock jumps a day at each wait, so records dated after "now" wait for their time.
        sleep: async (ms) => {
          waits.push(ms);
          clock += 24 * 3_600_000;
        },
      });
      assert.ok(waits.length > 0, 'future records waited for their time');
      assert.equal(report.problemCount, 0);
      assert.equal(report.sent.declarations, 6);
      assert.ok(requests.every((r) => r.auth === 'Bearer secret-token' && r.type === 'application/x-ndjson'));
      const declaredAt = new Map<string, number>();
      requests.forEach((request, i) => {
        if (request.path === '/api/v1/movements/bulk') for (const line of request.lines) declaredAt.set(line.lrn as string, i);
        if (request.path === '/api/v1/events/bulk') {
          for (const line of request.lines) assert.ok((declaredAt.get(line.lrn as string) ?? Infinity) <= i, 'declared before its events');
        }
      });
      const telemetry = requests.filter((r) => r.path === '/api/v1/telemetry').flatMap((r) => r.lines);
      assert.equal(telemetry.length, report.sent.telemetry);
      assert.ok(telemetry.every((t, i) => i === 0 || (t.time as string) >= (telemetry[i - 1]!.time as string)));
    } finally {
      server.close();
    }
  });
});
