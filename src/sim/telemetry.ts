import { type LatLon, offsetKm } from './geometry.js';
import type { MovementPlan, SealState } from './movement-plan.js';
import { Random, mixSeed } from './random.js';
import { HOUR, MINUTE, type Phase, phasePosition } from './timeline.js';

/** One e-seal message in the contract's shape (contracts/telemetry.example.ndjson). */
export interface TelemetryRecord {
  deviceId: string;
  messageId: string;
  time: string;
  lat: number;
  lon: number;
  speedKmh: number;
  sealState: SealState;
  battery: number;
  eventCode?: string;
}

const isoSeconds = (time: number): string => new Date(Math.round(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const round5 = (value: number): number => Math.round(value * 1e5) / 1e5;

const WILD_FIX_RATE = 0.0002;
/** Share of messages the device sends twice (no acknowledgement received); the copy is identical. */
const RESEND_RATE = 0.002;

/** Legitimate gaps never reach this: a dropped message is skipped only while the last sent one is recent. */
const MAX_DROP_GAP_MINUTES = 40;

/**
 * The device's messages in time order: a fix every reporting period (longer when standing still) with
 * jitter, GPS noise and the odd multipath glitch, a few lost messages and coverage holes; an immediate
 * message when the seal changes state; battery draining; spoofed positions and silences as planned.
 */
export function* telemetryOf(plan: MovementPlan, seed: number): Generator<{ time: number; record: TelemetryRecord }> {
  const random = new Random(mixSeed(seed, plan.index, 0x7e1e));
  const { device, phases } = plan;
  let phaseIndex = 0;
  const phaseAt = (time: number): Phase => {
    while (phaseIndex < phases.length - 1 && phases[phaseIndex]!.end <= time) phaseIndex++;
    return phases[Math.min(phaseIndex, phases.length - 1)]!;
  };
  const seal = plan.seal;
  let sealIndex = 0;
  let sealState: SealState = 'armed';
  const forced = [...plan.forcedFixes].sort((a, b) => a - b);
  let forcedIndex = 0;
  let sequence = 0;
  let lastSent = Number.NEGATIVE_INFINITY;
  let batteryAlarmSent = false;
  let alternate = false;
  let next = plan.telemetryStart;

  const silenced = (time: number): boolean => plan.gaps.some((gap) => gap.cause === 'silence' && time > gap.start && time < gap.end);

  const build = (time: number, eventCode: string | undefined): TelemetryRecord => {
    const phase = time < phases[0]!.start ? phases[0]! : phaseAt(time);
    let { position, speedKmh } = phasePosition(phase, time);
    const moving = speedKmh > 0.5;
    for (const window of plan.spoof) {
      if (time < window.start || time > window.end) continue;
      if (window.mode === 'alternating') {
        alternate = !alternate;
        if (!alternate) continue;
      }
      position = window.fake(time);
      if (window.mode === 'frozen') speedKmh = 0;
    }
    const noiseKm = device.noiseMetres / 1000;
    let p: LatLon = offsetKm(position, random.normal(0, noiseKm), random.normal(0, noiseKm));
    if (random.chance(device.glitchRate)) p = offsetKm(p, random.between(-2, 2), random.between(-2, 2));
    // Now and then a wild fix (cold start, reflections in a town): one position far off, the next one fine.
    else if (random.chance(WILD_FIX_RATE)) {
      const angle = random.between(0, Math.PI * 2);
      const km = random.between(5, 30);
      p = offsetKm(p, Math.cos(angle) * km, Math.sin(angle) * km);
    }
    const battery = Math.max(0, Math.floor(device.batteryStart - ((time - plan.telemetryStart) / HOUR) * device.drainPerHour));
    let code = eventCode;
    if (!code && battery < 15 && !batteryAlarmSent) {
      code = '05';
      batteryAlarmSent = true;
    }
    sequence++;
    return {
      deviceId: plan.deviceId,
      messageId: `${plan.deviceId}:${String(sequence).padStart(6, '0')}`,
      time: isoSeconds(time),
      lat: round5(p.lat),
      lon: round5(p.lon),
      speedKmh: moving ? Math.max(0, Math.round(speedKmh * random.between(0.9, 1.1))) : random.chance(0.1) ? 1 : 0,
      sealState,
      battery,
      ...(code ? { eventCode: code } : {}),
    };
  };

  while (true) {
    const sealTime = sealIndex < seal.length ? seal[sealIndex]!.time : Number.POSITIVE_INFINITY;
    const forcedTime = forcedIndex < forced.length ? forced[forcedIndex]! : Number.POSITIVE_INFINITY;
    const time = Math.min(next, sealTime, forcedTime);
    if (time > plan.telemetryEnd) return;
    if (time === sealTime) {
      const change = seal[sealIndex++]!;
      const changed = change.state !== sealState || change.eventCode !== undefined;
      sealState = change.state;
      if (changed && !silenced(time) && time > plan.telemetryStart) {
        const record = build(time, change.eventCode);
        lastSent = time;
        yield { time, record };
      }
      continue;
    }
    if (time === forcedTime) {
      forcedIndex++;
      if (!silenced(time)) {
        lastSent = time;
        yield { time, record: build(time, undefined) };
      }
      continue;
    }
    const phase = time < phases[0]!.start ? phases[0]! : phaseAt(time);
    const stationary = phase.kind === 'stop';
    const period = stationary ? device.stationaryPeriodMinutes : device.periodMinutes;
    next = time + period * MINUTE * random.between(0.92, 1.1);
    if (silenced(time)) continue;
    const hole = plan.gaps.find((gap) => gap.cause === 'coverage' && time > gap.start && time < gap.end);
    if (hole) {
      // Back in coverage, the device reports at once.
      next = Math.min(next, hole.end + random.between(0.2, 2) * MINUTE);
      sequence++;
      continue;
    }
    if (random.chance(device.dropRate) && time - lastSent < MAX_DROP_GAP_MINUTES * MINUTE) {
      sequence++;
      continue;
    }
    lastSent = time;
    const record = build(time, undefined);
    yield { time, record };
    if (random.chance(RESEND_RATE)) yield { time, record };
  }
}
