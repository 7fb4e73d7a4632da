import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { loadNomenclature } from '../../src/goods/nomenclature.js';
import { checkDeclarationReferences, electronicSealDevices, parseDeclaration } from '../../src/movements/declaration.js';
import { parseOfficeEvent } from '../../src/movements/movement-event.js';
import { type MovementStatus, applyEvent } from '../../src/movements/movement.js';
import { loadReferenceOffices } from '../../src/offices/office-reference.js';
import { type SimRecord, type SimulationOptions, simulate } from '../../src/sim/dataset.js';
import { EVASION_TYPES } from '../../src/sim/movement-plan.js';
import { writeDataset } from '../../src/sim/files.js';

const referenceDir = loadConfig().referenceDir;
const options = (changes: Partial<SimulationOptions> = {}): SimulationOptions => ({
  movements: 90,
  days: 1,
  seed: 11,
  start: new Date('2026-11-25T00:00:00Z'),
  scenarios: true,
  evasionRate: 0.3,
  referenceDir,
  ...changes,
});

const records = [...simulate(options())];
const ofKind = <K extends SimRecord['kind']>(kind: K) => records.filter((r): r is Extract<SimRecord, { kind: K }> => r.kind === kind);

describe('caravan simulate data set', () => {
  it('writes declarations that Caravan’s own validator accepts, with e-seals whose identifier is the device id', () => {
    const offices = new Set(loadReferenceOffices(referenceDir, '2026-11-25T00:00:00Z').map((office) => office.code));
    const nomenclature = loadNomenclature(referenceDir);
    const references = {
      officeExists: (code: string) => offices.has(code),
      checkHsCode: (code: string) => {
        const result = nomenclature.check(code);
        return result.ok ? { ok: true as const, normalised: result.hs6 } : { ok: false as const, reason: result.reason };
      },
    };
    const declarations = ofKind('declaration');
    assert.equal(declarations.length, 90);
    const devices = new Set(ofKind('telemetry').map((r) => r.record.deviceId));
    for (const { record, time } of declarations) {
      const parsed = parseDeclaration(JSON.parse(JSON.stringify(record)));
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues));
      const issues = checkDeclarationReferences(parsed.declaration, references, new Date(time).toISOString().slice(0, 10));
      assert.deepEqual(issues, [], record.lrn);
      const sealDevices = electronicSealDevices(parsed.declaration);
      assert.equal(sealDevices.length, 1);
      assert.ok(devices.has(sealDevices[0]!), `device ${sealDevices[0]} of ${record.lrn} sends telemetry`);
      assert.ok(parsed.declaration.officesOfTransit.length <= 9);
    }
    assert.equal(new Set(declarations.map((d) => d.record.lrn)).size, 90, 'LRNs are unique');
  });

  it('writes lifecycle events in the contract shape that the state machine accepts in order', () => {
    const byLrn = new Map<string, MovementStatus>();
    for (const { record } of ofKind('event')) {
      const parsed = parseOfficeEvent(JSON.parse(JSON.stringify(record)));
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues));
      const status = byLrn.get(record.lrn) ?? { state: 'submitted', stateBeforeHold: null };
      const next = applyEvent(status, record.type);
      assert.ok(next.ok, `${record.lrn} ${record.type}: ${!next.ok && next.reason}`);
      byLrn.set(record.lrn, next.status);
    }
    const states = [...byLrn.values()].map((s) => s.state);
    assert.ok(states.filter((s) => s === 'discharged').length > 60, 'most movements finish');
    assert.ok(states.every((s) => s !== 'submitted'));
  });

  it('writes telemetry in time order with valid positions and seal states; a message id is only ever resent unchanged', () => {
    const telemetry = ofKind('telemetry');
    const ids = new Map<string, string>();
    let previous = '';
    for (const { record } of telemetry) {
      assert.ok(record.time >= previous, 'time order');
      previous = record.time;
      const seen = ids.get(record.messageId);
      assert.ok(seen === undefined || seen === JSON.stringify(record), record.messageId);
      ids.set(record.messageId, JSON.stringify(record));
      assert.match(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(record.lat > 35 && record.lat < 60 && record.lon > 45 && record.lon < 90, `${record.lat},${record.lon}`);
      assert.ok(['armed', 'opened', 'tampered'].includes(record.sealState));
      assert.ok(record.battery >= 0 && record.battery <= 100);
      assert.ok(record.speedKmh >= 0 && record.speedKmh < 400);
      if (record.eventCode !== undefined) assert.match(record.eventCode, /^0[1-7]$/);
    }
    assert.ok(telemetry.length > 90 * 100);
  });

  it('labels evasions of all six types against movements of the data set', () => {
    const lrns = new Set(ofKind('declaration').map((d) => d.record.lrn));
    const truth = ofKind('truth');
    assert.deepEqual(new Set(truth.map((t) => t.record.evasion)), new Set(EVASION_TYPES));
    for (const { record } of truth) {
      assert.ok(lrns.has(record.lrn));
      assert.match(record.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it('gives the same data for the same seed and different data for another seed', () => {
    const digest = (seed: number) => {
      const hash = createHash('sha256');
      for (const record of simulate(options({ seed, movements: 15 }))) hash.update(JSON.stringify(record.record));
      return hash.digest('hex');
    };
    assert.equal(digest(5), digest(5));
    assert.notEqual(digest(5), digest(6));
  });

  it('labels nothing without --scenarios', () => {
    assert.equal([...simulate(options({ scenarios: false, movements: 20 }))].filter((r) => r.kind === 'truth').length, 0);
  });

  it('writes the four NDJSON files of the contracts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'caravan-sim-'));
    try {
      const summary = await writeDataset(options({ movements: 12 }), dir);
      const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(lines(summary.files.declarations).length, 12);
      assert.equal(lines(summary.files.events).length, summary.counts.events);
      assert.equal(lines(summary.files.telemetry).length, summary.counts.telemetry);
      for (const truth of lines(summary.files.truth)) assert.deepEqual(Object.keys(truth).sort(), ['evasion', 'lrn', 'start']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
