import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../../src/alerts/alert.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { buildHttpApp } from '../../src/http/app.js';
import { type AppContext, createAppContext } from '../../src/main.js';
import { DEFAULT_RISK_RULES } from '../../src/risk/risk.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DomainError } from '../../src/shared/errors.js';
import { sequentialIds } from '../../src/shared/ids.js';
import { authHeaders, injectWith } from '../support/auth.js';
import { exampleDeclaration, exampleEvents } from '../support/movement-fixtures.js';
import { testStores } from '../support/stores.js';

const ALL = { offices: 'all' as const };

const finding = (movementId: string, type: string, severity: Finding['severity'], key = type): Finding => ({
  dedupKey: `${movementId}:${key}`,
  type,
  source: type.split('.')[0] as Finding['source'],
  rule: type,
  ruleVersion: '1',
  severity,
  score: 0.8,
  title: `${type} on ${movementId}`,
  movementId,
  evidence: {},
  observedAt: '2026-11-24T08:00:00Z',
});

for (const store of testStores) {
  describe(`risk, queue and cases on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    let context: AppContext;
    const clock = new ManualClock('2026-11-24T08:00:00Z');

    const declareReleased = async (lrn: string, overrides: Record<string, unknown> = {}) => {
      const movement = await context.movements.declare({ input: { ...exampleDeclaration(), lrn, ...overrides }, format: 'json', original: '{}' }, 'test');
      for (const event of exampleEvents().slice(0, 2)) await context.movements.recordEvent({ ...event, id: `${lrn}-${String(event.type)}`, lrn }, 'test');
      return movement.id;
    };

    before(async () => {
      if (skip) return;
      db = await store.open();
      context = await createAppContext(loadConfig(), { db, clock, ids: sequentialIds('C') });
    });
    after(async () => {
      if (!skip) await context.close();
    });

    it('scores a movement from its open alerts with each contribution visible, under a recorded rules version', { skip }, async () => {
      const id = await declareReleased('RISK-0001');
      const before = await context.risk.forMovement(id);
      await context.alerts.raiseNow([finding(id, 'tracking.seal_opened', 'high'), finding(id, 'tracking.unscheduled_stop', 'low')]);
      const risk = await context.risk.forMovement(id);
      const sealPoints = DEFAULT_RISK_RULES.weights['tracking.seal_opened']! * DEFAULT_RISK_RULES.severityFactors.high;
      const stopPoints = DEFAULT_RISK_RULES.weights['tracking.unscheduled_stop']! * DEFAULT_RISK_RULES.severityFactors.low;
      const expected = 100 * (1 - (1 - before.score / 100) * (1 - sealPoints / 100) * (1 - stopPoints / 100));
      assert.ok(Math.abs(risk.score - expected) < 0.1, `${risk.score} vs ${expected}`);
      assert.ok(risk.factors.some((factor) => factor.type === 'tracking.seal_opened'));
      assert.ok(Math.abs(risk.factors.reduce((sum, factor) => sum + factor.contribution, 0) - risk.score) < 0.3);
      assert.equal(risk.rulesVersion, 0);

      const version = await context.risk.setRules({ ...DEFAULT_RISK_RULES, weights: { ...DEFAULT_RISK_RULES.weights, 'tracking.seal_opened': 100 } }, 'user:admin');
      await context.alerts.raiseNow([finding(id, 'tracking.silence', 'medium')]);
      const rescored = await context.risk.forMovement(id);
      assert.equal(rescored.rulesVersion, version.version);
      assert.ok(rescored.score > risk.score);
      await assert.rejects(context.risk.setRules({ ...DEFAULT_RISK_RULES, thresholds: { review: 90, hold: 10 } }, 'x'), (error: unknown) => error instanceof DomainError && error.issues.some((issue) => issue.path === 'thresholds'));
    });

    it('sorts the queue by movement risk and filters by office and type, within an officer’s offices', { skip }, async () => {
      const calm = await declareReleased('RISK-0002');
      const hot = await declareReleased('RISK-0003', { officesOfExit: ['KZ000135'], officeOfDestination: 'RU000905', countriesOfRouting: ['KZ', 'RU'] });
      await context.alerts.raiseNow([finding(calm, 'tracking.low_battery', 'low'), finding(hot, 'goods.route_prohibited', 'critical'), finding(hot, 'screening.hit', 'high')]);
      const page = await context.alerts.queue({ status: 'open' }, { limit: 100, sort: 'risk' });
      const risks = page.items.map((alert) => alert.risk);
      assert.deepEqual(risks, [...risks].sort((a, b) => b - a));
      assert.equal(page.items[0]?.movementId, hot);
      const atExit = await context.alerts.queue({ status: 'open', office: 'KZ000135' }, { limit: 100, sort: 'risk' });
      assert.deepEqual(new Set(atExit.items.map((alert) => alert.movementId)), new Set([hot]));
      assert.equal(atExit.items[0]?.corridor, 'KZ000101>RU');
      const scoped = await context.alerts.queue({ status: 'open', scopeOffices: ['KZ000135'] }, { limit: 100, sort: 'risk' });
      assert.ok(scoped.items.every((alert) => alert.offices.includes('KZ000135')));
      const firstPage = await context.alerts.queue({ status: 'open' }, { limit: 2, sort: 'risk' });
      const secondPage = await context.alerts.queue({ status: 'open' }, { limit: 2, sort: 'risk', cursor: firstPage.nextCursor! });
      assert.equal(new Set([...firstPage.items, ...secondPage.items].map((alert) => alert.id)).size, firstPage.items.length + secondPage.items.length);
    });

    it('holds a movement by decision so its exit is refused until a release, and needs a reason', { skip }, async () => {
      const id = await declareReleased('CASE-0001');
      await context.alerts.raiseNow([finding(id, 'tracking.route_deviation', 'high')]);
      const opened = await context.cases.open({ movementId: id }, 'user:analyst', ALL);
      assert.equal(opened.type, 'tracking');
      assert.equal(opened.dueAt, '2026-11-24T10:00:00.000Z');
      await assert.rejects(context.cases.open({ movementId: id }, 'user:analyst', ALL), (error: unknown) => error instanceof DomainError && error.code === 'conflict');
      await assert.rejects(context.cases.decide(opened.id, { outcome: 'hold', reason: '' }, 'user:analyst', ALL), (error: unknown) => error instanceof DomainError && error.issues.some((issue) => issue.path === 'reason'));

      const decided = await context.cases.decide(opened.id, { outcome: 'hold', reason: 'Lorry left the corridor toward the RU border' }, 'user:analyst', ALL);
      assert.match(decided.consequences.join(' '), /movement held/);
      assert.equal((await context.movements.get(id)).movement.state, 'held');
      const exit = await context.movements.recordEvent({ id: 'CASE-0001-exit', lrn: 'CASE-0001', type: 'exited', time: '2026-11-24T09:00:00Z', office: 'KZ000108' }, 'office');
      assert.equal(exit.event.outcome, 'refused');
      await assert.rejects(context.cases.decide(opened.id, { outcome: 'release', reason: 'second decision on a closed case' }, 'user:analyst', ALL), (error: unknown) => error instanceof DomainError && error.code === 'conflict');

      const second = await context.cases.open({ movementId: id }, 'user:analyst', ALL);
      await context.cases.decide(second.id, { outcome: 'release', reason: 'Inspection found the declared goods only' }, 'user:analyst', ALL);
      assert.equal((await context.movements.get(id)).movement.state, 'released');
      assert.equal((await context.risk.forMovement(id)).score, 0, 'closed alerts no longer count');
    });

    it('lets one of two concurrent decisions win and answers the other with a conflict', { skip }, async () => {
      const id = await declareReleased('CASE-0002');
      await context.alerts.raiseNow([finding(id, 'screening.hit', 'high')]);
      const opened = await context.cases.open({ movementId: id }, 'user:a', ALL);
      const results = await Promise.allSettled([
        context.cases.decide(opened.id, { outcome: 'seize', reason: 'Listed consignee confirmed', version: opened.version }, 'user:a', ALL),
        context.cases.decide(opened.id, { outcome: 'false_positive', reason: 'Different company, other INN', version: opened.version }, 'user:b', ALL),
      ]);
      assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
      const failed = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      assert.equal((failed.reason as DomainError).code, 'conflict');
    });
  });
}

describe('the analyst’s day over HTTP', () => {
  let context: AppContext;
  const clock = new ManualClock('2026-11-24T08:00:00Z');

  before(async () => {
    const { openSqlite } = await import('../../src/db/sqlite.js');
    const { migrate } = await import('../../src/db/migrate.js');
    const db = openSqlite({ file: ':memory:' });
    await migrate(db);
    context = await createAppContext(loadConfig(), { db, clock });
  });
  after(async () => {
    await context.close();
  });

  it('opens the riskiest movement, sees why, holds it; the exit office sees the hold, another office cannot see it', async () => {
    const app = await buildHttpApp(context, { logLevel: 'silent', bodyLimitBytes: 1024 * 1024 });
    const analyst = injectWith(app, await authHeaders(context, 'analyst'));
    const declare = async (lrn: string, exit: string) => {
      const created = await analyst({ method: 'POST', url: '/api/v1/movements', payload: { ...exampleDeclaration(), lrn, officesOfExit: [exit] } });
      assert.equal(created.statusCode, 201, created.body);
      return (created.json() as { id: string }).id;
    };
    const risky = await declare('DAY-0001', 'KZ000135');
    const quiet = await declare('DAY-0002', 'KZ000108');
    await context.alerts.raiseNow([finding(risky, 'goods.route_prohibited', 'critical'), finding(quiet, 'tracking.low_battery', 'low')]);

    const queue = (await analyst('/api/v1/alerts?status=open&sort=risk')).json() as { items: { movementId: string }[] };
    assert.equal(queue.items[0]?.movementId, risky);
    const risk = (await analyst(`/api/v1/movements/${risky}/risk`)).json() as { score: number; outcome: string; factors: { type: string; contribution: number }[] };
    assert.equal(risk.factors[0]?.type, 'goods.route_prohibited');
    assert.ok(risk.score > 0);

    const opened = await analyst({ method: 'POST', url: '/api/v1/cases', payload: { movementId: risky } });
    assert.equal(opened.statusCode, 201, opened.body);
    const { id: caseId } = opened.json() as { id: string };
    const noReason = await analyst({ method: 'POST', url: `/api/v1/cases/${caseId}/decision`, payload: { outcome: 'hold' } });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /reason/);
    const held = await analyst({ method: 'POST', url: `/api/v1/cases/${caseId}/decision`, payload: { outcome: 'hold', reason: 'Controlled chips heading for Russia' } });
    assert.equal(held.statusCode, 200, held.body);

    const exitOfficer = injectWith(app, await authHeaders(context, 'officer', ['KZ000135']));
    const seen = await exitOfficer(`/api/v1/movements/${risky}`);
    assert.equal(seen.statusCode, 200);
    assert.equal((seen.json() as { movement: { state: string } }).movement.state, 'held');
    const otherOfficer = injectWith(app, await authHeaders(context, 'officer', ['KZ000111']));
    assert.equal((await otherOfficer(`/api/v1/movements/${risky}`)).statusCode, 404);
    assert.equal((await otherOfficer(`/api/v1/cases/${caseId}`)).statusCode, 404);
    assert.deepEqual((await otherOfficer('/api/v1/alerts?status=open')).json().items, []);
    assert.equal((await context.audit.verify()).ok, true);
    await app.close();
  });
});
