import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testStores } from '../../tests/support/stores.js';
import type { Db } from './db.js';
import { migrate } from './migrate.js';

for (const store of testStores) {
  describe(`storage port on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    before(async () => {
      if (!skip) db = await store.open();
    });
    after(async () => {
      if (!skip) await db.close();
    });

    it('rolls back every write of a failed transaction', { skip }, async () => {
      await db.run("INSERT INTO counters (name, value) VALUES ('kept', 1)");
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.run("INSERT INTO counters (name, value) VALUES ('lost', 1)");
          await tx.run("INSERT INTO counters (name, value) VALUES ('kept', 2)");
        }),
      );
      const names = (await db.all<{ name: string }>('SELECT name FROM counters ORDER BY name')).map((r) => r.name);
      assert.deepEqual(names, ['kept']);
    });

    it('serialises concurrent transactions so counters never lose an increment', { skip }, async () => {
      const increment = () =>
        db.transaction(async (tx) => {
          await tx.run(
            "INSERT INTO counters (name, value) VALUES ('race', 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1",
          );
        });
      await Promise.all(Array.from({ length: 20 }, increment));
      const row = await db.get<{ value: number }>("SELECT value FROM counters WHERE name = 'race'");
      assert.equal(Number(row?.value), 20);
    });

    it('applies migrations once', { skip }, async () => {
      assert.deepEqual(await migrate(db), []);
    });
  });
}
