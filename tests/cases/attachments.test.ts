import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MAX_ATTACHMENT_BYTES } from '../../src/cases/case-attachments.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { buildHttpApp } from '../../src/http/app.js';
import { type AppContext, createAppContext } from '../../src/main.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DomainError } from '../../src/shared/errors.js';
import { sequentialIds } from '../../src/shared/ids.js';
import { authHeaders, injectWith } from '../support/auth.js';
import { exampleDeclaration } from '../support/movement-fixtures.js';
import { testStores } from '../support/stores.js';

const ALL = { offices: 'all' as const };
/** The first bytes of a PDF and a few more: enough to prove the bytes come back unchanged. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]), Buffer.from('\n%%EOF\n')]);

for (const store of testStores) {
  describe(`case attachments on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    let context: AppContext;

    before(async () => {
      if (skip) return;
      db = await store.open();
      context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-24T08:00:00Z'), ids: sequentialIds('A') });
    });
    after(async () => {
      if (!skip) await context.close();
    });

    it('keeps an attached file byte for byte with its hash, refuses bad files and closes the evidence once decided', { skip }, async () => {
      const movement = await context.movements.declare({ input: { ...exampleDeclaration(), lrn: 'ATTACH-0001' }, format: 'json', original: '{}' }, 'test');
      const opened = await context.cases.open({ movementId: movement.id, alertIds: [] }, 'user:analyst', ALL);

      const attached = await context.caseAttachments.attach(opened.id, { filename: '../../etc/inspection report.pdf', contentType: 'application/pdf', content: PDF }, 'user:analyst', ALL);
      assert.equal(attached.filename, 'inspection report.pdf', 'folders are never kept in a name');
      assert.equal(attached.sha256, createHash('sha256').update(PDF).digest('hex'));
      const { content } = await context.caseAttachments.download(opened.id, attached.id, ALL);
      assert.ok(content.equals(PDF));
      assert.deepEqual((await context.caseAttachments.list(opened.id, ALL)).map((item) => item.id), [attached.id]);

      const refusal = (file: { filename: string; contentType: string; content: Buffer }) =>
        assert.rejects(context.caseAttachments.attach(opened.id, file, 'user:analyst', ALL), (error: unknown) => error instanceof DomainError && error.code === 'validation');
      await refusal({ filename: 'page.html', contentType: 'text/html', content: Buffer.from('<script>alert(1)</script>') });
      await refusal({ filename: 'empty.pdf', contentType: 'application/pdf', content: Buffer.alloc(0) });
      await refusal({ filename: 'huge.pdf', contentType: 'application/pdf', content: Buffer.alloc(MAX_ATTACHMENT_BYTES + 1) });

      await context.cases.decide(opened.id, { outcome: 'inspect', reason: 'Physical inspection ordered at the exit office' }, 'user:analyst', ALL);
      await assert.rejects(
        context.caseAttachments.attach(opened.id, { filename: 'late.png', contentType: 'image/png', content: PDF }, 'user:analyst', ALL),
        (error: unknown) => error instanceof DomainError && error.code === 'conflict',
      );
      const trail = await context.db.all<{ action: string; details: string }>("SELECT action, details FROM audit_log WHERE action = 'case attachment added'");
      assert.equal(trail.length, 1);
      assert.match(trail[0]!.details, new RegExp(attached.sha256));
    });
  });
}

describe('case attachments over HTTP', () => {
  let context: AppContext;
  let app: Awaited<ReturnType<typeof buildHttpApp>>;

  before(async () => {
    context = await createAppContext(loadConfig(), { db: await testStores[0]!.open(), clock: new ManualClock('2026-11-24T08:00:00Z'), ids: sequentialIds('B') });
    app = await buildHttpApp(context, { logLevel: 'silent', bodyLimitBytes: 1024 * 1024 });
  });
  after(async () => {
    await app.close();
    await context.close();
  });

  it('uploads and downloads as a file, only for those who may see the movement', async () => {
    const analyst = injectWith(app, await authHeaders(context, 'analyst'));
    const created = await analyst({ method: 'POST', url: '/api/v1/movements', payload: { ...exampleDeclaration(), lrn: 'ATTACH-HTTP-1', officesOfExit: ['KZ000135'] } });
    const movementId = (created.json() as { id: string }).id;
    const opened = (await analyst({ method: 'POST', url: '/api/v1/cases', payload: { movementId } })).json() as { id: string };

    const upload = await analyst({ method: 'POST', url: `/api/v1/cases/${opened.id}/attachments?filename=seal%20photo.png`, headers: { 'content-type': 'image/png' }, payload: PDF });
    assert.equal(upload.statusCode, 201, upload.body);
    const { id } = upload.json() as { id: string };

    const download = await analyst(`/api/v1/cases/${opened.id}/attachments/${id}`);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'image/png');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename\*=UTF-8''seal%20photo\.png$/);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.ok(download.rawPayload.equals(PDF));

    const wrongType = await analyst({ method: 'POST', url: `/api/v1/cases/${opened.id}/attachments?filename=x.json`, headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
    assert.equal(wrongType.statusCode, 400);
    assert.match(wrongType.body, /content-type/);

    const auditor = injectWith(app, await authHeaders(context, 'auditor'));
    assert.equal((await auditor(`/api/v1/cases/${opened.id}/attachments`)).statusCode, 200);
    assert.equal((await auditor({ method: 'POST', url: `/api/v1/cases/${opened.id}/attachments?filename=a.png`, headers: { 'content-type': 'image/png' }, payload: PDF })).statusCode, 403);

    const elsewhere = injectWith(app, await authHeaders(context, 'officer', ['KZ000108']));
    assert.equal((await elsewhere(`/api/v1/cases/${opened.id}/attachments/${id}`)).statusCode, 404, 'another office’s case does not exist for this officer');

    const audit = (await injectWith(app, await authHeaders(context, 'admin'))('/api/v1/audit?limit=200')).body;
    assert.ok(!audit.includes('%PDF'), 'the file content never goes into the audit log');
  });
});
