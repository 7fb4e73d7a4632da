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
import { parseControlListCsv } from './control-list.js';
import { GoodsControlService } from './goods.service.js';

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
      const stored = await db.get<{ count: number }>('SELECT COUNT(*) AS count FROM goods_movement_checks');
      assert.equal(Number(stored?.count), ids.length);

      const keysOf = async (id: string) => (await context.alerts.forMovement(id)).map((alert) => `${alert.dedupKey} ${alert.severity}`).sort();
      assert.deepEqual(await keysOf(cheap), [`goods:${cheap}:0:value_anomaly medium`]);
      assert.deepEqual(await keysOf(decoy), [`goods:${decoy}:0:misdeclared high`]);
      assert.deepEqual(await keysOf(chpl), [`goods:${chpl}:route_prohibited critical`]);
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

      // Another process judges unit values on the stored ones: a checker that has seen nothing in memory
      // still finds the cheap T-shirts cheap.
      const { clock, nomenclature, offices, alerts, config } = context;
      const restarted = new GoodsControlService({ db, clock, nomenclature, offices, alerts, referenceDir: config.referenceDir });
      await restarted.start();
      const [recheckedCheap] = await restarted.check(tShirts(400).map((item) => ({ ...item, itemNumber: 1 })), { date: '2026-11-24', countries: ['KZ'] });
      assert.deepEqual(recheckedCheap?.hints.map((hint) => [hint.kind, hint.details?.['comparables']]), [['value_anomaly', 500]]);
    });

    it('leaves a batch in the queue, with nothing of it stored, when storing its results fails; the next drain stores it once', { skip }, async () => {
      const [first, second] = (await declareAll([declaration('DRAIN-FAIL-1', toRussia), declaration('DRAIN-FAIL-2', { goodsItems: tShirts(300) })])) as [string, string];
      const unitValueRows = async () => Number((await db.get<{ count: number }>('SELECT COUNT(*) AS count FROM goods_unit_value_chunks'))?.count);
      const unitValueRowsBefore = await unitValueRows();
      failRaising = true;
      await assert.rejects(context.goods.drain(), /went away/);
      failRaising = false;
      for (const id of [first, second]) {
        assert.equal(await context.goods.isPending(id), true);
        assert.deepEqual(await context.goods.forMovement(id), []);
        assert.deepEqual(await context.alerts.forMovement(id), []);
      }
      assert.equal(await unitValueRows(), unitValueRowsBefore, 'no unit values of the failed batch');

      assert.equal(await context.goods.drain(), 2);
      assert.deepEqual((await context.alerts.forMovement(first)).map((alert) => [alert.type, alert.occurrences]), [['goods.route_prohibited', 1]]);
      assert.deepEqual((await context.alerts.forMovement(second)).map((alert) => alert.type), ['goods.value_anomaly']);
    });

    it('raises one alert per movement and list rule, naming every item and entry it found, each counted in the risk', { skip }, async () => {
      const chplItem = (hsCode: string, description: string) => ({ hsCode, description, grossMass: 50, netMass: 45, value: { amount: 9000, currency: 'USD' } });
      const goodsItems = [chplItem('854231', 'Microcontrollers STM32F4'), ...tShirts(7000), chplItem('880730', 'Drone frame parts'), chplItem('848210', 'Ball bearings 6204-2RS')];
      const [toRu, toKg] = (await declareAll([declaration('DRAIN-MANY-RU', { ...toRussia, goodsItems }), declaration('DRAIN-MANY-KG', { goodsItems })])) as [string, string];
      await context.goods.drain();

      const [prohibited, ...others] = (await context.alerts.forMovement(toRu)).filter((alert) => alert.type.startsWith('goods.'));
      assert.deepEqual(others, []);
      assert.equal(prohibited?.type, 'goods.route_prohibited');
      assert.equal(prohibited.itemIndex, null);
      assert.equal(prohibited.findingCount, 3);
      assert.deepEqual(prohibited.evidence['itemIndexes'], [0, 2, 3]);
      assert.deepEqual(prohibited.evidence['prohibitedFor'], ['RU']);
      // Every hit of every stored item result is in the evidence, with its item: losing one fails here.
      const storedHits = (await context.goods.forMovement(toRu)).flatMap((check) =>
        check.hits.map((hit) => ({ itemIndex: check.itemIndex, hsCode: check.hsCode, description: goodsItems[check.itemIndex]!.description, ...hit })),
      );
      assert.equal(storedHits.length, 3);
      assert.deepEqual(
        prohibited.evidence['hits'],
        storedHits.map(({ itemIndex, hsCode, description, listId, version, entry, tier, prohibitedFor }) => ({ itemIndex, hsCode, description, listId, version, entry, tier, prohibitedFor })),
      );
      // The stored results name the list version's entry; its reason and legal reference are read from it.
      for (const hit of storedHits) {
        assert.equal(hit.list, 'EU Common High Priority List');
        assert.match(hit.reason, new RegExp(`\\(${hit.tier.replace('.', '\\.')}\\)`));
        assert.match(hit.legalReference, /833\/2014/);
      }
      assert.deepEqual(
        storedHits.map((hit) => [hit.itemIndex, hit.listId, hit.version, hit.entry, hit.tier]),
        [[0, 'eu-chpl', 1, '854231', 'Tier 1'], [2, 'eu-chpl', 1, '880730', 'Tier 3.B'], [3, 'eu-chpl', 1, '848210', 'Tier 3.B']],
      );
      for (const named of ['item 1 (854231, Microcontrollers STM32F4): on EU Common High Priority List v1 Tier 1 (entry 854231)', 'item 3 (880730', 'item 4 (848210', 'prohibited for RU']) {
        assert.ok(prohibited.title.includes(named), `${prohibited.title} names ${named}`);
      }
      assert.ok(!prohibited.title.includes('item 2'), 'the T-shirts are on no list');

      // Three prohibited items weigh what three alerts of one item each did: 100 × (1 − 0.35³).
      const risk = await context.risk.forMovement(toRu);
      assert.deepEqual([risk.score, risk.outcome, risk.factors.length, risk.factors[0]?.points], [95.7, 'hold', 1, 95.7]);

      const onKg = (await context.alerts.forMovement(toKg)).filter((alert) => alert.type.startsWith('goods.'));
      assert.deepEqual(onKg.map((alert) => [alert.type, alert.findingCount, alert.evidence['itemIndexes']]), [['goods.controlled', 3, [0, 2, 3]]]);
      assert.equal(onKg[0]!.evidence['prohibitedFor'], undefined);
    });

    it('continues a movement\'s list alert when a list change checks it again, and opens the next one for a hit an officer has not decided', { skip }, async () => {
      const [id] = (await declareAll([
        declaration('DRAIN-RECHECK', {
          ...toRussia,
          goodsItems: [
            { hsCode: '854231', description: 'Microcontrollers STM32F4', grossMass: 50, netMass: 45, value: { amount: 9000, currency: 'USD' } },
            { hsCode: '844332', description: 'Office printers', grossMass: 300, netMass: 280, value: { amount: 9000, currency: 'USD' } },
          ],
        }),
      ])) as [string];
      await context.goods.drain();
      const listAlerts = async () => (await context.alerts.forMovement(id)).filter((alert) => alert.type === 'goods.route_prohibited');
      const [first] = await listAlerts();
      assert.deepEqual([first?.dedupKey, first?.findingCount], [`goods:${id}:route_prohibited`, 1]);

      const national = (entries: string) => parseControlListCsv(`code,tier,reason,applies_to\n8542,dual-use,Dual-use electronics to RU,RU\n${entries}`, 'kz-recheck', 'KZ re-check', 'test');
      await context.goods.importList(national(''), 'test');
      await context.goods.drain();
      const [refreshed, ...duplicates] = await listAlerts();
      assert.deepEqual(duplicates, []);
      assert.deepEqual([refreshed?.id, refreshed?.occurrences, refreshed?.findingCount], [first!.id, 2, 2]);
      assert.deepEqual((refreshed!.evidence['hits'] as { listId: string }[]).map((hit) => hit.listId), ['eu-chpl', 'kz-recheck']);

      await db.transaction((tx) => context.alerts.setStatus(tx, [first!.id], 'closed', 'released: chips for a licensed buyer'));
      await context.goods.importList(national('9013,optics,Optics to RU,RU\n'), 'test');
      await context.goods.drain();
      assert.deepEqual((await listAlerts()).map((alert) => [alert.id, alert.status, alert.occurrences]), [[first!.id, 'closed', 3]], 'the same hits refresh the closed alert, which stays closed');

      await context.goods.importList(national('844332,dual-use,Printers to RU,RU\n'), 'test');
      await context.goods.drain();
      const [decided, next, ...more] = await listAlerts();
      assert.deepEqual(more, []);
      assert.deepEqual([decided?.id, decided?.status, decided?.findingCount], [first!.id, 'closed', 2]);
      assert.deepEqual([next?.dedupKey, next?.status, next?.findingCount], [`goods:${id}:route_prohibited:2`, 'new', 3]);
      assert.match(next!.title, /item 2 \(844332, Office printers\): on KZ re-check v3 dual-use \(entry 844332\)/);
    });
  });
}
