import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testStores } from '../../../tests/support/stores.js';
import type { Db } from '../db.js';
import { migrate } from '../migrate.js';
import { migrations } from './index.js';

const before0015 = migrations.slice(0, migrations.findIndex((migration) => migration.id === '0015-goods-results-per-movement'));

for (const store of testStores) {
  describe(`migration 0015 on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    before(async () => {
      if (skip) return;
      db = await store.open(before0015);
      const result = (itemIndex: number) => JSON.stringify({ itemIndex, hsCode: '854231', hs6: '854231', hits: [], hints: [] });
      // Stored out of item order, as rows of a re-check could be.
      await db.runMany('INSERT INTO goods_checks (movement_id, item_index, hs_code, result, checked_at) VALUES (?, ?, ?, ?, ?)', [
        ['M2', 1, '854231', result(1), '2026-11-02T00:00:00Z'],
        ['M2', 0, '854231', result(0), '2026-11-02T00:00:00Z'],
        ['M1', 0, '854231', result(0), '2026-11-01T00:00:00Z'],
      ]);
      const values = Array.from({ length: 503 }, (_, index) => ['610910', `M${String(index).padStart(4, '0')}`, 0, 10 + index, 'USD']);
      await db.runMany('INSERT INTO goods_unit_values (hs6, movement_id, item_index, unit_value, currency) VALUES (?, ?, ?, ?, ?)', [
        ...values.reverse(),
        ['610910', 'E2', 0, 7.5, 'EUR'],
        ['610910', 'E1', 0, 8.5, 'EUR'],
      ]);
      await migrate(db);
    });
    after(async () => {
      if (!skip) await db.close();
    });

    it('keeps each movement\'s item results, in item order, as one row', { skip }, async () => {
      const rows = await db.all<{ movement_id: string; items: string }>('SELECT movement_id, items FROM goods_movement_checks ORDER BY movement_id');
      assert.deepEqual(
        rows.map((row) => [row.movement_id, (JSON.parse(row.items) as { itemIndex: number }[]).map((check) => check.itemIndex)]),
        [['M1', [0]], ['M2', [0, 1]]],
      );
    });

    it('carries the 500 most recent unit values of each code and currency, oldest first', { skip }, async () => {
      const rows = await db.all<{ currency: string; unit_values: string }>("SELECT currency, unit_values FROM goods_unit_value_chunks WHERE hs6 = '610910' ORDER BY currency");
      const [eur, usd] = rows.map((row) => (JSON.parse(row.unit_values) as number[]).map(Number));
      assert.deepEqual(eur, [8.5, 7.5]);
      assert.equal(usd?.length, 500);
      assert.deepEqual([usd![0], usd!.at(-1)], [13, 512]);
    });
  });
}
