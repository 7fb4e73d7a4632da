import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exampleDeclaration } from '../../tests/support/movement-fixtures.js';
import { testStores } from '../../tests/support/stores.js';
import { loadConfig } from '../config.js';
import type { Db } from '../db/db.js';
import { type AppContext, createAppContext } from '../main.js';
import type { DeclarationInput } from '../movements/declaration.js';
import { ManualClock } from '../shared/clock.js';
import { sequentialIds } from '../shared/ids.js';

const toRussia = { officesOfExit: ['KZ000135'], officeOfDestination: 'RU000905', countriesOfRouting: ['KZ', 'RU'] };
const tShirts = (amount: number) => [{ hsCode: '610910', description: 'Cotton T-shirts', grossMass: 800, netMass: 760, value: { amount, currency: 'USD' } }];

for (const store of testStores) {
  describe(`the goods drain on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    let context: AppContext;
    let failRaising = false;

    before(async () => {
      if (skip) return;
      db = await store.open();
      context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-24T08:00:00Z'), ids: sequentialIds('D') });
      context.alerts.onRaised(async () => {
        if (failRaising) throw new Error('the store went away while raising');
      });
    });
    after(async () => {
      if (!skip) await context.close();
    });

    const declareAll = async (inputs: DeclarationInput[]) => {
      const report = await context.movements.declareMany(
        inputs.map((input, index) => ({ input, format: 'json' as const, original: '{}', line: index + 1 })),
        'test',
      );
      assert.equal(report.accepted.length, inputs.length, JSON.stringify(report.rejected[0]));
      return report.accepted.map((accepted) => accepted.id);
    };
    const declaration = (lrn: string, overrides: Partial<DeclarationInput>) => ({ ...exampleDeclaration(), lrn, ...overrides }) as DeclarationInput;

    it('checks a queue of many steps in one drain: each step judged on the values of the steps before, every result, alert and risk stored', { skip }, async () => {
      // 520 ordinary T-shirt consignments fill the first step of 500 and start the second, where a 16× too
      // cheap one is judged against the first step's values.
      const ordinary = Array.from({ length: 520 }, (_, index) => declaration(`DRAIN-TEE-${String(index).padStart(4, '0')}`, { goodsItems: tShirts(6000 + (index % 20) * 50) }));
      const ids = await declareAll([
        ...ordinary,
        declaration('DRAIN-TEE-CHEAP', { goodsItems: tShirts(400) }),
        declaration('DRAIN-MCU-DECOY', { ...toRussia, goodsItems: [{ hsCode: '854370', description: 'STM32F407 microcontroller boards', grossMass: 80, netMass: 70, value: { amount: 60000, currency: 'USD' } }] }),
        declaration('DRAIN-CHPL-RU', toRussia),
      ]);
      const [cheap, decoy, chpl] = ids.slice(-3) as [string, string, string];

      assert.equal(await context.goods.drain(), ids.length);
      for (const id of [ids[0]!, cheap, decoy, chpl]) assert.equal(await context.goods.isPending(id), false);
      const stored = await db.get<{ count: number }>('SELECT COUNT(*) AS count FROM goods_checks');
      assert.equal(Number(stored?.count), ordinary.length + 1 + 1 + 2);

      const keysOf = async (id: string) => (await context.alerts.forMovement(id)).map((alert) => `${alert.dedupKey} ${alert.severity}`).sort();
      assert.deepEqual(await keysOf(cheap), [`goods:${cheap}:0:value_anomaly medium`]);
      assert.deepEqual(await keysOf(decoy), [`goods:${decoy}:0:misdeclared high`]);
      assert.deepEqual(await keysOf(chpl), [`goods:${chpl}:0:route:eu-chpl:854231 critical`]);
      assert.deepEqual(await keysOf(ids[0]!), []);

      // The stored results are what the in-memory check says for the same items and route.
      const { declaration: chplDeclaration } = (await context.movements.get(chpl)).movement;
      const expected = await context.goods.check(chplDeclaration.goodsItems, context.goods.routeOf(chplDeclaration, '2026-11-24'));
      assert.deepEqual(await context.goods.forMovement(chpl), expected);

      // Risk follows the alerts, on the movement and on the alert rows the queue sorts by.
      for (const id of [cheap, decoy, chpl]) {
        const risk = await context.risk.forMovement(id);
        const alerts = await context.alerts.forMovement(id);
        assert.deepEqual(risk.factors.map((factor) => factor.alertId).sort(), alerts.map((alert) => alert.id).sort());
        const queued = await context.alerts.queue({ movementId: id }, { limit: 10, sort: 'risk' });
        assert.ok(queued.items.length > 0 && queued.items.every((alert) => alert.risk === risk.score && alert.offices.includes('KZ000101')), JSON.stringify(queued.items[0]));
      }
      assert.equal((await context.risk.forMovement(chpl)).outcome, 'review');
    });

    it('leaves a batch in the queue, with nothing of it stored, when storing its results fails; the next drain stores it once', { skip }, async () => {
      const [first, second] = (await declareAll([declaration('DRAIN-FAIL-1', toRussia), declaration('DRAIN-FAIL-2', { goodsItems: tShirts(300) })])) as [string, string];
      failRaising = true;
      await assert.rejects(context.goods.drain(), /went away/);
      failRaising = false;
      for (const id of [first, second]) {
        assert.equal(await context.goods.isPending(id), true);
        assert.deepEqual(await context.goods.forMovement(id), []);
        assert.deepEqual(await context.alerts.forMovement(id), []);
      }
      const values = await db.get<{ count: number }>('SELECT COUNT(*) AS count FROM goods_unit_values WHERE movement_id IN (?, ?)', [first, second]);
      assert.equal(Number(values?.count), 0);

      assert.equal(await context.goods.drain(), 2);
      assert.deepEqual((await context.alerts.forMovement(first)).map((alert) => [alert.type, alert.occurrences]), [['goods.route_prohibited', 1]]);
      assert.deepEqual((await context.alerts.forMovement(second)).map((alert) => alert.type), ['goods.value_anomaly']);
    });
  });
}
