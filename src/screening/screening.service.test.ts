import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testStores } from '../../tests/support/stores.js';
import type { Db } from '../db/db.js';
import { ManualClock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { sequentialIds } from '../shared/ids.js';
import { ScreeningService, validateParty } from './screening.service.js';
import { scoringConfig } from './scoring-config.js';
import { smallVocabulary } from './test-support.js';

const header = 'id,schema,name,aliases,birth_date,country,identifiers,program,listed_on\n';
const v1 = `${header}1,person,"PUTIN, Vladimir Vladimirovich",Владимир Владимирович Путин,1952-10-07,ru,passport:AB1234567,RU,2022-02-26\n` +
  '2,organization,ТОО Элем Групп,Elem Group LLP,,kz,bin:180240012345,RU,2024-01-01\n';
const v2 = `${header}1,person,"PUTIN, Vladimir Vladimirovich",Владимир Владимирович Путин;Vladimir Putin,1952-10-07,ru,passport:AB1234567,RU,2022-02-26\n`;

for (const store of testStores) {
  describe(`screening service on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    let service: ScreeningService;
    const dir = mkdtempSync(path.join(tmpdir(), 'caravan-screening-'));
    const file = (name: string, text: string) => {
      const full = path.join(dir, name);
      writeFileSync(full, text);
      return full;
    };
    before(async () => {
      if (skip) return;
      db = await store.open();
      service = new ScreeningService({ db, clock: new ManualClock('2026-05-01T00:00:00Z'), ids: sequentialIds('V'), vocabulary: smallVocabulary(), config: scoringConfig });
    });
    after(async () => {
      if (!skip) await db.close();
    });

    it('imports a list and screens names in several scripts with explanations', { skip }, async () => {
      const result = await service.importFiles([file('kz-v1.csv', v1)], { source: 'kz' });
      assert.equal(result.versions[0]?.version.entityCount, 2);
      for (const name of ['Vladimir Putin', 'Владимир Путин', 'Wladimir Putin', 'Vladimir Poutine']) {
        const [top] = await service.screenParty({ name, schema: 'Person' });
        assert.equal(top?.entityId, 'kz:1', name);
        assert.match(top?.explanation.summary ?? '', /Putin|PUTIN|Путин/);
      }
      const [company] = await service.screenParty({ name: 'Elem Grupp TOO' });
      assert.equal(company?.entityId, 'kz:2');
    });

    it('lets birth date, country and identifiers move the score', { skip }, async () => {
      const plain = (await service.screenParty({ name: 'Vladimir Poutine' }))[0]?.score ?? 0;
      const sameBirth = (await service.screenParty({ name: 'Vladimir Poutine', birthDate: '1952-10-07' }))[0]?.score ?? 0;
      const otherBirth = await service.screenParty({ name: 'Vladimir Poutine', birthDate: '1990-01-01' }, { threshold: 0 });
      assert.ok(sameBirth > plain);
      assert.ok((otherBirth.find((m) => m.entityId === 'kz:1')?.score ?? 1) < plain);
      const byId = await service.screenParty({ name: 'V. P.', identifiers: [{ type: 'passport', value: 'ab 1234567' }] }, { threshold: 0 });
      assert.ok((byId.find((m) => m.entityId === 'kz:1')?.score ?? 0) >= scoringConfig.evidence.identifierMatch);
    });

    it('suppresses a false positive until the list entry changes', { skip }, async () => {
      const party = { id: 'party-7', name: 'Vladimir Putin' };
      await service.suppress({ party, entityId: 'kz:1', reason: 'namesake, other birth date', by: 'officer-1' });
      assert.deepEqual(await service.screenParty(party), []);
      assert.equal((await service.screenParty({ name: 'Vladimir Putin' }))[0]?.entityId, 'kz:1');
      const result = await service.importFiles([file('kz-v2.csv', v2)], { source: 'kz' });
      assert.deepEqual(result.versions[0]?.changes, [{ entityId: 'kz:1', change: 'changed' }, { entityId: 'kz:2', change: 'removed' }]);
      assert.equal((await service.screenParty(party))[0]?.entityId, 'kz:1');
    });

    it('keeps the previous version active when an import file is malformed', { skip }, async () => {
      const before = (await service.versions()).filter((v) => v.active).map((v) => v.id);
      await assert.rejects(service.importFiles([file('kz-v3.csv', v1), file('broken.xml', '<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS>')], { source: 'kz' }), DomainError);
      assert.deepEqual((await service.versions()).filter((v) => v.active).map((v) => v.id), before);
    });

    it('compares versions', { skip }, async () => {
      const { changes } = await service.diff('kz@1', 'kz@2');
      assert.deepEqual(changes.map((c) => c.change), ['changed', 'removed']);
      await assert.rejects(service.diff('kz@1', 'kz@9'), /not found/);
    });

    it('answers a batch, reporting bad parties one by one', { skip }, async () => {
      const results = await service.screenBatch([{ name: 'Vladimir Putin' }, { name: '' }, { name: 'x'.repeat(10_000) }, { name: 'Anna Smirnova' }]);
      assert.deepEqual(results.map((r) => r.ok), [true, false, false, true]);
    });
  });
}

describe('validateParty', () => {
  it('names the offending field', () => {
    assert.throws(() => validateParty({ name: 'a' }), (e: DomainError) => e.issues[0]?.path === 'name');
    assert.throws(() => validateParty({ name: 'Ivan', schema: 'Robot' }), (e: DomainError) => e.issues[0]?.path === 'schema');
    assert.deepEqual(validateParty({ name: 'Ivan Petrov', country: 'kz' }), { name: 'Ivan Petrov', country: 'kz' });
  });
});
