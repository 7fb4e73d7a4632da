import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testStores } from '../../tests/support/stores.js';
import type { Db } from '../db/db.js';
import { ManualClock } from '../shared/clock.js';
import { sequentialIds } from '../shared/ids.js';
import type { Finding } from './alert.js';
import { AlertService } from './alert.service.js';

const finding = (overrides: Partial<Finding> = {}): Finding => ({
  dedupKey: 'tracking.silence:DEV-1:2026-11-24T08:00:00Z',
  type: 'tracking.silence',
  source: 'tracking',
  rule: 'silence',
  ruleVersion: '1',
  severity: 'medium',
  score: 0.6,
  title: 'E-seal DEV-1 silent for 2 h',
  movementId: 'M1',
  deviceId: 'DEV-1',
  evidence: { silentMinutes: 120 },
  observedAt: '2026-11-24T08:00:00Z',
  ...overrides,
});

for (const store of testStores) {
  describe(`alert service on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    let alerts: AlertService;
    const clock = new ManualClock('2026-11-24T09:00:00Z');

    before(async () => {
      if (skip) return;
      db = await store.open();
      alerts = new AlertService({ db, clock, ids: sequentialIds('A') });
    });
    after(async () => {
      if (!skip) await db.close();
    });

    it('opens one alert per dedup key and refreshes it on repeats, keeping the stronger severity', { skip }, async () => {
      const [first] = await alerts.raiseNow([finding()]);
      assert.equal(first?.created, true);
      clock.advance(60_000);
      const [second] = await alerts.raiseNow([finding({ severity: 'high', score: 0.4, evidence: { silentMinutes: 180 } })]);
      assert.equal(second?.created, false);
      assert.equal(second?.alert.id, first?.alert.id);
      const stored = await alerts.get(first!.alert.id);
      assert.equal(stored?.severity, 'high');
      assert.equal(stored?.score, 0.6);
      assert.equal(stored?.occurrences, 2);
      assert.deepEqual(stored?.evidence, { silentMinutes: 180 });
      assert.equal(stored?.raisedAt, '2026-11-24T09:00:00.000Z');
      const [third] = await alerts.raiseNow([finding({ severity: 'low' })]);
      assert.equal((await alerts.get(third!.alert.id))?.severity, 'high');
      assert.equal((await alerts.forMovement('M1')).length, 1);
    });

    it('rolls the alert back with the transaction that raised it', { skip }, async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await alerts.raise(tx, [finding({ dedupKey: 'rolled-back', movementId: 'M2' })]);
          throw new Error('the caller failed after raising');
        }),
        /caller failed/,
      );
      assert.deepEqual(await alerts.forMovement('M2'), []);
    });

    it('tells listeners what was raised, inside the same transaction', { skip }, async () => {
      const seen: string[] = [];
      alerts.onRaised(async (tx, outcomes) => {
        const row = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM alerts WHERE movement_id = ?', ['M3']);
        seen.push(...outcomes.map((outcome) => `${outcome.alert.type}:${outcome.created}:${Number(row?.n)}`));
      });
      await alerts.raiseNow([finding({ dedupKey: 'listener', movementId: 'M3', type: 'goods.controlled', source: 'goods' })]);
      assert.deepEqual(seen, ['goods.controlled:true:1']);
    });

    it('asks where raised alerts go in the queue before writing them, and writes new ones placed', { skip }, async () => {
      const asked: string[] = [];
      alerts.placeWith(async (tx, outcomes) => {
        const stored = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM alerts WHERE movement_id = ?', ['M4']);
        asked.push(...outcomes.map((outcome) => `${outcome.alert.dedupKey}:${outcome.created}:${Number(stored?.n)}`));
        return new Map([['M4', { risk: 42.5, offices: ',KZ000101,KZ000135,', corridor: 'KZ000101>RU' }]]);
      });
      await alerts.raiseNow([finding({ dedupKey: 'placed', movementId: 'M4', severity: 'high', findingCount: 3 })]);
      assert.deepEqual(asked, ['placed:true:0']);
      const [queued] = (await alerts.queue({ movementId: 'M4' }, { limit: 5, sort: 'risk' })).items;
      assert.deepEqual([queued?.risk, queued?.offices, queued?.corridor, queued?.findingCount], [42.5, ['KZ000101', 'KZ000135'], 'KZ000101>RU', 3]);
      const rank = await db.get<{ severity_rank: number }>('SELECT severity_rank FROM alerts WHERE dedup_key = ?', ['placed']);
      assert.equal(Number(rank?.severity_rank), 2);
    });
  });
}
