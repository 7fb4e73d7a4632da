import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { declarationWith } from '../../tests/support/movement-fixtures.js';
import { testStores } from '../../tests/support/stores.js';
import { AlertService } from '../alerts/alert.service.js';
import type { Db } from '../db/db.js';
import { ManualClock } from '../shared/clock.js';
import { sequentialIds } from '../shared/ids.js';
import { MovementService } from '../movements/movement.service.js';
import { dashboardFigures } from './dashboard.js';

for (const store of testStores) {
  describe(`dashboard figures on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    const clock = new ManualClock('2026-11-24T09:00:00Z');

    before(async () => {
      if (skip) return;
      db = await store.open();
      const movements = new MovementService({
        db,
        clock,
        ids: sequentialIds('M'),
        references: { officeExists: () => true, checkHsCode: (code) => ({ ok: true, normalised: code }) },
      });
      const declared = await movements.declareMany(
        [
          { input: declarationWith({ lrn: 'DASH-1', officeOfDeparture: 'KZ000101', officeOfDestination: 'KG000902' }), format: 'json', original: '{}' },
          { input: declarationWith({ lrn: 'DASH-2', officeOfDeparture: 'KZ000101', officeOfDestination: 'RU000001' }), format: 'json', original: '{}' },
          { input: declarationWith({ lrn: 'DASH-3', officeOfDeparture: 'KZ000103', officeOfDestination: 'KG000902' }), format: 'json', original: '{}' },
        ],
        'test',
      );
      assert.equal(declared.accepted.length, 3);
      const second = declared.accepted.find((movement) => movement.lrn === 'DASH-2')!;
      const alerts = new AlertService({ db, clock, ids: sequentialIds('A') });
      await alerts.raiseNow([
        { dedupKey: 'g1', type: 'goods.controlled', source: 'goods', rule: 'r', ruleVersion: '1', severity: 'high', score: 0.9, title: 'Controlled', movementId: second.id, evidence: {}, observedAt: '2026-11-24T08:00:00Z' },
        { dedupKey: 't1', type: 'tracking.silence', source: 'tracking', rule: 'r', ruleVersion: '1', severity: 'medium', score: 0.5, title: 'Silent', movementId: second.id, evidence: {}, observedAt: '2026-11-24T08:30:00Z' },
      ]);
    });
    after(async () => {
      if (!skip) await db.close();
    });

    it('counts movements by state and office, alerts by day, controlled goods by route', { skip }, async () => {
      const figures = await dashboardFigures(db, 'all', '2026-11-01T00:00:00.000Z');
      assert.deepEqual(figures.movementsByState, [{ state: 'submitted', count: 3 }]);
      assert.deepEqual(figures.movementsByOffice, [
        { office: 'KZ000101', state: 'submitted', count: 2 },
        { office: 'KZ000103', state: 'submitted', count: 1 },
      ]);
      assert.deepEqual(figures.controlledGoodsByRoute, [{ departure: 'KZ000101', destination: 'RU000001', type: 'goods.controlled', count: 1 }]);
      assert.deepEqual(
        figures.detectionsPerDay.map((row) => [row['source'], row['count']]).sort(),
        [['goods', 1], ['tracking', 1]],
      );
      assert.deepEqual(figures.overdueByOffice, []);
    });

    it('counts only the movements of the offices a caller is limited to', { skip }, async () => {
      const figures = await dashboardFigures(db, ['KZ000103'], '2026-11-01T00:00:00.000Z');
      assert.deepEqual(figures.movementsByState, [{ state: 'submitted', count: 1 }]);
      assert.deepEqual(figures.detectionsPerDay, []);
      assert.deepEqual((await dashboardFigures(db, 'all', '2026-11-25T00:00:00.000Z')).alertsByTypePerDay, []);
    });
  });
}
