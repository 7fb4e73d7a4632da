/**
 * Detector thresholds, as data. Each value says which rule of the road it encodes; tune here, not in code.
 * `version` goes on every alert (ruleVersion), so an alert always says which thresholds produced it.
 */
export interface TrackingThresholds {
  version: string;
  /** Half-width of the corridor around the itinerary, km. EAEU navigation seals raise code 03 at 50 km. */
  corridorHalfWidthKm: number;
  /** Outside the corridor this long before a route deviation is raised (roads bend, detours happen). */
  corridorGraceMinutes: number;
  /** Beyond this distance from the corridor a deviation is high, not medium. */
  corridorSevereKm: number;
  /**
   * Off the corridor (but within corridorSevereKm) while getting closer to its exit or destination by at
   * least this share of the ground it covers: a road bending round (towns the reference data does not
   * know), not away; noted low. Roads rarely run longer than ~1.5x the straight line, so a truck on its
   * way closes on the goal at well over half its displacement; a diversion does not.
   */
  corridorProgressShare: number;
  /** Ground covered below this much since leaving the corridor says nothing of the direction, km (GPS noise, a parked truck). */
  corridorProgressSlackKm: number;
  /** Radius of an office zone for stops, km: customs areas, queues in front of crossings, terminals. */
  officeZoneKm: number;
  /** Radius within which opening a seal counts as at the office (customs control area), km. */
  sealOfficeZoneKm: number;
  /** ...and around the declared exit and destination offices, where seals are removed, km. */
  sealEndZoneKm: number;
  /** Closer than this to the border of a neighbour the movement is not declared to cross, km. */
  undeclaredBorderKm: number;
  /** Moving less than this from the stop's first fix counts as standing still, km (GPS noise, yard manoeuvres). */
  stationaryRadiusKm: number;
  /** A day stop outside office zones longer than this is noted (low): breaks, meals, fuel and the 3 h part of a split rest take less. */
  stopNoteDayMinutes: number;
  /** ...and raised (medium) beyond this. */
  stopAllowanceDayMinutes: number;
  /** A stop that starts at night is the driver's daily rest (AETR: 9-11 h): noted beyond this... */
  stopNoteNightMinutes: number;
  /** ...and raised beyond this (a reduced weekly rest is 24 h, so this stays below it only by design: low first). */
  stopAllowanceNightMinutes: number;
  /** A stop at least this long was a daily rest (AETR: reduced daily rest 9 h, split rest 3 + 9 h). */
  dailyRestMinMinutes: number;
  /** This long after the last daily rest ended a driver may be starting the next one (AETR duty day). */
  dailyRestDueAfterMinutes: number;
  /** Local night (Kazakhstan, UTC+5): a stop that starts between these hours is a night stop. */
  nightStartHourLocal: number;
  nightEndHourLocal: number;
  utcOffsetHours: number;
  /** EAEU code 06: silent for this many reporting periods (learned per device)... */
  silenceReportingPeriods: number;
  /** ...but never less than this, since steppe coverage holes of an hour are ordinary (noted, low). */
  silenceNoteMinutes: number;
  /** Silent this long is raised (medium): longer than any coverage hole on the corridors. */
  silenceAlertMinutes: number;
  /** Reporting interval assumed until a device has shown its own, minutes. */
  defaultIntervalMinutes: number;
  /** Battery below this percent: EAEU code 05. */
  lowBatteryPercent: number;
  /** Fastest a loaded truck can plausibly cover ground between two fixes, km/h. */
  maxTruckSpeedKmh: number;
  /**
   * Fastest a heavy goods vehicle can keep up over sustainedSpeedMinutes, km/h: N3 lorries carry speed
   * limiters set at 90 km/h (UNECE Regulation 89, EU Directive 92/6/EEC, TR CU 018/2011), plus margin for
   * limiter tolerance and a wild fix of up to minJumpKm at either end. Measured as straight-line ground
   * covered, which never exceeds the distance driven.
   */
  maxSustainedTruckKmh: number;
  /** ...over this long: long enough that GPS noise and a wild fix cannot add up to the margin. */
  sustainedSpeedMinutes: number;
  /** Jumps shorter than this are GPS noise or clock jitter, never spoofing, km. */
  minJumpKm: number;
  /** Consistent fixes after which a spoofing episode is over. */
  spoofingRecoveryFixes: number;
  /**
   * This many lone impossible fixes within the window are not glitches but a second position stream. A
   * receiver's wild fixes (cold start, reflections) come a few per thousand hours; a clone sending only
   * every third or fourth fix produces two within the hour.
   */
  spoofingOutliers: number;
  spoofingOutlierWindowMinutes: number;
  /** Reported speed at or above this while the position stands still (within frozenMaxKm of where it froze)... */
  frozenSpeedKmh: number;
  frozenMaxKm: number;
  /** ...for this many fixes in a row and this long is a frozen or replayed position. */
  frozenFixes: number;
  frozenMinutes: number;
  /** Further than this inside a neighbour's 1:50m outline counts as having crossed into it, km. */
  borderInsideMarginKm: number;
  /** Last seen near its exit or a border with no exit or arrival confirmed for this long. */
  exitConfirmationMinutes: number;
  /**
   * "Near the exit": within this of an exit or destination office, km. A long stop there is the queue (it
   * stretches tens of km before the Russian crossings) or a wait for the terminal: noted low, never raised.
   */
  endZoneKm: number;
}

export const defaultThresholds: TrackingThresholds = {
  version: 'tracking-2026-12-01',
  corridorHalfWidthKm: 50,
  corridorGraceMinutes: 30,
  corridorSevereKm: 100,
  corridorProgressShare: 0.5,
  corridorProgressSlackKm: 10,
  officeZoneKm: 15,
  sealOfficeZoneKm: 5,
  sealEndZoneKm: 15,
  undeclaredBorderKm: 30,
  stationaryRadiusKm: 1.5,
  stopNoteDayMinutes: 180,
  stopAllowanceDayMinutes: 300,
  stopNoteNightMinutes: 690,
  stopAllowanceNightMinutes: 840,
  dailyRestMinMinutes: 420,
  dailyRestDueAfterMinutes: 480,
  nightStartHourLocal: 17,
  nightEndHourLocal: 6,
  utcOffsetHours: 5,
  silenceReportingPeriods: 2,
  silenceNoteMinutes: 60,
  silenceAlertMinutes: 180,
  defaultIntervalMinutes: 10,
  lowBatteryPercent: 15,
  maxTruckSpeedKmh: 140,
  maxSustainedTruckKmh: 115,
  sustainedSpeedMinutes: 45,
  minJumpKm: 10,
  spoofingRecoveryFixes: 6,
  spoofingOutliers: 2,
  spoofingOutlierWindowMinutes: 120,
  frozenSpeedKmh: 30,
  frozenMaxKm: 0.3,
  frozenFixes: 4,
  frozenMinutes: 30,
  borderInsideMarginKm: 5,
  exitConfirmationMinutes: 720,
  endZoneKm: 30,
};

/** The longest a time-based detector waits after the last message: replay advances the clock this far past the data. */
export const longestDetectorDelayMinutes = (t: TrackingThresholds): number =>
  Math.max(t.silenceAlertMinutes, t.stopAllowanceNightMinutes, t.exitConfirmationMinutes, t.corridorGraceMinutes);

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
