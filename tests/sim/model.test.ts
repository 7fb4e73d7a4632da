import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { DeclarationInput } from '../../src/movements/declaration.js';
import { type SimRecord, simulate } from '../../src/sim/dataset.js';
import { distanceKm } from '../../src/sim/geometry.js';
import type { EvasionType, OfficeEventRecord, TruthRecord } from '../../src/sim/movement-plan.js';
import { loadOffices } from '../../src/sim/network.js';
import type { TelemetryRecord } from '../../src/sim/telemetry.js';

/**
 * The envelope of legitimate traffic that docs/simulator.md promises, and the signature each evasion must
 * leave in the data, checked on a generated set: if the model drifts, these break.
 */
const referenceDir = loadConfig().referenceDir;
const offices = loadOffices(referenceDir);
const byCode = new Map(offices.map((office) => [office.code, office]));
const kzOffices = offices.filter((office) => office.country === 'KZ');
const roadCrossings = offices.filter((office) => office.role === 'border_crossing' && office.mode === 'road');

interface Movement {
  declaration: DeclarationInput;
  events: OfficeEventRecord[];
  fixes: TelemetryRecord[];
  truth?: TruthRecord;
}

const movements = new Map<string, Movement>();
for (const record of simulate({
  movements: 240,
  days: 1,
  seed: 2024,
  start: new Date('2026-11-25T00:00:00Z'),
  scenarios: true,
  evasionRate: 0.25,
  referenceDir,
}) as Generator<SimRecord>) {
  if (record.kind === 'declaration') movements.set(record.lrn, { declaration: record.record, events: [], fixes: [] });
  else if (record.kind === 'event') movements.get(record.lrn)!.events.push(record.record);
  else if (record.kind === 'telemetry') movements.get(record.lrn)!.fixes.push(record.record);
  else movements.get(record.lrn)!.truth = record.record;
}

const minutes = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 60_000;
const nearOffice = (p: { lat: number; lon: number }, km = 15) => kzOffices.some((office) => distanceKm(p, office) < km);
const endOfTransit = (m: Movement) => m.events.find((e) => e.type === 'exited' || e.type === 'arrived')?.time ?? '9999';
const enRoute = (m: Movement) => m.fixes.filter((f) => f.time <= endOfTransit(m));
const segmentKm = (p: { lat: number; lon: number }, a: { lat: number; lon: number }, b: { lat: number; lon: number }) => {
  let best = Math.min(distanceKm(p, a), distanceKm(p, b));
  for (let i = 1; i < 20; i++) {
    const t = i / 20;
    best = Math.min(best, distanceKm(p, { lat: a.lat + (b.lat - a.lat) * t, lon: a.lon + (b.lon - a.lon) * t }));
  }
  return best;
};
const corridorKm = (m: Movement, p: { lat: number; lon: number }) => {
  const d = m.declaration;
  const line = [d.officeOfDeparture, ...(d.officesOfTransit ?? []), ...(d.officesOfExit ?? []), d.officeOfDestination]
    .map((code) => byCode.get(code)!)
    .filter((office) => office.country === 'KZ');
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < line.length; i++) best = Math.min(best, segmentKm(p, line[i - 1]!, line[i]!));
  return best;
};
/** Longest stretch of fixes within 1.5 km of its first fix, away from offices, in hours. */
const longestStopAwayHours = (fixes: TelemetryRecord[], from = '') => {
  let best = 0;
  for (let i = 0; i < fixes.length; i++) {
    if (fixes[i]!.time < from || nearOffice(fixes[i]!)) continue;
    let j = i;
    while (j + 1 < fixes.length && distanceKm(fixes[i]!, fixes[j + 1]!) < 1.5) j++;
    best = Math.max(best, minutes(fixes[i]!.time, fixes[j]!.time) / 60);
    i = j;
  }
  return best;
};

const legit = [...movements.values()].filter((m) => !m.truth);
const labelled = (type: EvasionType) => [...movements.values()].filter((m) => m.truth?.evasion === type);

describe('legitimate traffic stays within the documented envelope', () => {
  it('leaves no gap over 80 minutes between messages while en route', () => {
    for (const m of legit) {
      const fixes = enRoute(m);
      for (let i = 1; i < fixes.length; i++) assert.ok(minutes(fixes[i - 1]!.time, fixes[i]!.time) <= 80, m.declaration.lrn);
    }
  });

  it('opens seals only inside office zones', () => {
    for (const m of legit) for (const f of m.fixes) if (f.sealState !== 'armed') assert.ok(nearOffice(f), `${m.declaration.lrn} ${f.time}`);
  });

  it('never stands still away from offices longer than a daily rest (11½ h, measured on noisy fixes)', () => {
    for (const m of legit) assert.ok(longestStopAwayHours(enRoute(m)) <= 11.75, m.declaration.lrn);
  });

  it('stays within 50 km of the line through its declared offices, apart from lone wild fixes', () => {
    for (const m of legit) {
      const far = enRoute(m).filter((f) => corridorKm(m, f) > 50);
      assert.ok(far.length <= 2, `${m.declaration.lrn}: ${far.length} fixes off the corridor`);
    }
  });
});

describe('each evasion leaves its signature', () => {
  it('diversion: far off the declared corridor and close to a border the movement is not declared to cross', () => {
    assert.ok(labelled('diversion').length > 0);
    for (const m of labelled('diversion')) {
      const after = m.fixes.filter((f) => f.time >= m.truth!.start);
      const routing = new Set(m.declaration.countriesOfRouting);
      assert.ok(after.some((f) => corridorKm(m, f) > 60), m.declaration.lrn);
      assert.ok(after.some((f) => roadCrossings.some((c) => !routing.has(c.neighbour) && distanceKm(f, c) < 25)), m.declaration.lrn);
    }
  });

  it('seal breach: the seal leaves the armed state away from every office, at the start', () => {
    for (const m of labelled('seal_breach')) {
      const breach = m.fixes.find((f) => f.sealState !== 'armed');
      assert.ok(breach && breach.time === m.truth!.start && !nearOffice(breach), m.declaration.lrn);
    }
  });

  it('ghost transit: neither exits nor arrives, and the tracker ends', () => {
    for (const m of labelled('ghost_transit')) {
      assert.ok(!m.events.some((e) => e.type === 'exited' || e.type === 'arrived'), m.declaration.lrn);
      assert.ok(m.fixes.length > 0 && m.fixes[m.fixes.length - 1]!.time >= m.truth!.start);
    }
  });

  it('silence: hours without a message while still en route, from the last message at the start', () => {
    for (const m of labelled('silence')) {
      const fixes = m.fixes.filter((f) => f.time >= m.truth!.start && f.time <= endOfTransit(m));
      assert.equal(fixes[0]?.time, m.truth!.start, m.declaration.lrn);
      const next = fixes[1]?.time ?? endOfTransit(m);
      assert.ok(minutes(m.truth!.start, next) >= 150, m.declaration.lrn);
    }
  });

  it('spoofing: positions no lorry can produce (over 170 km/h between fixes over 30 km apart)', () => {
    for (const m of labelled('spoofing')) {
      const after = m.fixes.filter((f) => f.time >= m.truth!.start);
      const impossible = after.some((f, i) => {
        if (i === 0) return false;
        const km = distanceKm(after[i - 1]!, f);
        return km > 30 && km / Math.max(minutes(after[i - 1]!.time, f.time) / 60, 1 / 60) > 170;
      });
      assert.ok(impossible, m.declaration.lrn);
    }
  });

  it('unscheduled stop: at least 5½ h standing still away from offices from the start', () => {
    for (const m of labelled('unscheduled_stop')) assert.ok(longestStopAwayHours(m.fixes, m.truth!.start) >= 5.4, m.declaration.lrn);
  });
});
