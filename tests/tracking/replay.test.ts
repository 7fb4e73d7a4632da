import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { parseNdjson } from '../../src/http/body-parsers.js';
import { type AppContext, createAppContext } from '../../src/main.js';
import { ManualClock } from '../../src/shared/clock.js';
import { sequentialIds } from '../../src/shared/ids.js';
import { replay, type ReplayReport } from '../../src/tracking/replay.js';
import { testStores } from '../support/stores.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'replay');
const read = (name: string) =>
  parseNdjson(readFileSync(path.join(fixtures, name), 'utf8')).map((record) => ({ line: record.line, value: 'value' in record ? record.value : record.text, text: record.text }));

for (const store of testStores) {
  describe(`caravan replay on ${store.name}`, async () => {
    const skip = await store.skip();
    let context: AppContext;
    let report: ReplayReport;
    const clock = new ManualClock(new Date(0));

    before(async () => {
      if (skip) return;
      context = await createAppContext(loadConfig(), { db: await store.open(), clock, ids: sequentialIds('P') });
      report = await replay(context, clock, { declarations: read('declarations.ndjson'), events: read('events.ndjson'), telemetry: read('telemetry.ndjson') });
    });
    after(async () => {
      if (!skip) await context.close();
    });

    const alertsOf = async (lrn: string) => {
      const [movement] = (await context.movements.list({ lrn }, { limit: 1 })).items;
      assert.ok(movement, lrn);
      return (await context.alerts.forMovement(movement.id)).filter((alert) => alert.source === 'tracking');
    };

    it('feeds every record through the live path and leaves the clock past the longest detector delay', { skip }, () => {
      assert.deepEqual(report.declarations, { accepted: 3, rejected: 0 });
      assert.deepEqual(report.events, { applied: 12, refused: 0, duplicates: 0, rejected: 0 });
      assert.deepEqual(report.telemetry, { accepted: 76, duplicates: 0, rejected: 0 });
      assert.ok(Date.parse(report.clockEnd!) >= Date.parse('2026-11-25T15:20:14Z') + 14 * 3_600_000);
      assert.equal(clock.now().toISOString(), report.clockEnd);
    });

    it('raises nothing of weight on the legitimate trip', { skip }, async () => {
      assert.deepEqual((await alertsOf('REPLAY-LEGIT')).filter((alert) => alert.severity !== 'low'), []);
    });

    it('raises the seal breach once, dated at the fix and detected as the message arrived', { skip }, async () => {
      const alerts = await alertsOf('REPLAY-BREACH');
      assert.deepEqual(alerts.map((a) => [a.type, a.severity, a.observedAt]), [['tracking.seal_opened', 'critical', '2026-11-25T09:35:07.000Z']]);
      assert.ok(Date.parse(alerts[0]!.raisedAt) - Date.parse(alerts[0]!.observedAt) < 60_000, 'the clock followed the data');
    });

    it('raises the silence from the clock alone, with no message after the seal fell silent', { skip }, async () => {
      const silence = (await alertsOf('REPLAY-SILENT')).filter((a) => a.type === 'tracking.silence');
      assert.equal(silence.length, 1);
      assert.equal(silence[0]!.severity, 'medium', 'noted after an hour, escalated after three');
      assert.equal(silence[0]!.observedAt, '2026-11-25T10:50:14.000Z');
      assert.ok(Date.parse(silence[0]!.raisedAt) - Date.parse(silence[0]!.observedAt) <= 60_000, 'raised by the tick within a minute of data time');
    });
  });
}
