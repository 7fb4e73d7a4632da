import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { buildHttpApp } from '../../src/http/app.js';
import { type AppContext, createAppContext } from '../../src/main.js';
import { ManualClock } from '../../src/shared/clock.js';
import { sequentialIds } from '../../src/shared/ids.js';
import { authHeaders, injectWith } from '../support/auth.js';
import { exampleDeclaration } from '../support/movement-fixtures.js';
import { testStores } from '../support/stores.js';

const ALL = { offices: 'all' as const };
const header = 'id,schema,name,aliases,birth_date,country,identifiers,program,listed_on\n';
const listV1 =
  header +
  'N-1,organization,ОсОО Ала-Тоо Трейд,,,kg,,RU-EVASION,2025-03-01\n' +
  'N-2,person,"TOKAYEV, Kassym-Jomart",Токаев Касым-Жомарт,1953-05-17,kz,,TEST,2025-03-01\n';
/** The next snapshot changes N-1 (a new alias) and adds an entry naming the example's carrier. */
const listV2 =
  header +
  'N-1,organization,ОсОО Ала-Тоо Трейд,Ala-Too Trading,,kg,,RU-EVASION,2025-03-01\n' +
  'N-2,person,"TOKAYEV, Kassym-Jomart",Токаев Касым-Жомарт,1953-05-17,kz,,TEST,2025-03-01\n' +
  'N-3,organization,ТОО Жетысу Логистикс,,,kz,,RU-EVASION,2026-01-10\n';

for (const store of testStores) {
  describe(`party screening of movements on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    let context: AppContext;
    let firstId = '';
    const dir = mkdtempSync(path.join(tmpdir(), 'caravan-party-screening-'));
    const listFile = (name: string, text: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    };

    before(async () => {
      if (skip) return;
      db = await store.open();
      context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-24T08:00:00Z'), ids: sequentialIds('S') });
    });
    after(async () => {
      if (!skip) await context.close();
    });

    it('screens every party of a stored declaration and turns hits into alerts an officer can read', { skip }, async () => {
      const imported = await context.screening.importFiles([listFile('national-v1.csv', listV1)], { source: 'national' });
      await context.partyScreening.requeueForChanges(imported.versions.map(({ version }) => version.id));
      const movement = await context.movements.declare({ input: { ...exampleDeclaration(), lrn: 'SCREEN-0001' }, format: 'json', original: '{}' }, 'test');
      firstId = movement.id;
      assert.equal(await context.partyScreening.pending(), 1, 'the declaration queued its parties in its own transaction');
      assert.deepEqual((await context.partyScreening.forMovement(movement.id)).pending, true);

      assert.equal(await context.partyScreening.drain(), 1);
      const result = await context.partyScreening.forMovement(movement.id);
      assert.equal(result.pending, false);
      assert.deepEqual(result.parties.map((party) => party.role), ['consignor', 'consignee', 'holderOfTheTransitProcedure', 'carrier']);
      const consignee = result.parties.find((party) => party.role === 'consignee')!;
      assert.equal(consignee.matches[0]?.entityId, 'national:N-1', 'the Latin "OsOO Ala-Too Trade" matches the Cyrillic listing');
      assert.ok(result.parties.filter((party) => party.role !== 'consignee').every((party) => party.matches.length === 0));

      const alerts = (await context.alerts.forMovement(movement.id)).filter((alert) => alert.type === 'screening.hit');
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.evidence['entityId'], 'national:N-1');
      assert.equal(alerts[0]!.evidence['role'], 'consignee');
      assert.match(String(alerts[0]!.evidence['summary']), /ala/i);
      assert.ok((await context.risk.forMovement(movement.id)).factors.some((factor) => factor.type === 'screening.hit'));
    });

    it('re-screens after a list update only the movements it could change, and keeps one alert per hit', { skip }, async () => {
      const other = await context.movements.declare(
        {
          input: {
            ...exampleDeclaration(),
            lrn: 'SCREEN-0002',
            consignee: { name: 'Steppe Foods LLP', address: { country: 'KZ' } },
            holderOfTheTransitProcedure: { name: 'Altyn Dala Trade', address: { country: 'KZ' } },
            carrier: { name: 'Altyn Dala Trade' },
          },
          format: 'json',
          original: '{}',
        },
        'test',
      );
      await context.partyScreening.drain();
      const first = await context.movements.get(firstId, ALL);

      const imported = await context.screening.importFiles([listFile('national-v2.csv', listV2)], { source: 'national' });
      const queued = await context.partyScreening.requeueForChanges(imported.versions.map(({ version }) => version.id));
      assert.equal(queued, 1, 'SCREEN-0001 hit the changed N-1 and its carrier is close to the added N-3; SCREEN-0002 is untouched');
      assert.equal((await context.partyScreening.forMovement(other.id)).pending, false);
      await context.partyScreening.drain();

      const alerts = (await context.alerts.forMovement(first.movement.id)).filter((alert) => alert.type === 'screening.hit');
      assert.deepEqual(alerts.map((alert) => `${alert.evidence['role']}:${alert.evidence['entityId']}`).sort(), [
        'carrier:national:N-3',
        'consignee:national:N-1',
        'holderOfTheTransitProcedure:national:N-3',
      ]);
      assert.ok(alerts.find((alert) => alert.evidence['entityId'] === 'national:N-1')!.occurrences >= 2, 're-screening refreshed the same alert');
    });

    it('suppresses a hit decided as a false positive for that party until the list entry changes', { skip }, async () => {
      const { movement } = await context.movements.get(firstId, ALL);
      const hit = (await context.alerts.forMovement(movement.id)).find((alert) => alert.evidence['entityId'] === 'national:N-3' && alert.evidence['role'] === 'carrier')!;
      const opened = await context.cases.open({ movementId: movement.id, alertIds: [hit.id] }, 'user:analyst', ALL);
      const decided = await context.cases.decide(opened.id, { outcome: 'false_positive', reason: 'Different company: registered 2019 in Taldykorgan, BIN checked', version: opened.version }, 'user:analyst', ALL);
      assert.ok(decided.consequences.some((line) => /suppressed/.test(line)), decided.consequences.join('; '));

      const carrier = (await context.partyScreening.screenDeclaration(movement.declaration, '2026-11-24T09:00:00Z')).find((party) => party.role === 'carrier')!;
      assert.ok(!carrier.matches.some((match) => match.entityId === 'national:N-3'), 'suppressed for this party');
      const holder = await context.screening.screenParty({ name: 'TOO Zhetysu Logistics', id: 'another-party' });
      assert.ok(holder.some((match) => match.entityId === 'national:N-3'), 'still reported for any other party');

      const changed = listV2.replace('ТОО Жетысу Логистикс,,', 'ТОО Жетысу Логистикс,Zhetysu Logistics Group,');
      await context.screening.importFiles([listFile('national-v3.csv', changed)], { source: 'national' });
      const again = (await context.partyScreening.screenDeclaration(movement.declaration, '2026-11-24T10:00:00Z')).find((party) => party.role === 'carrier')!;
      assert.ok(again.matches.some((match) => match.entityId === 'national:N-3'), 'the suppression lapsed when the entry changed');
    });
  });
}

describe('screening over HTTP', async () => {
  let context: AppContext;
  let app: Awaited<ReturnType<typeof buildHttpApp>>;
  const [sqlite] = testStores;

  before(async () => {
    context = await createAppContext(loadConfig(), { db: await sqlite!.open(), clock: new ManualClock('2026-11-24T08:00:00Z'), ids: sequentialIds('H') });
    app = await buildHttpApp(context, { logLevel: 'silent', bodyLimitBytes: 1024 * 1024 });
  });
  after(async () => {
    await app.close();
    await context.close();
  });

  it('imports a list, screens as you type and in batches, explains, and marks false positives', async () => {
    const admin = injectWith(app, await authHeaders(context, 'admin'));
    const upload = await admin({ method: 'POST', url: '/api/v1/screening/lists?filename=national.csv&source=national', headers: { 'content-type': 'text/csv' }, payload: listV1 });
    assert.equal(upload.statusCode, 201, upload.body);
    assert.equal(upload.json().versions[0].entityCount, 2);

    const broken = await admin({ method: 'POST', url: '/api/v1/screening/lists?filename=national.csv&source=national', headers: { 'content-type': 'text/csv' }, payload: 'id,name\n1' });
    assert.equal(broken.statusCode, 400, broken.body + broken.statusCode);
    const versions = (await admin({ method: 'GET', url: '/api/v1/screening/lists' })).json().items;
    assert.equal(versions.filter((version: { active: boolean }) => version.active).length, 1, 'a bad file leaves the previous version active');

    const analyst = injectWith(app, await authHeaders(context, 'analyst'));
    for (const name of ['Kasym-Schomart Tokajew', 'Токаев Касым-Жомарт', 'Qasym-Jomart Toqaev']) {
      const found = await analyst({ method: 'GET', url: `/api/v1/screening/search?name=${encodeURIComponent(name)}` });
      assert.equal(found.statusCode, 200, found.body);
      const top = found.json().items[0];
      assert.equal(top?.entityId, 'national:N-2', name);
      assert.ok(top.explanation.tokens.length >= 2, 'token by token');
    }

    const batch = await analyst({ method: 'POST', url: '/api/v1/screening/batch', payload: { parties: [{ id: 'a', name: 'OsOO Ala-Too Trade' }, { id: 'b', name: 'x' }, { id: 'c', name: 'Steppe Foods' }] } });
    assert.equal(batch.statusCode, 200, batch.body);
    const results = batch.json().results;
    assert.equal(results[0].matches[0].entityId, 'national:N-1');
    assert.match(results[1].error.errors[0].path, /name/);
    assert.deepEqual(results[2].matches, []);

    const tooLong = await analyst({ method: 'GET', url: `/api/v1/screening/search?name=${'a'.repeat(600)}` });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /name/);

    const auditor = injectWith(app, await authHeaders(context, 'auditor'));
    const refused = await auditor({ method: 'POST', url: '/api/v1/screening/false-positives', payload: { name: 'OsOO Ala-Too Trade', entityId: 'national:N-1', reason: 'Registered in 2021, different owners' } });
    assert.equal(refused.statusCode, 403);
    const noReason = await analyst({ method: 'POST', url: '/api/v1/screening/false-positives', payload: { name: 'OsOO Ala-Too Trade', entityId: 'national:N-1', reason: 'no' } });
    assert.equal(noReason.statusCode, 400);
    const marked = await analyst({ method: 'POST', url: '/api/v1/screening/false-positives', payload: { name: 'OsOO Ala-Too Trade', entityId: 'national:N-1', reason: 'Registered in 2021, different owners' } });
    assert.equal(marked.statusCode, 201, marked.body);
    const after = await analyst({ method: 'GET', url: `/api/v1/screening/search?name=${encodeURIComponent('OsOO Ala-Too Trade')}` });
    assert.ok(!after.json().items.some((match: { entityId: string }) => match.entityId === 'national:N-1'));
  });
});
