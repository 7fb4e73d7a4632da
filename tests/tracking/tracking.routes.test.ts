import assert from 'node:assert/strict';
import { authHeaders, injectWith } from '../support/auth.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { openSqlite } from '../../src/db/sqlite.js';
import { buildHttpApp } from '../../src/http/app.js';
import { type AppContext, createAppContext } from '../../src/main.js';
import { ManualClock } from '../../src/shared/clock.js';
import { contractsDir, exampleEvents } from '../support/movement-fixtures.js';

describe('tracking HTTP API', () => {
  let context: AppContext;
  let app: FastifyInstance;
  let inject: ReturnType<typeof injectWith>;

  before(async () => {
    const db = openSqlite({ file: ':memory:' });
    await migrate(db);
    context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-25T05:00:00Z') });
    app = await buildHttpApp(context, { logLevel: 'silent', bodyLimitBytes: 256 * 1024 });
    inject = injectWith(app, await authHeaders(context, 'integration'));
  });
  after(async () => {
    await app.close();
    await context.close();
  });

  it('ingests the contract telemetry as NDJSON, reports bad lines and duplicates, and serves the track', async () => {
    const declared = await inject({ method: 'POST', url: '/api/v1/movements', payload: readFileSync(path.join(contractsDir, 'declaration.example.json'), 'utf8'), headers: { 'content-type': 'application/json' } });
    assert.equal(declared.statusCode, 201, declared.body);
    const movementId = (declared.json() as { id: string }).id;
    for (const event of exampleEvents().slice(0, 2)) {
      const response = await inject({ method: 'POST', url: '/api/v1/events', payload: event });
      assert.equal(response.statusCode, 201, response.body);
    }
    (context.clock as ManualClock).set('2026-11-25T08:00:00Z');
    const lines = readFileSync(path.join(contractsDir, 'telemetry.example.ndjson'), 'utf8').trim().split('\n');
    const body = [...lines, lines[0], '{"deviceId": "ES-KZ-0004711", "messageId"', JSON.stringify({ ...JSON.parse(lines[0]!), messageId: 'x', sealState: 'ajar' })].join('\n');
    const response = await inject({ method: 'POST', url: '/api/v1/telemetry', payload: body, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(response.statusCode, 200, response.body);
    const report = response.json() as { accepted: number; duplicates: number; rejected: { index: number; line: number; reasons: { path: string }[] }[] };
    assert.equal(report.accepted, 3);
    assert.equal(report.duplicates, 1);
    assert.deepEqual(report.rejected.map((r) => [r.index, r.line, r.reasons.map((reason) => reason.path)]), [[4, 5, ['']], [5, 6, ['sealState']]]);

    const alerts = (await context.alerts.forMovement(movementId)).filter((alert) => alert.type === 'tracking.seal_opened');
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.observedAt, '2026-11-25T07:55:00.000Z');

    const track = await inject({ method: 'GET', url: `/api/v1/movements/${movementId}/track` });
    assert.equal(track.statusCode, 200, track.body);
    const trackBody = track.json() as { devices: { deviceId: string }[]; positions: { time: string }[]; sealEvents: { eventCode?: string }[] };
    assert.deepEqual(trackBody.devices.map((d) => d.deviceId), ['ES-KZ-0004711']);
    assert.equal(trackBody.positions.length, 3);
    assert.deepEqual(trackBody.sealEvents.map((m) => m.eventCode), ['01']);

    const positions = await inject({ method: 'GET', url: '/api/v1/tracking/positions' });
    assert.deepEqual((positions.json() as { items: { movementId: string; lat: number }[] }).items.map((p) => [p.movementId, p.lat]), [[movementId, 44.1213]]);
    // An officer sees the movements touching their offices only, on the map and in a device's messages.
    const elsewhere = injectWith(app, await authHeaders(context, 'officer', ['KZ000129']));
    const atExit = injectWith(app, await authHeaders(context, 'officer', ['KZ000108']));
    const positionsOf = async (caller: typeof inject) => ((await caller({ method: 'GET', url: '/api/v1/tracking/positions' })).json() as { items: unknown[] }).items.length;
    assert.equal(await positionsOf(elsewhere), 0);
    assert.equal(await positionsOf(atExit), 1);
    const messagesOf = async (caller: typeof inject) => ((await caller({ method: 'GET', url: '/api/v1/tracking/devices/ES-KZ-0004711/messages' })).json() as { items: unknown[] }).items.length;
    assert.equal(await messagesOf(elsewhere), 0);
    assert.equal(await messagesOf(atExit), 3);
    assert.equal((await elsewhere({ method: 'GET', url: `/api/v1/movements/${movementId}/track` })).statusCode, 404);

    const array = await inject({ method: 'POST', url: '/api/v1/telemetry', payload: JSON.stringify([JSON.parse(lines[1]!)]), headers: { 'content-type': 'application/json' } });
    assert.deepEqual(array.json(), { accepted: 0, duplicates: 1, rejected: [] });
  });

  it('answers 404 for the track of an unknown movement', async () => {
    const response = await inject({ method: 'GET', url: '/api/v1/movements/NOPE/track' });
    assert.equal(response.statusCode, 404);
  });
});
