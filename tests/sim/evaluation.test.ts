import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { type AppContext, createAppContext } from '../../src/main.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DomainError } from '../../src/shared/errors.js';
import { sequentialIds } from '../../src/shared/ids.js';
import { type ScoredAlert, type TruthLine, loadTrackingAlerts, parseTruth, scoreAlerts } from '../../src/sim/evaluation.js';
import { declarationWith } from '../support/movement-fixtures.js';
import { testStores } from '../support/stores.js';

const truth: TruthLine[] = [
  { lrn: 'A', evasion: 'diversion', start: '2026-11-25T10:00:00.000Z' },
  { lrn: 'B', evasion: 'diversion', start: '2026-11-25T10:00:00.000Z' },
  { lrn: 'C', evasion: 'diversion', start: '2026-11-25T10:00:00.000Z' },
  { lrn: 'D', evasion: 'silence', start: '2026-11-25T12:00:00.000Z' },
  { lrn: 'E', evasion: 'spoofing', start: '2026-11-25T12:00:00.000Z' },
];

const alert = (lrn: string, severity: ScoredAlert['severity'], observedAt: string, raisedAt: string, type = 'tracking.route_deviation'): ScoredAlert => ({
  lrn,
  type,
  severity,
  observedAt,
  raisedAt,
});

describe('evaluation metrics', () => {
  const alerts: ScoredAlert[] = [
    // A: detected 30 and 90 minutes after the start; the first counts.
    alert('A', 'high', '2026-11-25T10:20:00.000Z', '2026-11-25T10:30:00.000Z'),
    alert('A', 'medium', '2026-11-25T11:00:00.000Z', '2026-11-25T11:30:00.000Z'),
    // B: only an alert from before the evasion started: not a detection, but B is still an alerted, labelled movement.
    alert('B', 'medium', '2026-11-25T08:00:00.000Z', '2026-11-25T09:00:00.000Z'),
    // C: detected after 70 minutes by a low alert: recall counts any severity.
    alert('C', 'low', '2026-11-25T11:05:00.000Z', '2026-11-25T11:10:00.000Z', 'tracking.low_battery'),
    // D: observed before the start, raised 100 minutes after it.
    alert('D', 'high', '2026-11-25T11:59:00.000Z', '2026-11-25T13:40:00.000Z', 'tracking.silence'),
    // Two legitimate movements alerted: one medium (a false positive), one low (not counted for precision).
    alert('X', 'medium', '2026-11-25T09:00:00.000Z', '2026-11-25T09:05:00.000Z'),
    alert('Y', 'low', '2026-11-25T09:00:00.000Z', '2026-11-25T09:05:00.000Z'),
  ];

  it('computes recall per type, median minutes to the first alert at or after the start, and precision over medium+ alerts', () => {
    const { result, outcomes } = scoreAlerts(truth, alerts, 40);
    assert.deepEqual(result.byType.diversion, { n: 3, recall: 0.6667, medianDetectMinutes: 50 });
    assert.deepEqual(result.byType.silence, { n: 1, recall: 1, medianDetectMinutes: 100 });
    assert.deepEqual(result.byType.spoofing, { n: 1, recall: 0, medianDetectMinutes: 0 });
    assert.deepEqual(result.byType.seal_breach, { n: 0, recall: 0, medianDetectMinutes: 0 });
    // Medium or higher: A, B, D, X; labelled among them: A, B, D.
    assert.equal(result.alertedMovements, 4);
    assert.equal(result.precision, 0.75);
    assert.equal(result.movements, 40);
    assert.equal(outcomes.find((o) => o.lrn === 'C')?.firstAlertType, 'tracking.low_battery');
  });

  it('can count the observed time instead of the raised time', () => {
    const { result } = scoreAlerts(truth, alerts, 40, { detectTime: 'observed' });
    // D was observed a minute before its start: no longer a detection.
    assert.deepEqual(result.byType.silence, { n: 1, recall: 0, medianDetectMinutes: 0 });
    assert.deepEqual(result.byType.diversion, { n: 3, recall: 0.6667, medianDetectMinutes: 42.5 });
  });

  it('can require a minimum severity for a detection without changing precision', () => {
    const { result } = scoreAlerts(truth, alerts, 40, { recallSeverity: 'medium' });
    // C was caught only by a low alert.
    assert.deepEqual(result.byType.diversion, { n: 3, recall: 0.3333, medianDetectMinutes: 30 });
    assert.equal(result.precision, 0.75);
  });

  it('prints exactly the documented keys, with every evasion type present', () => {
    const { result } = scoreAlerts([], [], 0);
    assert.deepEqual(Object.keys(result), ['byType', 'precision', 'alertedMovements', 'movements']);
    assert.deepEqual(Object.keys(result.byType), ['diversion', 'seal_breach', 'ghost_transit', 'silence', 'spoofing', 'unscheduled_stop']);
    assert.equal(result.precision, 0);
  });

  it('parses truth files and names every bad line', () => {
    assert.deepEqual(parseTruth('{"lrn":"A","evasion":"silence","start":"2026-11-25T12:00:00Z"}\n\n'), [
      { lrn: 'A', evasion: 'silence', start: '2026-11-25T12:00:00.000Z' },
    ]);
    assert.throws(
      () => parseTruth('{"lrn":"A","evasion":"teleport","start":"2026-11-25T12:00:00Z"}\nnot json\n{"lrn":"B","evasion":"silence"}'),
      (error: unknown) => {
        assert.ok(error instanceof DomainError);
        assert.deepEqual(
          error.issues.map((issue) => issue.path),
          ['line 1/evasion', 'line 2', 'line 3/start'],
        );
        return true;
      },
    );
  });
});

for (const store of testStores) {
  describe(`evaluation store query on ${store.name}`, async () => {
    const skip = await store.skip();
    let db: Db;
    let context: AppContext;
    before(async () => {
      if (skip) return;
      db = await store.open();
      context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-24T08:00:00Z'), ids: sequentialIds('E') });
    });
    after(async () => {
      if (!skip) await context.close();
    });

    it('maps tracking alerts to LRNs through the movements table and ignores other sources', { skip }, async () => {
      const declare = async (lrn: string) => {
        const input = declarationWith({ lrn });
        return context.movements.declare({ input, format: 'json', original: JSON.stringify(input) }, 'test');
      };
      const first = await declare('EVAL-1');
      await declare('EVAL-2');
      const finding = (movementId: string, dedupKey: string, source: 'tracking' | 'screening') => ({
        dedupKey,
        type: source === 'tracking' ? 'tracking.silence' : 'screening.hit',
        source,
        rule: 'test',
        ruleVersion: '1',
        severity: 'high' as const,
        score: 1,
        title: 'test',
        movementId,
        evidence: {},
        observedAt: '2026-11-24T07:00:00.000Z',
      });
      await context.alerts.raiseNow([finding(first.id, 'eval:1', 'tracking'), finding(first.id, 'eval:2', 'screening')]);
      const { alerts, movements } = await loadTrackingAlerts(db);
      assert.equal(movements, 2);
      assert.deepEqual(
        alerts.map((a) => ({ lrn: a.lrn, type: a.type, severity: a.severity, observedAt: a.observedAt })),
        [{ lrn: 'EVAL-1', type: 'tracking.silence', severity: 'high', observedAt: '2026-11-24T07:00:00.000Z' }],
      );
      assert.equal(alerts[0]!.raisedAt, '2026-11-24T08:00:00.000Z');
    });
  });
}
