import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { type AppContext, createAppContext } from '../../src/main.js';
import { ManualClock } from '../../src/shared/clock.js';
import { sequentialIds } from '../../src/shared/ids.js';
import { declarationWith } from '../support/movement-fixtures.js';
import { testStores } from '../support/stores.js';

const message = (deviceId: string, n: number, time: string, lat: number, lon: number, extra: Record<string, unknown> = {}) => ({
  deviceId,
  messageId: `${deviceId}:${n}`,
  time,
  lat,
  lon,
  speedKmh: 60,
  sealState: 'armed',
  battery: 90,
  ...extra,
});

const withSeal = (lrn: string, deviceId: string) =>
  declarationWith({
    lrn,
    transportEquipment: [{ containerIdentificationNumber: 'MSKU1234565', seals: [{ identifier: deviceId, electronic: true }] }],
  });

for (const store of testStores) {
  describe(`tracking service on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    let context: AppContext;
    const clock = new ManualClock('2026-11-25T05:00:00Z');
    let eventSeq = 0;
    const event = (lrn: string, type: string, time: string, office = 'KZ000101') => ({ input: { id: `E-${++eventSeq}`, lrn, type, time, office } });
    const alertsOf = async (movementId: string) => (await context.alerts.forMovement(movementId)).filter((alert) => alert.source === 'tracking');
    const declare = async (lrn: string, deviceId: string) => {
      const input = withSeal(lrn, deviceId);
      return context.movements.declare({ input, format: 'json', original: JSON.stringify(input) }, 'test');
    };

    before(async () => {
      if (skip) return;
      db = await store.open();
      context = await createAppContext(loadConfig(), { db, clock, ids: sequentialIds('T') });
    });
    after(async () => {
      if (!skip) await context.close();
    });

    it('keeps the good messages of a batch, rejects each bad one with its reasons and ignores duplicates', { skip }, async () => {
      clock.set('2026-11-25T07:00:00Z');
      const good = message('ES-LONE-1', 1, '2026-11-25T06:50:00Z', 44.15, 80.39);
      const report = await context.tracking.ingest([
        { input: good, line: 1 },
        { input: { ...good }, line: 2 },
        { input: message('ES-LONE-1', 2, '2026-11-25T09:00:00Z', 44.15, 80.39), line: 3 },
        { input: message('ES-LONE-1', 3, '2026-11-25T06:55:00Z', 95, 80.39), line: 4 },
        { input: { ...message('ES-LONE-1', 4, 'yesterday', 0, 0), sealState: 'ajar', battery: 140 }, line: 5 },
        { input: message('ES-LONE-1', 5, '2026-11-25T06:40:00Z', 44.14, 80.35), line: 6 },
      ]);
      assert.equal(report.accepted, 2);
      assert.equal(report.duplicates, 1);
      assert.deepEqual(report.rejected.map((r) => [r.line, r.reasons.map((reason) => reason.path).sort()]), [
        [3, ['time']],
        [4, ['lat']],
        [5, ['battery', 'lat', 'sealState', 'time']],
      ]);
      const again = await context.tracking.ingest([{ input: good }]);
      assert.deepEqual(again, { accepted: 0, duplicates: 1, rejected: [] });
      const stored = await context.tracking.deviceMessages('ES-LONE-1');
      assert.deepEqual(stored.map((m) => m.time), ['2026-11-25T06:40:00.000Z', '2026-11-25T06:50:00.000Z'], 'placed by time, not arrival');
      assert.ok(stored.every((m) => m.movementId === null), 'an unbound device drives no movement');
    });

    it('commits batches that arrive together in one go and still counts each caller’s own duplicates', { skip }, async () => {
      clock.set('2026-11-25T07:00:00Z');
      const shared = message('ES-LONE-2', 1, '2026-11-25T06:50:00Z', 44.15, 80.39);
      const [first, second] = await Promise.all([
        context.tracking.ingest([{ input: shared }, { input: message('ES-LONE-2', 2, '2026-11-25T06:51:00Z', 44.15, 80.39) }]),
        context.tracking.ingest([{ input: shared }, { input: message('ES-LONE-2', 3, '2026-11-25T06:52:00Z', 44.15, 80.39) }, { input: { bad: true } }]),
      ]);
      assert.deepEqual([first.accepted, first.duplicates], [2, 0]);
      assert.deepEqual([second.accepted, second.duplicates, second.rejected.length], [1, 1, 1]);
      assert.equal((await context.tracking.deviceMessages('ES-LONE-2')).length, 3);
    });

    it('binds the declared e-seal at release, counts messages sent before the release arrived, and raises a seal breach once', { skip }, async () => {
      const movement = await declare('TRK-1', 'ES-TRK-1');
      clock.set('2026-11-25T08:10:00Z');
      // Sealed at departure (at the office, opened for loading then armed), then on the road before the release reaches us.
      await context.tracking.ingest([
        { input: message('ES-TRK-1', 1, '2026-11-25T07:00:00Z', 44.1576, 80.3986, { sealState: 'opened', speedKmh: 0 }) },
        { input: message('ES-TRK-1', 2, '2026-11-25T07:20:00Z', 44.1576, 80.3986, { speedKmh: 0 }) },
        { input: message('ES-TRK-1', 3, '2026-11-25T07:45:00Z', 44.1402, 80.2291) },
        { input: message('ES-TRK-1', 4, '2026-11-25T07:55:00Z', 44.1213, 80.0587, { sealState: 'opened', eventCode: '01' }) },
        { input: message('ES-TRK-1', 5, '2026-11-25T08:05:00Z', 44.11, 79.9, { sealState: 'opened' }) },
      ]);
      assert.deepEqual(await alertsOf(movement.id), [], 'not bound yet');
      await context.movements.recordEvents([event('TRK-1', 'accepted', '2026-11-25T06:00:00Z'), event('TRK-1', 'released', '2026-11-25T07:30:00Z')], 'test');
      const alerts = await alertsOf(movement.id);
      assert.deepEqual(alerts.map((a) => [a.type, a.severity, a.observedAt]), [['tracking.seal_opened', 'critical', '2026-11-25T07:55:00.000Z']]);
      assert.equal((alerts[0]!.evidence.fix as { lat: number }).lat, 44.1213);
      const track = await context.tracking.track(movement.id);
      assert.equal(track.messages, 5);
      assert.deepEqual(track.devices.map((d) => [d.deviceId, d.unboundAt]), [['ES-TRK-1', null]]);
      assert.ok(track.sealEvents.some((m) => m.eventCode === '01'));
      assert.ok(context.tracking.positions().some((p) => p.movementId === movement.id && p.lat === 44.11));
    });

    it('fires silence from the clock with no new message, and stops watching at exit and unbinds at discharge', { skip }, async () => {
      const movement = await declare('TRK-2', 'ES-TRK-2');
      clock.set('2026-11-25T10:00:00Z');
      await context.movements.recordEvents([event('TRK-2', 'accepted', '2026-11-25T09:00:00Z'), event('TRK-2', 'released', '2026-11-25T09:30:00Z')], 'test');
      await context.tracking.ingest([
        { input: message('ES-TRK-2', 1, '2026-11-25T09:40:00Z', 44.14, 80.23) },
        { input: message('ES-TRK-2', 2, '2026-11-25T09:50:00Z', 44.12, 80.06) },
      ]);
      clock.set('2026-11-25T14:00:00Z');
      await context.tracking.tick();
      await context.tracking.tick();
      const silences = (await alertsOf(movement.id)).filter((a) => a.type === 'tracking.silence');
      assert.equal(silences.length, 1, 'one alert per episode');
      assert.equal(silences[0]!.severity, 'medium');
      await context.movements.recordEvents([event('TRK-2', 'exited', '2026-11-25T14:30:00Z', 'KZ000108')], 'test');
      clock.set('2026-11-26T14:00:00Z');
      const before = (await alertsOf(movement.id)).length;
      await context.tracking.tick();
      assert.equal((await alertsOf(movement.id)).length, before, 'nothing is due after exit');
      await context.movements.recordEvents([event('TRK-2', 'discharged', '2026-11-26T15:00:00Z', 'KZ000108')], 'test');
      clock.set('2026-11-26T16:00:00Z');
      await context.tracking.ingest([{ input: message('ES-TRK-2', 3, '2026-11-26T15:30:00Z', 44.12, 80.06, { sealState: 'opened' }) }]);
      const after = await context.tracking.deviceMessages('ES-TRK-2');
      assert.equal(after.at(-1)?.movementId, null, 'unbound at discharge');
      assert.equal((await alertsOf(movement.id)).length, before);
    });

    it('raises overdue when the movement records its overdue event', { skip }, async () => {
      const movement = await declare('TRK-3', 'ES-TRK-3');
      clock.set('2026-11-25T10:00:00Z');
      await context.movements.recordEvents([event('TRK-3', 'accepted', '2026-11-25T09:00:00Z'), event('TRK-3', 'released', '2026-11-25T09:30:00Z')], 'test');
      clock.set('2026-12-06T01:00:00Z');
      await context.movements.sweepOverdue();
      const overdue = (await alertsOf(movement.id)).filter((a) => a.type === 'tracking.overdue');
      assert.equal(overdue.length, 1);
      assert.equal(overdue[0]!.evidence.limitAt, '2026-12-05T23:59:59.999Z');
    });

    it('rebuilds detector state from the store when a new process starts', { skip }, async () => {
      clock.set('2026-11-27T02:00:00Z');
      const movement = await declare('TRK-4', 'ES-TRK-4');
      await context.movements.recordEvents([event('TRK-4', 'accepted', '2026-11-27T01:00:00Z'), event('TRK-4', 'released', '2026-11-27T01:10:00Z')], 'test');
      await context.tracking.ingest([{ input: message('ES-TRK-4', 1, '2026-11-27T01:20:00Z', 44.14, 80.23) }]);
      const restarted = await createAppContext(loadConfig(), { db, clock, ids: sequentialIds('R') });
      assert.ok(restarted.tracking.positions().some((p) => p.movementId === movement.id), 'watching again after restart');
      await restarted.tracking.ingest([{ input: message('ES-TRK-4', 2, '2026-11-27T01:30:00Z', 44.12, 80.06, { sealState: 'tampered', eventCode: '02' }) }]);
      assert.deepEqual((await alertsOf(movement.id)).map((a) => a.type), ['tracking.seal_opened']);
    });
  });
}

