import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from '../db/db.js';
import type { GoodsItem } from '../movements/declaration.js';
import { UnitValueWindows } from './unit-values.js';

/** A store that answers the window query slowly, as a pooled PostgreSQL connection can, and counts the reads. */
const slowStore = (values: number[]) => {
  let reads = 0;
  const db = {
    all: async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return [{ id: 1, unit_values: JSON.stringify(values) }];
    },
  } as unknown as Db;
  return { db, reads: () => reads };
};

const tShirts: GoodsItem = { itemNumber: 1, hsCode: '610910', description: 'Cotton T-shirts', grossMass: 100, value: { amount: 800, currency: 'USD' } };

describe('unit-value windows', () => {
  it('reads a code once when a check and the drain meet it together, and keeps what a step appended meanwhile', async () => {
    const store = slowStore(Array.from({ length: 40 }, () => 8));
    const windows = new UnitValueWindows();
    const first = windows.load(store.db, [tShirts]);
    const second = windows.load(store.db, [tShirts]);
    await Promise.all([first, second]);
    assert.equal(store.reads(), 1);
    windows.append(Array.from({ length: 40 }, () => ({ hs6: '610910', currency: 'USD', unitValue: 64 })));
    await windows.load(store.db, [tShirts]);
    assert.equal(store.reads(), 1, 'a window in memory is not read again');
    assert.equal(windows.statsFor('610910', 'USD')?.count, 80);
    windows.forget();
    await windows.load(store.db, [tShirts]);
    assert.deepEqual([store.reads(), windows.statsFor('610910', 'USD')?.count], [2, 40]);
  });
});
