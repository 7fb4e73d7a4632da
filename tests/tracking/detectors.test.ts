import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { CorridorCache, corridorLines } from '../../src/tracking/corridor.js';
import { type DetectionEnv, detectMovement, initialState, isNight, observeMessage, overdueFinding, prepareMovement, type TrackFinding } from '../../src/tracking/detectors.js';
import { distanceToPolylinesKm, loadGeography } from '../../src/tracking/geo.js';
import { itineraryOf, type MovementContext, type TelemetryMessage } from '../../src/tracking/movement-context.js';
import { parseTelemetryMessage } from '../../src/tracking/telemetry.js';
import { thinTrack } from '../../src/tracking/thin.js';
import { defaultThresholds } from '../../src/tracking/thresholds.js';

const geo = loadGeography(loadConfig().referenceDir);
const env: DetectionEnv = { geo, thresholds: defaultThresholds, corridors: new CorridorCache(geo) };
const MINUTE = 60_000;

/** Nur Zholy (CN border) → Almaty → Korday (KG border) → Bishkek, declared through KZ and KG. */
const context = (overrides: Partial<MovementContext> = {}): MovementContext => ({
  movementId: 'M1',
  lrn: 'LRN-1',
  itinerary: itineraryOf(
    { officeOfDeparture: 'KZ000101', officesOfTransit: ['KZ000201'], officesOfExit: ['KZ000108'], officeOfDestination: 'KG000902', countriesOfRouting: ['KZ', 'KG'] },
    (code) => geo.offices.byCode.get(code),
  ),
  countriesOfRouting: ['KZ', 'KG'],
  deviceIds: ['D1'],
  releasedAt: '2026-11-25T03:00:00.000Z',
  limitAt: '2026-12-05T23:59:59.999Z',
  phase: 'released',
  ...overrides,
});

interface Leg {
  to: { lat: number; lon: number };
  /** Minutes spent standing at the end of the leg. */
  stopMinutes?: number;
}

/**
 * A truck driving straight legs at `kmh`, reporting every `intervalMinutes` with a few metres of GPS
 * noise (deterministic), from 03:00 UTC (08:00 local).
 */
const drive = (from: { lat: number; lon: number }, legs: Leg[], options: { kmh?: number; intervalMinutes?: number; start?: string } = {}): TelemetryMessage[] => {
  const kmh = options.kmh ?? 70;
  const interval = (options.intervalMinutes ?? 10) * MINUTE;
  let t = Date.parse(options.start ?? '2026-11-25T03:05:00Z');
  let here = from;
  const out: TelemetryMessage[] = [];
  let n = 0;
  const emit = (lat: number, lon: number, speedKmh: number) => {
    const jitter = ((n * 7919) % 11) / 1e5;
    out.push({ deviceId: 'D1', messageId: `D1:${++n}`, time: new Date(t).toISOString(), lat: lat + jitter, lon: lon - jitter, speedKmh, sealState: 'armed', battery: 90 });
  };
  for (const leg of legs) {
    const km = Math.hypot((leg.to.lat - here.lat) * 111, (leg.to.lon - here.lon) * 111 * Math.cos((here.lat * Math.PI) / 180));
    const steps = Math.max(1, Math.round(km / ((kmh * interval) / 3_600_000)));
    for (let i = 1; i <= steps; i++) {
      t += interval;
      emit(here.lat + ((leg.to.lat - here.lat) * i) / steps, here.lon + ((leg.to.lon - here.lon) * i) / steps, kmh);
    }
    here = leg.to;
    for (let waited = interval; waited <= (leg.stopMinutes ?? 0) * MINUTE; waited += interval) {
      t += interval;
      emit(here.lat, here.lon, 0);
    }
  }
  return out;
};

const NUR_ZHOLY = { lat: 44.1576, lon: 80.3986 };
const ALMATY = { lat: 43.24, lon: 76.89 };
const KORDAY = { lat: 43.037, lon: 74.711 };
const atEnd = (messages: TelemetryMessage[], plusMinutes: number): string => new Date(Date.parse(messages.at(-1)!.time) + plusMinutes * MINUTE).toISOString();
const ofType = (findings: TrackFinding[], type: TrackFinding['type']) => findings.filter((f) => f.type === type);
const alarms = (findings: TrackFinding[]) => findings.filter((f) => f.severity !== 'low');

describe('tracking detectors', () => {
  it('raise nothing of weight on an ordinary trip along the declared road', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY, stopMinutes: 45 }, { to: KORDAY }]);
    const findings = detectMovement(context(), messages, atEnd(messages, 30), env);
    assert.deepEqual(alarms(findings), []);
  });

  it('raise a route deviation once per episode after the grace period, escalating with distance', () => {
    // From Almaty north toward Lake Balkhash, far from the corridor to Korday.
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: { lat: 45.2, lon: 76.0 } }]);
    const findings = ofType(detectMovement(context(), messages, atEnd(messages, 1), env), 'route_deviation');
    assert.ok(findings.length >= 1);
    assert.equal(new Set(findings.map((f) => f.dedupKey)).size, 1, 'one episode, one key');
    assert.equal(findings.at(-1)!.severity, 'high');
    const evidence = findings[0]!.evidence as { outsideMinutes: number; distanceFromCorridorKm: number };
    assert.ok(evidence.outsideMinutes >= defaultThresholds.corridorGraceMinutes);
    assert.ok(evidence.distanceFromCorridorKm > defaultThresholds.corridorHalfWidthKm);
  });

  it('judge no deviation when the itinerary has too few placed offices to draw a corridor', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: { lat: 45.2, lon: 76.0 } }]);
    const lone = context({ itinerary: context().itinerary.slice(0, 1) });
    assert.deepEqual(ofType(detectMovement(lone, messages, atEnd(messages, 1), env), 'route_deviation'), []);
  });

  it('do not raise a deviation shorter than the grace period', () => {
    const out = { lat: 43.24 + 0.6, lon: 76.5 };
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: out }, { to: ALMATY }, { to: KORDAY }], { kmh: 90 });
    assert.deepEqual(ofType(detectMovement(context(), messages, atEnd(messages, 1), env), 'route_deviation'), []);
  });

  it('raise a seal opened away from offices as critical, once while it stays open, and as low at a declared office', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }]);
    messages[5] = { ...messages[5]!, sealState: 'opened', eventCode: '01' };
    messages[6] = { ...messages[6]!, sealState: 'opened' };
    const away = ofType(detectMovement(context(), messages, atEnd(messages, 1), env), 'seal_opened');
    assert.deepEqual(away.map((f) => [f.severity, f.observedAt]), [['critical', messages[5]!.time]]);
    const atOffice = drive(NUR_ZHOLY, [{ to: ALMATY, stopMinutes: 60 }]);
    const last = atOffice.length - 2;
    atOffice[last] = { ...atOffice[last]!, sealState: 'opened' };
    assert.deepEqual(ofType(detectMovement(context(), atOffice, atEnd(atOffice, 1), env), 'seal_opened').map((f) => f.severity), ['low']);
  });

  it('keep each e-seal of a movement in its own episode: one staying armed neither ends nor repeats the other\'s breach', () => {
    const first = drive(NUR_ZHOLY, [{ to: ALMATY }]);
    const opened = new Set([5, 6, 7, 8]);
    const both = first.flatMap((m, i) => [
      m,
      { ...m, deviceId: 'D2', messageId: `D2:${i}`, ...(opened.has(i) ? { sealState: 'opened' as const } : {}) },
    ]);
    const findings = ofType(detectMovement(context({ deviceIds: ['D1', 'D2'] }), both, atEnd(both, 1), env), 'seal_opened');
    assert.deepEqual(findings.map((f) => [f.severity, f.observedAt, f.evidence.deviceId]), [['critical', first[5]!.time, 'D2']]);
  });

  it('note a coverage hole as low and raise a silence of hours as medium, from the clock alone', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }]);
    const hole = detectMovement(context(), messages, atEnd(messages, 75), env);
    assert.deepEqual(ofType(hole, 'silence').map((f) => f.severity), ['low']);
    const silent = ofType(detectMovement(context(), messages, atEnd(messages, 200), env), 'silence');
    assert.equal(silent.at(-1)!.severity, 'medium');
    assert.equal(silent.at(-1)!.observedAt, atEnd(messages, defaultThresholds.silenceAlertMinutes));
  });

  it('learn a slow device’s reporting interval before calling it silent', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: KORDAY }], { intervalMinutes: 40 });
    assert.deepEqual(ofType(detectMovement(context(), messages, atEnd(messages, 70), env), 'silence'), []);
  });

  it('raise impossible movement when the track itself jumps, but forgive a lone GPS glitch', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }]);
    const glitch = messages.map((m, i) => (i === 8 ? { ...m, lat: m.lat + 2 } : m));
    assert.deepEqual(ofType(detectMovement(context(), glitch, atEnd(glitch, 1), env), 'impossible_movement'), []);
    const spoofed = messages.map((m, i) => (i >= 8 ? { ...m, lat: m.lat + 3 } : m));
    const found = ofType(detectMovement(context(), spoofed, atEnd(spoofed, 1), env), 'impossible_movement');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.severity, 'high');
    assert.ok((found[0]!.evidence.impliedSpeedKmh as number) > defaultThresholds.maxTruckSpeedKmh);
  });

  it('forgive a glitch that was just short of impossible once the track carries on from before it', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }]);
    const glitch = messages.map((m, i) => (i === 8 ? { ...m, lat: m.lat + 0.17 } : m));
    assert.deepEqual(ofType(detectMovement(context(), glitch, atEnd(glitch, 1), env), 'impossible_movement'), []);
  });

  it('raise impossible movement when a second position stream is interleaved with the real one', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }]);
    const interleaved = messages.map((m, i) => (i >= 6 && i % 2 === 0 ? { ...m, lat: 41.0, lon: 70.0 } : m));
    const found = ofType(detectMovement(context(), interleaved, atEnd(interleaved, 1), env), 'impossible_movement');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.observedAt, interleaved[9]!.time, 'the second forgiven outlier is the evidence');
  });

  it('raise impossible movement when the position stands still while the seal reports driving speed', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }]);
    const frozen = messages.map((m, i) => (i >= 10 ? { ...m, lat: messages[9]!.lat, lon: messages[9]!.lon, speedKmh: 72 } : m));
    const found = ofType(detectMovement(context(), frozen, atEnd(frozen, 1), env), 'impossible_movement');
    assert.deepEqual(found.map((f) => [f.severity, f.evidence.pattern]), [['medium', 'frozen position']]);
    const parked = messages.map((m, i) => (i >= 10 ? { ...m, lat: messages[9]!.lat, lon: messages[9]!.lon, speedKmh: 0 } : m));
    assert.deepEqual(ofType(detectMovement(context(), parked, atEnd(parked, 1), env), 'impossible_movement'), []);
  });

  it('raise a long day stop away from offices but let a driver take the night’s rest', () => {
    const between = { lat: 43.9, lon: 79.0 };
    const day = drive(NUR_ZHOLY, [{ to: between, stopMinutes: 360 }, { to: ALMATY }]);
    const stops = ofType(detectMovement(context(), day, atEnd(day, 1), env), 'unscheduled_stop');
    assert.equal(stops.at(-1)!.severity, 'medium');
    assert.equal(new Set(stops.map((f) => f.dedupKey)).size, 1);
    // Reaching the lay-by in the evening (17:30 local) and resting 10 h is the daily rest.
    const night = drive(NUR_ZHOLY, [{ to: between, stopMinutes: 600 }, { to: ALMATY }], { start: '2026-11-25T12:30:00Z' });
    assert.deepEqual(ofType(detectMovement(context({ releasedAt: '2026-11-25T12:00:00.000Z' }), night, atEnd(night, 1), env), 'unscheduled_stop'), []);
    assert.equal(isNight(Date.parse('2026-11-25T13:00:00Z'), defaultThresholds), true);
  });

  it('raise an approach to an undeclared border high off the corridor, low where the declared road runs along it', () => {
    // Declared to Kyrgyzstan, driven west to the Uzbek border near Saryagash.
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: KORDAY }, { to: { lat: 42.3, lon: 69.6 } }, { to: { lat: 41.5, lon: 69.2 } }]);
    const border = ofType(detectMovement(context(), messages, atEnd(messages, 1), env), 'border_approach');
    assert.equal(border.at(-1)!.severity, 'high');
    assert.equal(border.at(-1)!.evidence.neighbour, 'UZ');
    const crossed = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: KORDAY }, { to: { lat: 42.3, lon: 69.6 } }, { to: { lat: 41.2, lon: 69.3 } }]);
    const inside = ofType(detectMovement(context(), crossed, atEnd(crossed, 1), env), 'border_approach');
    assert.equal(inside.at(-1)!.severity, 'critical', 'seen inside Uzbekistan');
  });

  it('raise exit not confirmed when the seal was last heard near the border and no exit came', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: KORDAY }]);
    const findings = detectMovement(context(), messages, atEnd(messages, 13 * 60), env);
    assert.deepEqual(ofType(findings, 'exit_not_confirmed').map((f) => f.severity), ['high']);
    const exited = detectMovement(context({ phase: 'exited', completedAt: atEnd(messages, 20) }), messages, atEnd(messages, 13 * 60), env);
    assert.deepEqual(ofType(exited, 'exit_not_confirmed'), []);
  });

  it('note a low battery once per episode', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }]).map((m, i) => ({ ...m, battery: i > 10 ? 12 : 40 }));
    assert.deepEqual(ofType(detectMovement(context(), messages, atEnd(messages, 1), env), 'low_battery').map((f) => f.severity), ['low']);
  });

  it('ignore messages from before the release', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }], { start: '2026-11-25T00:00:00Z' }).map((m, i) => (i === 2 ? { ...m, sealState: 'opened' as const } : m));
    assert.deepEqual(ofType(detectMovement(context(), messages, atEnd(messages, 1), env), 'seal_opened'), []);
  });

  it('date an overdue finding at the time limit', () => {
    const movement = prepareMovement(context(), env);
    const finding = overdueFinding(initialState(movement, defaultThresholds), movement, '2026-12-05T23:59:59.999Z', '2026-12-06T00:01:00Z', defaultThresholds);
    assert.equal(finding.dedupKey, 'M1:overdue:2026-12-05T23:59:59.999Z');
    assert.equal(finding.severity, 'medium');
  });
});

/** Traffic Caravan's simulator does not produce: bending roads, long queues, noisy receivers, late trucks, smarter spoofs. */
describe('tracking detectors on the rules of the road', () => {
  const KARAGANDA = { lat: 49.8, lon: 73.1 };
  const ASTANA = { lat: 51.17, lon: 71.45 };
  const almatyToAstana = (): MovementContext =>
    context({
      itinerary: itineraryOf(
        { officeOfDeparture: 'KZ000201', officesOfTransit: [], officesOfExit: [], officeOfDestination: 'KZ000202', countriesOfRouting: ['KZ'] },
        (code) => geo.offices.byCode.get(code),
      ),
      countriesOfRouting: ['KZ'],
    });

  it('let a declaration naming only its ends run through the regional centre on the way', () => {
    // The road passes east of Karaganda, ~70 km from the straight Almaty–Astana line.
    const eastOfKaraganda = { lat: 49.8, lon: 73.38 };
    assert.ok(distanceToPolylinesKm(eastOfKaraganda, corridorLines(almatyToAstana().itinerary, geo)) < 25);
    const messages = drive(ALMATY, [{ to: eastOfKaraganda }, { to: ASTANA }]);
    assert.deepEqual(ofType(detectMovement(almatyToAstana(), messages, atEnd(messages, 1), env), 'route_deviation'), []);
  });

  it('note a road bending off the corridor toward the exit as low, raise one leading away as medium', () => {
    // Almaty to Korday round a bend 70 km north of the straight line: closer to Korday all the way.
    const bend = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: { lat: 43.77, lon: 75.8 } }, { to: KORDAY }]);
    assert.deepEqual(ofType(detectMovement(context(), bend, atEnd(bend, 1), env), 'route_deviation').map((f) => f.severity), ['low']);
    // The same distance off, but north toward Lake Balkhash: away from Korday.
    const away = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: { lat: 44.05, lon: 76.9 } }]);
    assert.deepEqual(ofType(detectMovement(context(), away, atEnd(away, 1), env), 'route_deviation').map((f) => f.severity), ['medium']);
  });

  it('keep counting a stop through a lone multipath fix', () => {
    const between = { lat: 43.9, lon: 79.0 };
    const messages = drive(NUR_ZHOLY, [{ to: between, stopMinutes: 420 }, { to: ALMATY }]);
    const standing = messages.findIndex((m) => m.speedKmh === 0);
    const middle = standing + 21;
    messages[middle] = { ...messages[middle]!, lat: messages[middle]!.lat + 0.018 };
    const stops = ofType(detectMovement(context(), messages, atEnd(messages, 1), env), 'unscheduled_stop');
    assert.equal(stops.at(-1)!.severity, 'medium');
    assert.equal(new Set(stops.map((f) => f.dedupKey)).size, 1, 'one stop, not two halves');
  });

  it('note a long stop in the queue before the exit crossing as low', () => {
    // 20 km before Korday, outside its 15 km office zone: the queue, 7 h by day.
    const queue = { lat: 43.05, lon: 74.96 };
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }, { to: queue, stopMinutes: 420 }, { to: KORDAY }], { kmh: 90 });
    assert.deepEqual(ofType(detectMovement(context(), messages, atEnd(messages, 1), env), 'unscheduled_stop').map((f) => f.severity), ['low']);
  });

  it('excuse a long stop only at the movement’s own offices, not at any office it passes', () => {
    // Kalzhat is a crossing the truck does not use; standing 16 h by day next to it is not a queue.
    const kalzhat = { lat: 43.87, lon: 80.6 };
    const messages = drive(NUR_ZHOLY, [{ to: kalzhat, stopMinutes: 960 }, { to: ALMATY }]);
    assert.equal(ofType(detectMovement(context(), messages, atEnd(messages, 1), env), 'unscheduled_stop').at(-1)?.severity, 'medium');
  });

  it('raise impossible movement when the track keeps up a speed no lorry can, though no step jumps', () => {
    const fast = drive(NUR_ZHOLY, [{ to: ALMATY }], { kmh: 135, intervalMinutes: 4 });
    const found = ofType(detectMovement(context(), fast, atEnd(fast, 1), env), 'impossible_movement');
    assert.deepEqual(found.map((f) => [f.severity, f.evidence.pattern]), [['high', 'sustained speed']]);
    const limited = drive(NUR_ZHOLY, [{ to: ALMATY }], { kmh: 95, intervalMinutes: 4 });
    assert.deepEqual(ofType(detectMovement(context(), limited, atEnd(limited, 1), env), 'impossible_movement'), []);
  });

  it('raise impossible movement for two lone outliers within the window: a clone reporting now and then', () => {
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }]);
    const cloned = messages.map((m, i) => (i === 6 || i === 10 ? { ...m, lat: m.lat + 0.5 } : m));
    assert.equal(ofType(detectMovement(context(), cloned, atEnd(cloned, 1), env), 'impossible_movement').length, 1);
  });

  it('note a truck late but tracked on its corridor as low, a silent one as medium', () => {
    const movement = prepareMovement(context(), env);
    const state = initialState(movement, defaultThresholds);
    const messages = drive(NUR_ZHOLY, [{ to: ALMATY }]);
    for (const message of messages) observeMessage(state, movement, env, message);
    const limitAt = messages.at(-1)!.time;
    assert.equal(overdueFinding(state, movement, limitAt, atEnd(messages, 10), defaultThresholds).severity, 'low');
    assert.equal(overdueFinding(state, movement, limitAt, atEnd(messages, 5 * 60), defaultThresholds).severity, 'medium');
  });
});

describe('telemetry messages', () => {
  const now = new Date('2026-11-25T08:00:00Z');
  const good = { deviceId: 'D', messageId: 'D:1', time: '2026-11-25T07:59:00+05:00', lat: 44, lon: 80, speedKmh: 10, sealState: 'armed', battery: 50 };
  it('normalise the time to UTC and accept a small clock skew', () => {
    const parsed = parseTelemetryMessage({ ...good, time: '2026-11-25T13:02:00+05:00' }, now, 300_000);
    assert.ok(parsed.ok);
    assert.equal(parsed.message.time, '2026-11-25T08:02:00.000Z');
  });
  it('reject each bad field by name', () => {
    const parsed = parseTelemetryMessage({ ...good, time: '2026-11-25 07:00', lon: 200, speedKmh: -1, eventCode: '09', messageId: '' }, now, 300_000);
    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.issues.map((i) => i.path).sort(), ['eventCode', 'lon', 'messageId', 'speedKmh', 'time']);
  });
});

describe('track thinning', () => {
  it('keeps seal changes, event codes and stop ends while dropping straight-line points', () => {
    const points = Array.from({ length: 50 }, (_, i) => ({
      time: new Date(Date.UTC(2026, 10, 25, 3, i)).toISOString(),
      lat: 44,
      lon: 76 + i * 0.01,
      speedKmh: i >= 20 && i < 30 ? 0 : 60,
      sealState: i === 40 ? 'opened' : 'armed',
      battery: 90,
      ...(i === 45 ? { eventCode: '05' } : {}),
    }));
    const kept = thinTrack(points, 0.5).map((p) => points.indexOf(p));
    assert.deepEqual(kept, [0, 19, 20, 29, 30, 40, 41, 45, 49]);
  });
});
