import type { CorridorCache } from './corridor.js';
import { distanceKm, distanceToPolylinesKm, type Geography, NEIGHBOURS, type Point } from './geo.js';
import type { ItineraryOffice, MovementContext, TelemetryMessage } from './movement-context.js';
import { SEVERITY_RANK, type Severity, type TrackingThresholds } from './thresholds.js';

/** The contract's tracking alert types, without the `tracking.` prefix. */
export type TrackFindingType =
  | 'route_deviation'
  | 'border_approach'
  | 'unscheduled_stop'
  | 'seal_opened'
  | 'silence'
  | 'low_battery'
  | 'impossible_movement'
  | 'exit_not_confirmed'
  | 'overdue';

/** One detector finding. The same episode always yields the same dedupKey; a stronger re-finding escalates it. */
export interface TrackFinding {
  movementId: string;
  type: TrackFindingType;
  severity: Severity;
  /** movement:type:episode-start. */
  dedupKey: string;
  /** When the condition became true: the triggering fix, or for time-based detectors the instant the wait ran out. */
  observedAt: string;
  summary: string;
  evidence: Record<string, unknown>;
}

interface Fix {
  t: number;
  lat: number;
  lon: number;
}

/**
 * Everything a movement's detectors remember between messages: a few numbers and fixes, so 10,000
 * active movements fit in a few megabytes. Times are epoch milliseconds.
 */
export interface TrackState {
  lastMessageAt: number;
  /** Last kinematically processed time: older messages only feed the seal and battery checks. */
  lastFixAt: number;
  /** Smoothed reporting interval, ms. */
  intervalMs: number;
  trusted: Fix | undefined;
  /** The trusted fix before `trusted`: tells a glitch that was trusted from a jump of the truck. */
  previous: Fix | undefined;
  /** A fix that jumped impossibly far from `trusted`, waiting for the next fix to tell glitch from spoof. */
  pending: Fix | undefined;
  spoofEpisode: number | undefined;
  consistentFixes: number;
  /** Lone impossible fixes forgiven as GPS glitches, recent ones only: a real receiver rarely repeats one. */
  outliers: Fix[];
  /** Fixes in a row that stand still while the seal reports driving speed: a frozen or replayed position. */
  frozen: { since: Fix; count: number; raised: boolean } | undefined;
  outsideSince: number | undefined;
  /** The first fix off the corridor: which way the truck went from there tells a bending road from a diversion. */
  outsideFrom: Fix | undefined;
  deviation: { start: number; severity: Severity } | undefined;
  /** Trusted fixes a few minutes apart over the last sustainedSpeedMinutes and a little more. */
  recent: Fix[];
  border: { start: number; severity: Severity } | undefined;
  /**
   * `inZone` is looked up only once the stop is long enough to matter: most fixes start a new "stop".
   * `away`: the one fix off the spot since, held until the next tells a multipath jump from leaving.
   */
  stop: { anchor: Fix; last: number; away: Fix | undefined; inZone: boolean | undefined; severity: Severity | undefined; restDue: boolean } | undefined;
  /** When the driver's last daily rest ended (or the release): a long stop after a long day is rest. */
  lastRestEnd: number;
  /**
   * Devices whose seal is in an open breach, and whose battery is low: a movement may carry several
   * e-seals, and one reporting armed must not end the episode another one opened.
   */
  sealBreached: string[];
  batteryLow: string[];
  silence: { start: number; severity: Severity } | undefined;
  lastNearEnd: boolean;
  lastNearBorder: boolean;
  lastNearUndeclared: boolean;
  exitRaised: boolean;
}

/** A movement made ready for detection: its corridor, end offices and undeclared neighbours, computed once. */
export interface PreparedMovement {
  context: MovementContext;
  releasedAtMs: number;
  completedAtMs: number;
  corridor: Point[][];
  /** False when fewer than two itinerary offices have a known position. */
  corridorKnown: boolean;
  itineraryCodes: Set<string>;
  /** Where the truck is expected to leave the watch: declared exits, else the destination. */
  endOffices: ItineraryOffice[];
  /** Where the truck is heading: its first declared exit, else its destination. */
  goal: ItineraryOffice | undefined;
  /** Indexes into NEIGHBOURS of neighbours the movement may not enter. */
  undeclared: number[];
}

export interface DetectionEnv {
  geo: Geography;
  thresholds: TrackingThresholds;
  corridors: CorridorCache;
}

const MINUTE = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const fixOf = (f: Fix) => ({ time: iso(f.t), lat: f.lat, lon: f.lon });
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

export const prepareMovement = (context: MovementContext, env: Pick<DetectionEnv, 'corridors'>): PreparedMovement => {
  const exits = context.itinerary.filter((o) => o.role === 'exit');
  const destination = context.itinerary.filter((o) => o.role === 'destination');
  const declared = new Set<string>(context.countriesOfRouting);
  for (const office of context.itinerary) {
    declared.add(office.country);
    if (office.neighbour) declared.add(office.neighbour);
  }
  return {
    context,
    releasedAtMs: Date.parse(context.releasedAt),
    completedAtMs: context.completedAt ? Date.parse(context.completedAt) : Number.POSITIVE_INFINITY,
    corridor: env.corridors.for(context),
    corridorKnown: context.itinerary.length >= 2,
    itineraryCodes: new Set(context.itinerary.map((o) => o.code)),
    endOffices: [...exits, ...destination],
    goal: exits[0] ?? destination[0],
    undeclared: NEIGHBOURS.flatMap((n, i) => (declared.has(n) ? [] : [i])),
  };
};

export const initialState = (movement: PreparedMovement, thresholds: TrackingThresholds): TrackState => ({
  lastMessageAt: movement.releasedAtMs,
  lastFixAt: Number.NEGATIVE_INFINITY,
  intervalMs: thresholds.defaultIntervalMinutes * MINUTE,
  trusted: undefined,
  previous: undefined,
  pending: undefined,
  spoofEpisode: undefined,
  consistentFixes: 0,
  outliers: [],
  frozen: undefined,
  outsideSince: undefined,
  outsideFrom: undefined,
  deviation: undefined,
  recent: [],
  border: undefined,
  stop: undefined,
  lastRestEnd: movement.releasedAtMs,
  sealBreached: [],
  batteryLow: [],
  silence: undefined,
  lastNearEnd: false,
  lastNearBorder: false,
  lastNearUndeclared: false,
  exitRaised: false,
});

const finding = (
  movement: PreparedMovement,
  type: TrackFindingType,
  severity: Severity,
  episodeStart: number,
  observedAt: number,
  summary: string,
  evidence: Record<string, unknown>,
): TrackFinding => ({
  movementId: movement.context.movementId,
  type,
  severity,
  dedupKey: `${movement.context.movementId}:${type}:${iso(episodeStart)}`,
  observedAt: iso(observedAt),
  summary,
  evidence,
});

/** Detectors watch the road from release until exit or arrival is confirmed. */
const watching = (movement: PreparedMovement, t: number): boolean =>
  movement.context.phase === 'released' && t >= movement.releasedAtMs && t <= movement.completedAtMs;

/** True when the instant falls in the local night (nightStart..nightEnd, wrapping midnight). */
export const isNight = (ms: number, t: TrackingThresholds): boolean => {
  const hour = (((ms / 3_600_000 + t.utcOffsetHours) % 24) + 24) % 24;
  return t.nightStartHourLocal > t.nightEndHourLocal
    ? hour >= t.nightStartHourLocal || hour < t.nightEndHourLocal
    : hour >= t.nightStartHourLocal && hour < t.nightEndHourLocal;
};

/**
 * How long a stop may last before it is noted (low) and raised (medium). A stop that starts at night, or
 * after a day's driving since the last daily rest, may be the driver's daily rest; any other is a break.
 */
export const stopAllowances = (stopStart: number, restDue: boolean, t: TrackingThresholds): { noteMinutes: number; alertMinutes: number } =>
  restDue || isNight(stopStart, t)
    ? { noteMinutes: t.stopNoteNightMinutes, alertMinutes: t.stopAllowanceNightMinutes }
    : { noteMinutes: t.stopNoteDayMinutes, alertMinutes: t.stopAllowanceDayMinutes };

const impossibleJump = (a: Fix, b: Fix, t: TrackingThresholds): { km: number; kmh: number } | undefined => {
  const km = distanceKm(a, b);
  if (km < t.minJumpKm) return undefined;
  // Clock jitter of a few seconds must not turn a normal fix into a jump: time is floored at one minute.
  const hours = Math.max(Math.abs(b.t - a.t), MINUTE) / 3_600_000;
  const kmh = km / hours;
  return kmh > t.maxTruckSpeedKmh ? { km, kmh } : undefined;
};

/** The silence thresholds for this device: N of its own reporting periods, never under the note floor. */
const silenceLimits = (state: TrackState, t: TrackingThresholds): { note: number; alert: number } => {
  const note = Math.max(t.silenceNoteMinutes * MINUTE, t.silenceReportingPeriods * state.intervalMs);
  const alert = Math.max(note, t.silenceAlertMinutes * MINUTE);
  return { note, alert };
};

/** A deviation an officer was shown (medium or more), not a bend of the road noted low. */
const raisedDeviation = (state: TrackState): boolean => state.deviation !== undefined && state.deviation.severity !== 'low';

const checkSilence = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, now: number, out: TrackFinding[]): void => {
  const t = env.thresholds;
  const gap = now - state.lastMessageAt;
  const limits = silenceLimits(state, t);
  if (gap <= limits.note) return;
  // Going quiet off the corridor (toward a border it must not cross, above all) is not a coverage hole.
  const suspicious = raisedDeviation(state) || state.border?.severity === 'high';
  const severity: Severity = gap > limits.alert || (suspicious && gap > limits.note) ? (suspicious ? 'high' : 'medium') : 'low';
  if (state.silence && SEVERITY_RANK[severity] <= SEVERITY_RANK[state.silence.severity]) return;
  state.silence = { start: state.lastMessageAt, severity };
  const becameTrue = state.lastMessageAt + (severity === 'low' ? limits.note : suspicious ? limits.note : limits.alert);
  out.push(
    finding(movement, 'silence', severity, state.lastMessageAt, Math.min(now, becameTrue), `E-seal silent for ${Math.round(gap / MINUTE)} min`, {
      lastMessageAt: iso(state.lastMessageAt),
      lastFix: state.trusted ? fixOf(state.trusted) : null,
      silentMinutes: round(gap / MINUTE),
      reportingIntervalMinutes: round(state.intervalMs / MINUTE),
      thresholdMinutes: round((severity === 'low' ? limits.note : limits.alert) / MINUTE),
      nearExit: state.lastNearEnd,
      nearUndeclaredBorder: state.lastNearUndeclared,
    }),
  );
};

const checkExitConfirmation = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, now: number, out: TrackFinding[]): void => {
  const t = env.thresholds;
  const gap = now - state.lastMessageAt;
  if (state.exitRaised || !(state.lastNearEnd || state.lastNearBorder) || gap <= t.exitConfirmationMinutes * MINUTE) return;
  state.exitRaised = true;
  out.push(
    finding(
      movement,
      'exit_not_confirmed',
      'high',
      state.lastMessageAt,
      state.lastMessageAt + t.exitConfirmationMinutes * MINUTE,
      `Last seen near the border ${Math.round(gap / MINUTE)} min ago, no exit or arrival recorded`,
      {
        lastFix: state.trusted ? fixOf(state.trusted) : null,
        expectedAt: movement.endOffices.map((o) => o.code),
        nearExitOffice: state.lastNearEnd,
        minutesSinceLastSeen: round(gap / MINUTE),
      },
    ),
  );
};

const checkStopDuration = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, until: number, out: TrackFinding[]): void => {
  const stop = state.stop;
  if (!stop || stop.inZone) return;
  const { noteMinutes, alertMinutes } = stopAllowances(stop.anchor.t, stop.restDue, env.thresholds);
  const minutes = (until - stop.anchor.t) / MINUTE;
  const severity: Severity | undefined = minutes > alertMinutes ? 'medium' : minutes > noteMinutes ? 'low' : undefined;
  if (!severity || (stop.severity && SEVERITY_RANK[severity] <= SEVERITY_RANK[stop.severity])) return;
  // Only the movement's own offices excuse a long stop (its yards, queues, terminals); another office's
  // town is a place like any other, where a driver may rest the night but not stand for a day.
  stop.inZone ??= movement.context.itinerary.some((o) => distanceKm(o, stop.anchor) <= env.thresholds.officeZoneKm);
  if (stop.inZone) return;
  // In the queue before its own crossing or waiting for its terminal: noted, never raised.
  const nearEnd = movement.endOffices.some((o) => distanceKm(o, stop.anchor) <= env.thresholds.endZoneKm);
  if (nearEnd && severity !== 'low') return;
  stop.severity = severity;
  const becameTrue = stop.anchor.t + (severity === 'medium' ? alertMinutes : noteMinutes) * MINUTE;
  out.push(
    finding(movement, 'unscheduled_stop', severity, stop.anchor.t, becameTrue, `Stopped ${Math.round(minutes)} min away from any office`, {
      position: fixOf(stop.anchor),
      lastFixAt: iso(stop.last),
      stoppedMinutes: round(minutes),
      allowanceMinutes: severity === 'medium' ? alertMinutes : noteMinutes,
      night: isNight(stop.anchor.t, env.thresholds),
      restDue: stop.restDue,
      nearExitOrDestination: nearEnd,
    }),
  );
};

/**
 * Time-based detectors (silence, long stop, exit not confirmed) at instant `now`, with no new message.
 * Each finding is dated at the moment its condition became true, so a late tick still says when.
 */
export const tickMovement = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, now: number): TrackFinding[] => {
  if (movement.context.phase !== 'released' || now < movement.releasedAtMs) return [];
  now = Math.min(now, movement.completedAtMs);
  const out: TrackFinding[] = [];
  checkSilence(state, movement, env, now, out);
  checkExitConfirmation(state, movement, env, now, out);
  // A stop is only known to go on while the device keeps reporting; past that it is a silence.
  if (state.stop && now - state.lastMessageAt <= 2 * state.intervalMs) checkStopDuration(state, movement, env, now, out);
  return out;
};

/**
 * The overdue finding for a movement whose time limit passed before exit or arrival (the movement's
 * overdue event). A truck heard within the last hours on its corridor is late (a queue, a slow road, a
 * breakdown; its seal may already be off at the crossing) and still watched by every other detector:
 * low. One that is silent, off its road or spoofed when its time runs out is medium.
 */
export const overdueFinding = (state: TrackState | undefined, movement: PreparedMovement, limitAt: string, at: string, t: TrackingThresholds): TrackFinding => {
  const heardRecently = state !== undefined && state.lastFixAt > Number.NEGATIVE_INFINITY && Date.parse(at) - state.lastMessageAt <= t.silenceAlertMinutes * MINUTE;
  const onItsWay = heardRecently && !raisedDeviation(state!) && state!.spoofEpisode === undefined;
  return finding(movement, 'overdue', onItsWay ? 'low' : 'medium', Date.parse(limitAt), Date.parse(at), `Time limit ${limitAt.slice(0, 10)} passed without exit or arrival`, {
    limitAt,
    lastFix: state?.trusted ? fixOf(state.trusted) : null,
    lastMessageAt: state && state.lastFixAt > Number.NEGATIVE_INFINITY ? iso(state.lastMessageAt) : null,
    nearExit: heardRecently && state!.lastNearEnd,
    trackedOnCorridor: onItsWay,
  });
};

const checkSeal = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, m: TelemetryMessage, t: number, out: TrackFinding[]): void => {
  const breach = m.sealState !== 'armed' || m.eventCode === '01' || m.eventCode === '02' || m.eventCode === '07';
  const open = state.sealBreached.includes(m.deviceId);
  if (!breach) {
    if (m.sealState === 'armed' && open) state.sealBreached = state.sealBreached.filter((device) => device !== m.deviceId);
    return;
  }
  if (open) return;
  state.sealBreached = [...state.sealBreached, m.deviceId];
  const zoneKm = env.thresholds.sealOfficeZoneKm;
  // Seals come off at the exit or destination, where the event recording it may lag the seal and the
  // crossing's control zone spans both sides of the border: a wider zone there.
  const declared = movement.context.itinerary.find(
    (o) => distanceKm(o, m) <= (o.role === 'exit' || o.role === 'destination' ? env.thresholds.sealEndZoneKm : zoneKm),
  );
  const office = declared ?? env.geo.offices.nearestWithin(m, zoneKm);
  const atItineraryOffice = declared !== undefined;
  // At a declared office a seal is opened for control; at another office it is irregular but supervised.
  const severity: Severity = atItineraryOffice ? 'low' : office ? 'medium' : 'critical';
  out.push(
    finding(movement, 'seal_opened', severity, t, t, `Seal ${m.sealState}${m.eventCode ? ` (code ${m.eventCode})` : ''} ${office ? `at office ${office.code}` : 'away from any office'}`, {
      fix: { time: m.time, lat: m.lat, lon: m.lon },
      deviceId: m.deviceId,
      sealState: m.sealState,
      eventCode: m.eventCode ?? null,
      nearestOffice: office ? office.code : null,
      declaredOffice: atItineraryOffice,
    }),
  );
};

const checkBattery = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, m: TelemetryMessage, t: number, out: TrackFinding[]): void => {
  const low = m.battery < env.thresholds.lowBatteryPercent || m.eventCode === '05';
  const flagged = state.batteryLow.includes(m.deviceId);
  if (low && !flagged) {
    state.batteryLow = [...state.batteryLow, m.deviceId];
    out.push(
      finding(movement, 'low_battery', 'low', t, t, `E-seal ${m.deviceId} battery at ${m.battery} %`, {
        deviceId: m.deviceId,
        battery: m.battery,
        eventCode: m.eventCode ?? null,
        fix: { time: m.time, lat: m.lat, lon: m.lon },
      }),
    );
  } else if (flagged && !low && m.battery >= env.thresholds.lowBatteryPercent + 5) state.batteryLow = state.batteryLow.filter((device) => device !== m.deviceId);
};

/**
 * A GPS receiver reports speed from the Doppler shift of the same signal that gives the position, so a
 * position that stands still while the reported speed says driving, fix after fix, is not a receiver
 * fault but a position that is not coming from the receiver.
 */
const checkFrozen = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, fix: Fix, speedKmh: number, out: TrackFinding[]): void => {
  const t = env.thresholds;
  // Measured from where the freeze began, not fix to fix: a truck crawling in a queue and reporting every
  // few seconds moves little between fixes, but at driving speed it leaves the spot within minutes.
  const anchor = state.frozen?.since ?? state.trusted;
  const stuck = anchor !== undefined && speedKmh >= t.frozenSpeedKmh && distanceKm(anchor, fix) < t.frozenMaxKm;
  if (!stuck) {
    state.frozen = undefined;
    return;
  }
  state.frozen ??= { since: anchor!, count: 0, raised: false };
  state.frozen.count++;
  const frozen = state.frozen;
  if (frozen.raised || frozen.count < t.frozenFixes || fix.t - frozen.since.t < t.frozenMinutes * MINUTE) return;
  frozen.raised = true;
  out.push(
    finding(movement, 'impossible_movement', 'medium', frozen.since.t, fix.t, `Position frozen for ${Math.round((fix.t - frozen.since.t) / MINUTE)} min while the seal reports ${Math.round(speedKmh)} km/h`, {
      fixes: [fixOf(frozen.since), fixOf(fix)],
      reportedSpeedKmh: speedKmh,
      fixesInARow: frozen.count,
      pattern: 'frozen position',
    }),
  );
};

/** Returns the fix to run the position detectors on, or undefined while a jump awaits confirmation. */
const checkKinematics = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, fix: Fix, out: TrackFinding[]): Fix | undefined => {
  const t = env.thresholds;
  if (!state.trusted) {
    state.trusted = fix;
    return fix;
  }
  const fromTrusted = impossibleJump(state.trusted, fix, t);
  if (!fromTrusted) {
    // A lone outlier followed by a fix consistent with the track before it is a GPS glitch: forget it.
    if (state.pending) noteOutlier(state, movement, env, state.pending, fix, out);
    state.pending = undefined;
    acceptFix(state, fix, t);
    return fix;
  }
  if (!state.pending) {
    state.pending = fix;
    return undefined;
  }
  const before = state.trusted;
  const jumped = state.pending;
  state.pending = undefined;
  // The outlier may have been the trusted fix itself, a glitch just short of impossible: if the two new
  // fixes continue the track from the fix before it, that fix was the glitch.
  if (state.previous && !impossibleJump(state.previous, jumped, t) && !impossibleJump(jumped, fix, t)) {
    noteOutlier(state, movement, env, before, fix, out);
    state.recent = state.recent.filter((f) => f !== before);
    state.trusted = jumped;
    acceptFix(state, fix, t);
    return fix;
  }
  // Two fixes in a row that the last good position cannot reach: the track itself is impossible.
  state.previous = jumped;
  state.trusted = fix;
  state.consistentFixes = 0;
  state.recent = [];
  if (state.spoofEpisode === undefined) {
    state.spoofEpisode = jumped.t;
    const first = impossibleJump(before, jumped, t) ?? fromTrusted;
    out.push(
      finding(movement, 'impossible_movement', 'high', jumped.t, fix.t, `Position jumped ${Math.round(first.km)} km at ${Math.round(first.kmh)} km/h`, {
        fixes: [fixOf(before), fixOf(jumped), fixOf(fix)],
        jumpKm: round(first.km),
        impliedSpeedKmh: Math.round(first.kmh),
        maxTruckSpeedKmh: t.maxTruckSpeedKmh,
      }),
    );
  }
  return fix;
};

/**
 * Ground covered over the last sustainedSpeedMinutes faster than a speed-limited lorry can keep up: each
 * step may look possible (a replayed or fast-forwarded track at 130 km/h never jumps), the average cannot.
 */
const checkSustainedSpeed = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, fix: Fix, out: TrackFinding[]): void => {
  const t = env.thresholds;
  const window = t.sustainedSpeedMinutes * MINUTE;
  const recent = state.recent;
  const last = recent.at(-1);
  // A few minutes apart is enough: an average over the window does not need every fix of a chatty device.
  if (!last || fix.t - last.t >= window / 10) recent.push(fix);
  while (recent.length > 2 && fix.t - recent[1]!.t >= window) recent.shift();
  const from = recent[0]!;
  const hours = (fix.t - from.t) / 3_600_000;
  if (fix.t - from.t < window) return;
  const km = distanceKm(from, fix);
  const kmh = km / hours;
  if (kmh <= t.maxSustainedTruckKmh) return;
  // Fixes that follow one another are not a recovery while the pace itself is impossible.
  state.consistentFixes = 0;
  if (state.spoofEpisode !== undefined) return;
  state.spoofEpisode = from.t;
  out.push(
    finding(movement, 'impossible_movement', 'high', from.t, fix.t, `Covered ${Math.round(km)} km in ${Math.round(hours * 60)} min (${Math.round(kmh)} km/h)`, {
      fixes: [fixOf(from), fixOf(fix)],
      averageSpeedKmh: Math.round(kmh),
      maxSustainedTruckKmh: t.maxSustainedTruckKmh,
      pattern: 'sustained speed',
    }),
  );
};

const acceptFix = (state: TrackState, fix: Fix, t: TrackingThresholds): void => {
  state.previous = state.trusted;
  state.trusted = fix;
  if (state.spoofEpisode !== undefined && ++state.consistentFixes >= t.spoofingRecoveryFixes && state.outliers.every((o) => fix.t - o.t > t.spoofingOutlierWindowMinutes * MINUTE)) {
    state.spoofEpisode = undefined;
  }
};

/**
 * Remembers a forgiven outlier. A receiver glitches now and then; a second position stream interleaved
 * with the real one (a cloned or replayed device) produces an outlier every other fix, and no receiver
 * glitches tens or hundreds of km that often.
 */
const noteOutlier = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, glitch: Fix, fix: Fix, out: TrackFinding[]): void => {
  const t = env.thresholds;
  state.outliers = [...state.outliers.filter((o) => fix.t - o.t <= t.spoofingOutlierWindowMinutes * MINUTE), glitch];
  if (state.outliers.length < t.spoofingOutliers || state.spoofEpisode !== undefined) return;
  state.spoofEpisode = state.outliers[0]!.t;
  state.consistentFixes = 0;
  const km = distanceKm(state.trusted!, glitch);
  out.push(
    finding(movement, 'impossible_movement', 'high', state.outliers[0]!.t, fix.t, `${state.outliers.length} positions off the track within ${t.spoofingOutlierWindowMinutes} min`, {
      fixes: [fixOf(state.trusted!), ...state.outliers.map(fixOf), fixOf(fix)],
      jumpKm: round(km),
      maxTruckSpeedKmh: t.maxTruckSpeedKmh,
      pattern: 'interleaved positions',
    }),
  );
};

const checkCorridor = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, fix: Fix, offCorridorKm: number, out: TrackFinding[]): void => {
  const t = env.thresholds;
  if (offCorridorKm <= t.corridorHalfWidthKm) {
    state.outsideSince = undefined;
    state.outsideFrom = undefined;
    state.deviation = undefined;
    return;
  }
  state.outsideSince ??= fix.t;
  state.outsideFrom ??= fix;
  if (fix.t - state.outsideSince < t.corridorGraceMinutes * MINUTE) return;
  const progress = closingOnGoal(movement, state.outsideFrom, fix, t);
  const severity: Severity = offCorridorKm > t.corridorSevereKm ? 'high' : progress.onItsWay ? 'low' : 'medium';
  if (state.deviation && SEVERITY_RANK[severity] <= SEVERITY_RANK[state.deviation.severity]) return;
  const start = state.deviation?.start ?? state.outsideSince;
  state.deviation = { start, severity };
  out.push(
    finding(movement, 'route_deviation', severity, start, fix.t, `${Math.round(offCorridorKm)} km off the declared corridor`, {
      fix: fixOf(fix),
      distanceFromCorridorKm: round(offCorridorKm),
      corridorHalfWidthKm: t.corridorHalfWidthKm,
      outsideSince: iso(state.outsideSince),
      outsideMinutes: round((fix.t - state.outsideSince) / MINUTE),
      movedKm: round(progress.movedKm),
      closedOnGoalKm: round(progress.closedKm),
    }),
  );
};

/**
 * Whether a truck off the corridor is still on its way: since it left the corridor it got closer to its
 * goal (exit or destination) by at least corridorProgressShare of the ground it covered. A road that bends
 * round a lake or through a town the reference data does not know still leads there; a diversion toward
 * another border does not. A truck that has barely moved is given the benefit until it does.
 */
const closingOnGoal = (movement: PreparedMovement, from: Fix, fix: Fix, t: TrackingThresholds): { onItsWay: boolean; movedKm: number; closedKm: number } => {
  const movedKm = distanceKm(from, fix);
  const goal = movement.goal;
  if (!goal) return { onItsWay: false, movedKm, closedKm: 0 };
  const closedKm = distanceKm(from, goal) - distanceKm(fix, goal);
  return { onItsWay: closedKm >= t.corridorProgressShare * movedKm - t.corridorProgressSlackKm, movedKm, closedKm };
};

const checkBorder = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, fix: Fix, offCorridorKm: number, out: TrackFinding[]): void => {
  const t = env.thresholds;
  const distances = env.geo.borders.distances(fix);
  let any = Number.POSITIVE_INFINITY;
  for (let i = 0; i < distances.length; i++) any = Math.min(any, distances[i]!);
  state.lastNearBorder = any <= t.undeclaredBorderKm;
  let nearest = -1;
  let nearestKm = Number.POSITIVE_INFINITY;
  for (const i of movement.undeclared) {
    if (distances[i]! < nearestKm) {
      nearest = i;
      nearestKm = distances[i]!;
    }
  }
  state.lastNearUndeclared = nearestKm <= t.undeclaredBorderKm;
  if (!state.lastNearUndeclared) {
    if (nearestKm > t.undeclaredBorderKm + 10) state.border = undefined;
    return;
  }
  // Inside the corridor the declared road itself runs along this border (Korday, Oral): note it, do not
  // alarm, even where the 1:50m outline puts the road a few km inside the neighbour (west of Korday it
  // does by up to 10 km). Off the corridor, a fix inside the neighbour's outline means it crossed.
  const off = offCorridorKm > t.corridorHalfWidthKm;
  const crossed = off && nearestKm >= t.borderInsideMarginKm && env.geo.borders.inside(NEIGHBOURS[nearest]!, fix);
  const severity: Severity = crossed ? 'critical' : off ? 'high' : 'low';
  if (state.border && SEVERITY_RANK[severity] <= SEVERITY_RANK[state.border.severity]) return;
  const start = state.border?.start ?? fix.t;
  state.border = { start, severity };
  out.push(
    finding(movement, 'border_approach', severity, start, fix.t, crossed ? `Inside ${NEIGHBOURS[nearest]}, not declared` : `${Math.round(nearestKm)} km from the ${NEIGHBOURS[nearest]} border, not declared`, {
      fix: fixOf(fix),
      insideNeighbour: crossed,
      neighbour: NEIGHBOURS[nearest],
      distanceToBorderKm: round(nearestKm),
      distanceFromCorridorKm: round(offCorridorKm),
      declaredCountries: movement.context.countriesOfRouting,
    }),
  );
};

const checkStop = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, fix: Fix, out: TrackFinding[]): void => {
  const t = env.thresholds;
  const stop = state.stop;
  if (stop && distanceKm(stop.anchor, fix) <= t.stationaryRadiusKm) {
    stop.away = undefined;
    stop.last = fix.t;
    checkStopDuration(state, movement, env, fix.t, out);
    return;
  }
  // A standing receiver now and then reports a fix a km or two off (multipath among buildings and
  // trucks): one fix off the spot does not end a stop, a second one does.
  if (stop && stop.last > stop.anchor.t && !stop.away) {
    stop.away = fix;
    return;
  }
  if (stop && stop.last - stop.anchor.t >= t.dailyRestMinMinutes * MINUTE) state.lastRestEnd = stop.last;
  const anchor = stop?.away && distanceKm(stop.away, fix) <= t.stationaryRadiusKm ? stop.away : fix;
  state.stop = {
    anchor,
    last: fix.t,
    away: undefined,
    inZone: undefined,
    severity: undefined,
    restDue: anchor.t - state.lastRestEnd >= t.dailyRestDueAfterMinutes * MINUTE,
  };
};

/** Feeds one message of a bound device to its movement's detectors; returns the findings it raises. */
export const observeMessage = (state: TrackState, movement: PreparedMovement, env: DetectionEnv, message: TelemetryMessage): TrackFinding[] => {
  const t = Date.parse(message.time);
  if (!watching(movement, t)) return [];
  const out = tickMovement(state, movement, env, t);
  if (t > state.lastMessageAt) {
    const interval = t - state.lastMessageAt;
    // Learn the device's own reporting interval; a gap counts for at most three intervals, so one
    // coverage hole barely moves it while a device that truly reports slowly is learned in a few messages.
    if (state.lastFixAt > Number.NEGATIVE_INFINITY) {
      const sample = Math.min(interval, 3 * state.intervalMs);
      state.intervalMs = Math.min(state.intervalMs * 0.8 + sample * 0.2, 60 * MINUTE);
    }
    state.lastMessageAt = t;
    state.silence = undefined;
    state.exitRaised = false;
  }
  checkSeal(state, movement, env, message, t, out);
  checkBattery(state, movement, env, message, t, out);
  if (t < state.lastFixAt) return out;
  state.lastFixAt = t;
  const raw = { t, lat: message.lat, lon: message.lon };
  checkFrozen(state, movement, env, raw, message.speedKmh, out);
  const fix = checkKinematics(state, movement, env, raw, out);
  if (!fix) return out;
  checkSustainedSpeed(state, movement, env, fix, out);
  // Without two placed offices there is no corridor to leave: judge borders and stops only.
  const offCorridorKm = movement.corridorKnown ? distanceToPolylinesKm(fix, movement.corridor) : 0;
  checkCorridor(state, movement, env, fix, offCorridorKm, out);
  checkBorder(state, movement, env, fix, offCorridorKm, out);
  checkStop(state, movement, env, fix, out);
  const endZoneKm = env.thresholds.endZoneKm;
  state.lastNearEnd = movement.endOffices.some((o) => distanceKm(o, fix) <= endZoneKm);
  return out;
};

/**
 * The whole pipeline for one movement as a pure function: messages (any order) through the detectors in
 * time order, then a final tick at `until`. Used by tests; the service runs the same state machine
 * incrementally.
 */
export const detectMovement = (context: MovementContext, messages: readonly TelemetryMessage[], until: string, env: DetectionEnv): TrackFinding[] => {
  const movement = prepareMovement(context, env);
  const state = initialState(movement, env.thresholds);
  const sorted = [...messages].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const findings: TrackFinding[] = [];
  for (const message of sorted) findings.push(...observeMessage(state, movement, env, message));
  findings.push(...tickMovement(state, movement, env, Date.parse(until)));
  return findings;
};
