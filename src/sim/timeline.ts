import { type LatLon, type Path, offsetKm, positionAt } from './geometry.js';
import type { RestArea } from './network.js';
import type { Random } from './random.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Kazakhstan keeps one time zone, UTC+5, since March 2024. */
export const UTC_OFFSET_HOURS = 5;
export const localHour = (time: number): number => (((time / HOUR + UTC_OFFSET_HOURS) % 24) + 24) % 24;

export type StopKind = 'office' | 'queue' | 'break' | 'rest' | 'fuel' | 'roadside' | 'yard';

export type Phase =
  | { kind: 'stop'; start: number; end: number; at: LatLon; stop: StopKind }
  | { kind: 'drive'; start: number; end: number; path: Path; fromKm: number; toKm: number };

export const phasePosition = (phase: Phase, time: number): { position: LatLon; speedKmh: number } => {
  if (phase.kind === 'stop') return { position: phase.at, speedKmh: 0 };
  const span = phase.end - phase.start;
  const t = span <= 0 ? 1 : Math.min(1, Math.max(0, (time - phase.start) / span));
  const km = phase.fromKm + (phase.toKm - phase.fromKm) * t;
  const speedKmh = span <= 0 ? 0 : (Math.abs(phase.toKm - phase.fromKm) / span) * HOUR;
  return { position: positionAt(phase.path, km), speedKmh };
};

/**
 * The driver's working-time rules (AETR, which Kazakhstan applies to international road haulage):
 * at most 4.5 h of driving before a 45-min break, at most 9 h a day (10 h twice a week), then a daily
 * rest of 11 h (9 h reduced). Single drivers in the steppe also avoid driving late at night, so they end
 * their day in the evening; two-driver crews drive on through the night with short breaks.
 */
export interface DriverProfile {
  team: boolean;
  cruiseKmh: number;
  dailyDrivingHours: number;
}

export interface DriverState {
  time: number;
  drivingSinceBreak: number;
  drivingToday: number;
  kmSinceFuel: number;
  mealTaken: boolean;
  extendedDays: number;
}

export interface Towns {
  /** Distance (km) to the nearest town or office where traffic is slow. */
  nearestTownKm(p: LatLon): number;
}

export class Timeline {
  readonly phases: Phase[] = [];
  readonly state: DriverState;

  constructor(
    readonly random: Random,
    readonly driver: DriverProfile,
    start: number,
    private readonly towns: Towns,
  ) {
    this.state = { time: start, drivingSinceBreak: 0, drivingToday: 0, kmSinceFuel: random.between(0, 700), mealTaken: false, extendedDays: 0 };
  }

  get now(): number {
    return this.state.time;
  }

  stop(at: LatLon, minutes: number, stop: StopKind): void {
    if (minutes <= 0) return;
    const start = this.state.time;
    const end = start + minutes * MINUTE;
    const last = this.phases[this.phases.length - 1];
    if (last && last.kind === 'stop' && last.at === at && last.stop === stop) last.end = end;
    else this.phases.push({ kind: 'stop', start, end, at, stop });
    this.state.time = end;
    if (minutes >= 45) this.state.drivingSinceBreak = 0;
    if (minutes >= 9 * 60) {
      this.state.drivingToday = 0;
      this.state.mealTaken = false;
    }
  }

  /** Waits at a place until the local clock reads `hour` (e.g. a night-time release waits for the morning). */
  waitUntilLocalHour(at: LatLon, hour: number, stop: StopKind): void {
    const h = localHour(this.state.time);
    const wait = ((hour - h + 24) % 24) * 60;
    this.stop(at, wait, stop);
  }

  /**
   * A daily rest: 11 h regular or 9 h reduced. A single driver who would wake in the dark waits for the
   * first light, as lorry drivers on the steppe roads do in winter, within 11½ h in all.
   */
  private dailyRestMinutes(): number {
    const r = this.random;
    const base = this.driver.team ? r.between(540, 600) : r.weighted([[r.between(545, 600), 3], [r.between(640, 690), 5]] as const);
    if (this.driver.team) return base;
    const wake = localHour(this.state.time + base * MINUTE);
    if (wake >= 5.5 && wake < 20) return base;
    const untilDawn = ((r.between(5.5, 7.5) - wake + 24) % 24) * 60;
    return Math.max(base, Math.min(base + untilDawn, 11.5 * 60));
  }

  private rawDrive(path: Path, fromKm: number, toKm: number, speedKmh: number): void {
    const km = Math.abs(toKm - fromKm);
    if (km <= 0) return;
    const hours = km / speedKmh;
    const start = this.state.time;
    const end = start + hours * HOUR;
    this.phases.push({ kind: 'drive', start, end, path, fromKm, toKm });
    this.state.time = end;
    this.state.drivingSinceBreak += hours;
    this.state.drivingToday += hours;
    this.state.kmSinceFuel += km;
  }

  private restPlace(path: Path, km: number, forward: boolean, restAreas: readonly RestArea[], reachKm: number): { km: number; at: LatLon } {
    const candidates = restAreas.filter((area) => (forward ? area.km >= km && area.km <= km + reachKm : area.km <= km && area.km >= km - reachKm));
    if (candidates.length > 0) {
      const area = forward ? candidates[0]! : candidates[candidates.length - 1]!;
      return { km: area.km, at: { lat: area.lat, lon: area.lon } };
    }
    const p = positionAt(path, km);
    return { km, at: offsetKm(p, this.random.between(-0.08, 0.08), this.random.between(-0.08, 0.08)) };
  }

  /**
   * Drives along `path` from `fromKm` to `toKm`, taking breaks, meals, fuel stops and daily rests where
   * the rules and the hour call for them, preferring the lay-bys of `restAreas`.
   */
  drive(path: Path, fromKm: number, toKm: number, restAreas: readonly RestArea[] = []): void {
    const forward = toKm >= fromKm;
    let km = fromKm;
    const s = this.state;
    const r = this.random;
    const { team } = this.driver;
    const continuousLimit = 4.5;
    while (forward ? km < toKm - 1e-6 : km > toKm + 1e-6) {
      const here = positionAt(path, km);
      const urban = this.towns.nearestTownKm(here) < 12;
      const speed = urban ? r.between(28, 45) : this.driver.cruiseKmh * r.between(0.85, 1.12);
      const chunkHours = Math.max(0.05, Math.min(r.between(0.25, 0.9), continuousLimit - s.drivingSinceBreak, (team ? 20 : this.driver.dailyDrivingHours) - s.drivingToday));
      const remaining = Math.abs(toKm - km);
      const chunkKm = Math.min(remaining, speed * chunkHours);
      const next = forward ? km + chunkKm : km - chunkKm;
      this.rawDrive(path, km, next, speed);
      km = next;
      if (forward ? km >= toKm - 1e-6 : km <= toKm + 1e-6) break;

      const hour = localHour(s.time);
      const evening = hour >= 17.5 || hour < 4.5;
      const lateNight = hour >= 21 || hour < 4.5;
      // The 10-hour day (twice a week) lets a driver who finishes early reach the evening lay-by.
      if (!team && s.extendedDays < 2 && hour < 17 && s.drivingToday >= this.driver.dailyDrivingHours - 0.05 && s.drivingToday < 9.5) {
        s.extendedDays++;
        s.drivingToday -= 1;
      }
      const dayDone = s.drivingToday >= (team ? 20 : this.driver.dailyDrivingHours) - 0.05;
      // Single drivers end the day in the evening; crews sleep in turns but still stop for the night's rest.
      const nightfall = team ? evening && s.drivingToday >= 12 : (evening && s.drivingToday >= 6) || (lateNight && s.drivingToday >= 2);
      if (dayDone || nightfall) {
        const place = this.restPlace(path, km, forward, restAreas, 25);
        if (place.km !== km) {
          this.rawDrive(path, km, place.km, this.driver.cruiseKmh * 0.9);
          km = place.km;
        }
        this.stop(place.at, this.dailyRestMinutes(), 'rest');
        continue;
      }
      if (s.drivingSinceBreak >= continuousLimit - 0.05) {
        const place = this.restPlace(path, km, forward, restAreas, 15);
        if (place.km !== km) {
          this.rawDrive(path, km, place.km, this.driver.cruiseKmh * 0.9);
          km = place.km;
        }
        this.stop(place.at, r.between(45, 80), 'break');
        s.drivingSinceBreak = 0;
        continue;
      }
      const teaTime = hour >= 15 && hour < 17.5 && r.chance(0.3);
      if (!team && ((!s.mealTaken && hour >= 12 && hour < 15 && r.chance(0.6)) || teaTime)) {
        const place = this.restPlace(path, km, forward, restAreas, 20);
        if (place.km !== km) {
          this.rawDrive(path, km, place.km, this.driver.cruiseKmh * 0.9);
          km = place.km;
        }
        this.stop(place.at, teaTime ? r.between(25, 50) : r.between(40, 80), 'break');
        s.mealTaken = true;
        continue;
      }
      if (s.kmSinceFuel > r.between(850, 1150)) {
        const place = this.restPlace(path, km, forward, restAreas, 30);
        if (place.km !== km) {
          this.rawDrive(path, km, place.km, this.driver.cruiseKmh * 0.9);
          km = place.km;
        }
        this.stop(place.at, r.between(20, 45), 'fuel');
        s.kmSinceFuel = 0;
        continue;
      }
      if (r.chance(0.025)) {
        // Police check, a puncture, a call of nature, a roadside café: short, on the shoulder.
        this.stop(offsetKm(positionAt(path, km), r.between(-0.04, 0.04), r.between(-0.04, 0.04)), r.between(5, 35), 'roadside');
      }
    }
  }
}
