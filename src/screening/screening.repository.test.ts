import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testStores } from '../../tests/support/stores.js';
import type { Db } from '../db/db.js';
import type { SanctionEntity } from './entity.js';
import { screeningRepository } from './screening.repository.js';

const entity = (ref: string, name: string): SanctionEntity => ({
  id: `test:${ref}`, source: 'test', schema: 'Person', names: [{ name, kind: 'primary' }],
  birthDates: [], countries: [], identifiers: [], programs: ['P'], listedOn: null, sourceRef: ref,
});

const snapshot = (id: string, importedAt: string, entities: SanctionEntity[]) => ({
  id, source: 'test', format: 'national-csv', files: ['a.csv'], publishedAt: null, importedAt, rejected: 0, entities,
});

for (const store of testStores) {
  describe(`screening repository on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    before(async () => {
      if (!skip) db = await store.open();
    });
    after(async () => {
      if (!skip) await db.close();
    });

    it('keeps versions of a source and records added, removed and changed entries', { skip }, async () => {
      const repo = screeningRepository(db);
      const first = await repo.saveVersion(snapshot('V1', '2026-01-01T00:00:00.000Z', [entity('1', 'Ivan Ivanov'), entity('2', 'Petr Petrov')]));
      assert.equal(first.version.version, 1);
      assert.equal(first.version.added, 2);
      const second = await repo.saveVersion(
        snapshot('V2', '2026-02-01T00:00:00.000Z', [entity('1', 'Ivan Ivanov'), entity('2', 'Pyotr Petrov'), entity('3', 'Anna Sidorova')]),
      );
      assert.equal(second.version.version, 2);
      assert.deepEqual(second.changes, [
        { entityId: 'test:2', change: 'changed' },
        { entityId: 'test:3', change: 'added' },
      ]);
      const third = await repo.saveVersion(snapshot('V3', '2026-03-01T00:00:00.000Z', [entity('3', 'Anna Sidorova')]));
      assert.deepEqual(await repo.changes('V3'), [
        { entityId: 'test:1', change: 'removed' },
        { entityId: 'test:2', change: 'removed' },
      ]);
      assert.equal(third.version.removed, 2);
      const versions = await repo.versions();
      assert.deepEqual(versions.map((v) => [v.id, v.active]), [['V1', false], ['V2', false], ['V3', true]]);
      assert.deepEqual((await repo.activeEntities()).map((e) => e.entity.id), ['test:3']);
      assert.equal((await repo.findVersion('test@2'))?.id, 'V2');
      assert.equal((await repo.findVersion('test'))?.id, 'V3');
      assert.equal(await repo.findVersion('nope@1'), undefined);
    });

    it('stores suppressions once per party, entry and content', { skip }, async () => {
      const repo = screeningRepository(db);
      const s = { id: 'S1', partyKey: 'name:ivan ivanov', entityId: 'test:1', contentHash: 'h1', reason: 'other person', createdBy: 'officer', createdAt: '2026-01-01T00:00:00.000Z' };
      await repo.addSuppression(s);
      await repo.addSuppression({ ...s, id: 'S2' });
      assert.deepEqual(await repo.suppressions('name:ivan ivanov'), [s]);
      assert.deepEqual(await repo.suppressions('name:someone else'), []);
    });
  });
}
