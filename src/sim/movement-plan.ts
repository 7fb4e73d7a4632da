import type { DeclarationInput } from '../movements/declaration.js';
import { type GoodsCatalogue, buildDeclaration } from './consignment.js';
import { type LatLon, type Path, buildPath, direction, distanceKm, offsetKm, positionAt } from './geometry.js';
import { type Route, type RoadNetwork, type SimOffice, meanderRoad } from './network.js';
import { Random, mixSeed } from './random.js';
import { HOUR, MINUTE, type Phase, Timeline, type Towns, localHour, phasePosition } from './timeline.js';

export const EVASION_TYPES = ['diversion', 'seal_breach', 'ghost_transit', 'silence', 'spoofing', 'unscheduled_stop'] as const;
export type EvasionType = (typeof EVASION_TYPES)[number];

export interface TruthRecord {
  lrn: string;
  evasion: EvasionType;
  start: string;
  /** Which variant of the evasion was played; not part of the contract, useful when reading results. */
  variant?: string;
}

export interface OfficeEventRecord {
  id: string;
  lrn: string;
  type: 'accepted' | 'under_control' | 'released' | 'passed_transit' | 'exited' | 'arrived' | 'discharged';
  time: string;
  office: string;
}

export type SealState = 'armed' | 'opened' | 'tampered';

export interface SealChange {
  time: number;
  state: SealState;
  eventCode?: string;
}

export type SpoofMode = 'teleport' | 'frozen' | 'fast_forward' | 'alternating';

export interface SpoofWindow {
  start: number;
  end: number;
  mode: SpoofMode;
  /** The position the device reports instead of the true one (alternating: on every other fix). */
  fake(time: number): LatLon;
}

export interface DeviceProfile {
  periodMinutes: number;
  stationaryPeriodMinutes: number;
  dropRate: number;
  noiseMetres: number;
  glitchRate: number;
  batteryStart: number;
  drainPerHour: number;
}

export interface Gap {
  start: number;
  end: number;
  /** coverage: a hole in mobile coverage (legitimate); silence: the tracker was silenced. */
  cause: 'coverage' | 'silence';
}

export interface MovementPlan {
  index: number;
  lrn: string;
  deviceId: string;
  lodgedAt: number;
  declaration: DeclarationInput;
  events: OfficeEventRecord[];
  phases: Phase[];
  device: DeviceProfile;
  telemetryStart: number;
  telemetryEnd: number;
  gaps: Gap[];
  /** Times at which a fix is always sent (not dropped), e.g. the last fix before a silence. */
  forcedFixes: number[];
  seal: SealChange[];
  spoof: SpoofWindow[];
  truth?: TruthRecord;
  /** When the movement's last record happens (telemetry or event). */
  endsAt: number;
}

export interface PlanWorld {
  network: RoadNetwork;
  goods: GoodsCatalogue;
  towns: Towns;
  seed: number;
  seedTag: string;
}

type Group = 'CN' | 'RU' | 'UZ' | 'KG' | 'TM' | 'PORT' | 'INLAND';

/** Road freight flows through Kazakhstan, weighted by rough share of lorries (China–Russia transit first). */
const FLOWS: readonly (readonly [readonly [Group, Group], number])[] = [
  [['CN', 'RU'], 24],
  [['CN', 'UZ'], 12],
  [['CN', 'KG'], 6],
  [['CN', 'PORT'], 4],
  [['CN', 'TM'], 2],
  [['CN', 'INLAND'], 16],
  [['RU', 'UZ'], 8],
  [['RU', 'KG'], 4],
  [['RU', 'INLAND'], 7],
  [['RU', 'CN'], 3],
  [['UZ', 'RU'], 5],
  [['KG', 'RU'], 3],
  [['INLAND', 'RU'], 3],
  [['INLAND', 'UZ'], 2],
  [['UZ', 'CN'], 2],
];

const isoTime = (time: number): string => new Date(Math.round(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const isoDate = (time: number): string => new Date(time).toISOString().slice(0, 10);

const groupOf = (office: SimOffice): Group =>
  office.role === 'port' ? 'PORT' : office.role === 'inland' ? 'INLAND' : (office.neighbour as Group);

interface Itinerary {
  route: Route;
  origin: SimOffice;
  end: SimOffice;
  exit: SimOffice | undefined;
  destination: SimOffice;
  originCountry: string;
  destinationCountry: string;
  countriesOfRouting: string[];
}

const candidates = (world: PlanWorld, group: Group): SimOffice[] =>
  group === 'INLAND'
    ? world.network.offices.filter((office) => office.role === 'inland')
    : world.network.gateways.filter((office) => groupOf(office) === group);

const pickOffice = (world: PlanWorld, random: Random, group: Group, avoid?: string): SimOffice => {
  const list = candidates(world, group).filter((office) => office.code !== avoid);
  return random.weighted(
    list.map((office) => {
      const main = world.network.corridorCrossings.has(office.code) ? 4 : 1;
      const city = office.code === 'KZ000201' || office.code === 'KZ000202' ? 3 : 1;
      return [office, main * city] as const;
    }),
  );
};

const foreignDestination = (world: PlanWorld, random: Random, exit: SimOffice): SimOffice => {
  const country = exit.role === 'port' ? 'AZ' : exit.neighbour;
  const options = world.network.offices.filter((office) => office.role === 'foreign_destination' && office.country === country);
  if (country === 'UZ' && random.chance(0.12)) {
    const beyond = world.network.offices.filter((office) => office.role === 'foreign_destination' && (office.country === 'TJ' || office.country === 'AF'));
    if (beyond.length > 0) return random.pick(beyond);
  }
  const nearest = [...options].sort((a, b) => distanceKm(a, exit) - distanceKm(b, exit));
  return random.chance(0.75) || nearest.length === 1 ? nearest[0]! : random.pick(nearest);
};

const chooseItinerary = (world: PlanWorld, random: Random): Itinerary => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [fromGroup, toGroup] = random.weighted(FLOWS);
    const origin = pickOffice(world, random, fromGroup);
    const end = pickOffice(world, random, toGroup, origin.code);
    const route = world.network.route(origin.code, end.code);
    if (!route || route.path.length < 150 || route.offices.length - 2 > 9) continue;
    const exit = toGroup === 'INLAND' ? undefined : end;
    const destination = exit ? foreignDestination(world, random, exit) : end;
    const originCountry = fromGroup === 'INLAND' ? 'KZ' : fromGroup === 'PORT' ? 'AZ' : fromGroup;
    const destinationCountry = destination.country;
    const routing = [fromGroup === 'INLAND' || fromGroup === 'PORT' ? '' : fromGroup, 'KZ', exit ? (exit.role === 'port' ? 'AZ' : exit.neighbour) : '', destinationCountry];
    const countriesOfRouting = [...new Set(routing.filter((c) => c !== ''))];
    return { route, origin, end, exit, destination, originCountry, destinationCountry, countriesOfRouting };
  }
  throw new Error('no road route found between the reference offices; check geo/offices.csv');
};

const deviceProfile = (random: Random): DeviceProfile => {
  const periodMinutes = random.weighted([[5, 2], [10, 5], [15, 2]] as const);
  return {
    periodMinutes,
    stationaryPeriodMinutes: random.chance(0.3) ? periodMinutes : Math.min(30, periodMinutes * random.pick([2, 3])),
    dropRate: random.between(0.005, 0.03),
    noiseMetres: random.between(5, 25),
    glitchRate: random.between(0, 0.004),
    batteryStart: random.chance(0.015) ? random.between(17, 24) : random.between(55, 100),
    drainPerHour: random.between(0.08, 0.35),
  };
};

/** A place in the customs area around an office: a yard or parking a few hundred metres to 2 km away. */
const officeYard = (random: Random, office: LatLon): LatLon =>
  offsetKm(office, random.between(-1.5, 1.5), random.between(-1.5, 1.5));

const truePosition = (phases: readonly Phase[], time: number): LatLon => {
  const phase = phases.find((candidate) => candidate.end >= time) ?? phases[phases.length - 1]!;
  return phasePosition(phase, Math.max(time, phase.start)).position;
};

/** Kilometre along the route where a drive phase on the route passes `km` (undefined if it never does). */
const timeAtKm = (phases: readonly Phase[], path: Path, km: number): number | undefined => {
  for (const phase of phases) {
    if (phase.kind !== 'drive' || phase.path !== path) continue;
    const lo = Math.min(phase.fromKm, phase.toKm);
    const hi = Math.max(phase.fromKm, phase.toKm);
    if (km < lo || km > hi) continue;
    const span = phase.toKm - phase.fromKm;
    const t = span === 0 ? 0 : (km - phase.fromKm) / span;
    return phase.start + (phase.end - phase.start) * t;
  }
  return undefined;
};

const nearestOfficeKm = (world: PlanWorld, p: LatLon): number => world.towns.nearestTownKm(p);

/** A kilometre of the route in [fromShare, toShare] of its length, at least `awayKm` from any office. */
const quietKm = (world: PlanWorld, random: Random, route: Route, fromShare: number, toShare: number, awayKm = 25): number | undefined => {
  for (let attempt = 0; attempt < 40; attempt++) {
    const km = route.path.length * random.between(fromShare, toShare);
    if (nearestOfficeKm(world, positionAt(route.path, km)) >= awayKm) return km;
  }
  return undefined;
};

/** An off-road leg from the road to a place `distance` km to one side (a yard, a village, a warehouse). */
const sidePlace = (random: Random, at: LatLon, distance: number): LatLon => {
  const angle = random.between(0, Math.PI * 2);
  return offsetKm(at, Math.cos(angle) * distance, Math.sin(angle) * distance);
};

const legPath = (from: LatLon, to: LatLon, seed: number, amplitude: number): Path => buildPath(meanderRoad(from, to, seed, amplitude));

export interface PlanOptions {
  index: number;
  lodgedAt: number;
  evasion?: EvasionType;
  /** Give the movement a time limit it cannot meet (a delayed lorry, a limit set too short): it goes overdue en route. */
  tightLimit?: boolean;
}

/** Builds one movement: route, declaration, driver's timeline, office events, device, and any evasion. */
export const planMovement = (world: PlanWorld, options: PlanOptions): MovementPlan => {
  const { index, lodgedAt } = options;
  const random = new Random(mixSeed(world.seed, index, 0x5eed));
  const lrn = `SIM${world.seedTag}-${String(index + 1).padStart(7, '0')}`;
  const deviceId = `ES-${world.seedTag}-${String(index + 1).padStart(7, '0')}`;
  let itinerary = chooseItinerary(world, random);
  let evasionSetup: EvasionSetup | undefined;
  if (options.evasion) {
    for (let attempt = 0; attempt < 40 && !evasionSetup; attempt++) {
      evasionSetup = setupEvasion(world, random, options.evasion, itinerary);
      if (!evasionSetup) itinerary = chooseItinerary(world, random);
    }
  }
  const { route, origin, exit, destination } = itinerary;
  const device = deviceProfile(random);
  const team = random.chance(0.06);
  const timeline = new Timeline(
    random,
    { team, cruiseKmh: random.between(62, 82), dailyDrivingHours: random.chance(0.25) ? 10 : 9 },
    lodgedAt,
    world.towns,
  );
  const events: OfficeEventRecord[] = [];
  let eventSeq = 0;
  const event = (type: OfficeEventRecord['type'], time: number, office: string) =>
    events.push({ id: `${lrn}:${String(++eventSeq).padStart(2, '0')}`, lrn, type, time: isoTime(time), office });

  // Departure: the declaration is accepted, sometimes the goods are inspected, the seal goes on, release.
  const yard = officeYard(random, origin);
  timeline.stop(yard, random.between(5, 40), 'office');
  event('accepted', timeline.now, origin.code);
  if (random.chance(0.08)) {
    timeline.stop(yard, random.between(10, 30), 'office');
    event('under_control', timeline.now, origin.code);
    timeline.stop(yard, random.between(60, 240), 'office');
  } else {
    timeline.stop(yard, random.between(20, 180), 'office');
  }
  const telemetryStart = timeline.now - random.between(5, 25) * MINUTE;
  event('released', timeline.now, origin.code);
  const releaseHour = localHour(timeline.now);
  if (!team && (releaseHour >= 21 || releaseHour < 5)) timeline.waitUntilLocalHour(yard, random.between(5.5, 7.5), 'office');

  const seal: SealChange[] = [{ time: telemetryStart, state: 'armed' }];
  const gaps: Gap[] = [];
  const forcedFixes: number[] = [];
  const spoof: SpoofWindow[] = [];
  const state: PlanState = {
    random,
    timeline,
    route,
    world,
    seal,
    gaps,
    forcedFixes,
    spoof,
    index,
  };

  const lastKm = route.officeKm[route.officeKm.length - 1]!;
  const queueKm = exit ? lastKm - random.between(1.5, 8) : lastKm;
  let truth: { time: number; variant: string } | undefined;
  let outcome: Outcome = { kind: 'completes' };
  if (evasionSetup) {
    const played = evasionSetup.play(state, queueKm);
    truth = played.truth;
    outcome = played.outcome;
  } else {
    driveWithIncidents(state, queueKm);
  }

  let telemetryEnd: number;
  if (outcome.kind === 'ends') {
    telemetryEnd = outcome.telemetryEnd;
  } else if (exit) {
    // Queue at the exit crossing, creeping forward; then formalities, the seal comes off, the lorry leaves.
    const queueHours = outcome.minQueueHours ?? 0;
    const typical =
      exit.neighbour === 'RU'
        ? random.weighted([[random.between(1, 6), 5], [random.between(6, 20), 3.5], [random.between(20, 40), 1.5]] as const)
        : random.between(0.5, 6);
    const queueEnd = timeline.now + Math.max(typical, queueHours) * HOUR;
    let km = queueKm;
    while (timeline.now < queueEnd && km < lastKm - 0.4) {
      timeline.stop(positionAt(route.path, km), Math.min(random.between(20, 90), (queueEnd - timeline.now) / MINUTE + 1), 'queue');
      const step = Math.min(random.between(0.1, 0.9), lastKm - 0.4 - km);
      if (step > 0) {
        const phaseStart = timeline.now;
        const end = phaseStart + (step / random.between(3, 8)) * HOUR;
        timeline.phases.push({ kind: 'drive', start: phaseStart, end, path: route.path, fromKm: km, toKm: km + step });
        timeline.state.time = end;
        km += step;
      }
    }
    if (timeline.now < queueEnd) timeline.stop(positionAt(route.path, km), (queueEnd - timeline.now) / MINUTE, 'queue');
    const post = officeYard(random, exit);
    timeline.stop(post, random.between(30, 120), 'office');
    seal.push({ time: timeline.now - random.between(5, 20) * MINUTE, state: 'opened', eventCode: '01' });
    event('exited', timeline.now, exit.code);
    telemetryEnd = timeline.now + random.between(0, 10) * MINUTE;
    const arrived = timeline.now + ((distanceKm(exit, destination) * 1.25) / 60) * HOUR + random.between(1, 24) * HOUR;
    event('arrived', arrived, destination.code);
    event('discharged', arrived + random.between(2, 30) * HOUR, destination.code);
  } else {
    const post = officeYard(random, destination);
    timeline.drive(buildPath([positionAt(route.path, lastKm), post]), 0, distanceKm(positionAt(route.path, lastKm), post));
    timeline.stop(post, random.between(5, 30), 'office');
    event('arrived', timeline.now, destination.code);
    timeline.stop(post, random.between(30, 300), 'office');
    seal.push({ time: timeline.now, state: 'opened', eventCode: '01' });
    timeline.stop(post, random.between(30, 180), 'office');
    event('discharged', timeline.now, destination.code);
    telemetryEnd = timeline.now + random.between(0, 10) * MINUTE;
  }

  // A frozen track only betrays itself if the lorry really moved meanwhile: hold it until it is 100 km on.
  for (const window of spoof) {
    if (window.mode !== 'frozen') continue;
    const frozenAt = window.fake(window.start);
    let end = window.end;
    while (end < telemetryEnd && distanceKm(truePosition(timeline.phases, end), frozenAt) < 100) end += 10 * MINUTE;
    window.end = Math.min(end, telemetryEnd);
  }

  // Offices of transit report the lorry as it passes them (only those it actually passed).
  const transitOffices = route.offices.slice(1, -1);
  const passed = transitOffices
    .map((office, i) => ({ office, time: timeAtKm(timeline.phases, route.path, route.officeKm[i + 1]!) }))
    .filter((entry): entry is { office: SimOffice; time: number } => entry.time !== undefined && entry.time <= telemetryEndOrInfinity(outcome, telemetryEnd));
  for (const { office, time } of passed) event('passed_transit', time + random.between(2, 20) * MINUTE, office.code);
  events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  events.forEach((record, i) => (record.id = `${lrn}:${String(i + 1).padStart(2, '0')}`));

  // Coverage holes in the steppe: short, and never long enough to look like a silenced tracker.
  const tripHours = (telemetryEnd - telemetryStart) / HOUR;
  const holes = Math.floor(tripHours * random.between(0, 0.04));
  for (let i = 0; i < holes; i++) {
    const start = telemetryStart + random.between(0.05, 0.95) * (telemetryEnd - telemetryStart);
    const end = start + random.between(15, 40) * MINUTE;
    // Holes never touch each other or a silence: back-to-back holes would be one long gap.
    if (gaps.some((gap) => start < gap.end + 90 * MINUTE && end > gap.start - 90 * MINUTE)) continue;
    gaps.push({ start, end, cause: 'coverage' });
  }
  seal.sort((a, b) => a.time - b.time);

  const releaseTime = Date.parse(events.find((e) => e.type === 'released')!.time);
  const limitDays = options.tightLimit ? 0 : Math.ceil(route.path.length / 350) + 2 + (exit?.neighbour === 'RU' ? 2 : 0);
  const declaration = buildDeclaration(random, world.goods, {
    lrn,
    deviceIds: [deviceId],
    officeOfDeparture: origin.code,
    officesOfTransit: transitOffices.map((office) => office.code),
    officesOfExit: exit ? [exit.code] : [],
    officeOfDestination: destination.code,
    countriesOfRouting: itinerary.countriesOfRouting,
    limitDate: isoDate(releaseTime + limitDays * 24 * HOUR),
    originCountry: itinerary.originCountry,
    destinationCountry: itinerary.destinationCountry,
  });
  const lastEvent = Date.parse(events[events.length - 1]!.time);
  return {
    index,
    lrn,
    deviceId,
    lodgedAt,
    declaration,
    events,
    phases: timeline.phases,
    device,
    telemetryStart,
    telemetryEnd,
    gaps,
    forcedFixes,
    seal,
    spoof,
    ...(truth && options.evasion ? { truth: { lrn, evasion: options.evasion, start: isoTime(truth.time), variant: truth.variant } } : {}),
    endsAt: Math.max(telemetryEnd, lastEvent),
  };
};

const telemetryEndOrInfinity = (outcome: Outcome, telemetryEnd: number): number =>
  outcome.kind === 'ends' ? telemetryEnd : Number.POSITIVE_INFINITY;

type Outcome =
  | { kind: 'completes'; minQueueHours?: number }
  | { kind: 'ends'; telemetryEnd: number };

interface PlanState {
  random: Random;
  timeline: Timeline;
  route: Route;
  world: PlanWorld;
  seal: SealChange[];
  gaps: Gap[];
  forcedFixes: number[];
  spoof: SpoofWindow[];
  index: number;
}

interface EvasionSetup {
  play(state: PlanState, queueKm: number): { truth: { time: number; variant: string }; outcome: Outcome };
}

const roadPoint = (route: Route, km: number): LatLon => positionAt(route.path, km);

/**
 * The ordinary trip, with the small irregularities honest traffic has: a lorry turning off into a village
 * for food or paperwork, a mobile customs check that opens and re-seals the load at an office, a device
 * that reports a malfunction once.
 */
const driveWithIncidents = (state: PlanState, queueKm: number): void => {
  const { timeline, route, random: r, seal } = state;
  const incident = r.weighted([['none', 93.5], ['village', 4], ['inspection', route.offices.length > 2 ? 2 : 0], ['malfunction', 0.5]] as const);
  if (incident === 'village') {
    const km = queueKm * r.between(0.1, 0.9);
    timeline.drive(route.path, 0, km, route.restAreas);
    const place = sidePlace(r, roadPoint(route, km), r.between(3, 15));
    const leg = visit(state, km, place, mixSeed(state.index, 8));
    timeline.stop(place, r.between(15, 60), 'roadside');
    timeline.drive(leg, leg.length, 0);
    timeline.drive(route.path, km, queueKm, route.restAreas);
    return;
  }
  if (incident === 'inspection') {
    const officeIndex = r.int(1, route.offices.length - 2);
    const km = route.officeKm[officeIndex]!;
    timeline.drive(route.path, 0, km, route.restAreas);
    const post = officeYard(r, route.offices[officeIndex]!);
    const leg = visit(state, km, post, mixSeed(state.index, 9));
    const minutes = r.between(40, 150);
    const start = timeline.now;
    timeline.stop(post, minutes, 'office');
    seal.push({ time: start + r.between(5, 20) * MINUTE, state: 'opened', eventCode: '01' });
    seal.push({ time: timeline.now - r.between(2, 10) * MINUTE, state: 'armed' });
    timeline.drive(leg, leg.length, 0);
    timeline.drive(route.path, km, queueKm, route.restAreas);
    return;
  }
  if (incident === 'malfunction') {
    const km = queueKm * r.between(0.1, 0.9);
    timeline.drive(route.path, 0, km, route.restAreas);
    seal.push({ time: timeline.now, state: 'armed', eventCode: '04' });
    timeline.drive(route.path, km, queueKm, route.restAreas);
    return;
  }
  timeline.drive(route.path, 0, queueKm, route.restAreas);
};

/** Drives off the road at `fromKm` to `place`; returns the leg so the caller can drive it back. */
const visit = (state: PlanState, fromKm: number, place: LatLon, seed: number): Path => {
  const { timeline, route } = state;
  const leg = legPath(roadPoint(route, fromKm), place, seed, 3);
  timeline.drive(leg, 0, leg.length);
  return leg;
};

const setupEvasion = (world: PlanWorld, random: Random, evasion: EvasionType, itinerary: Itinerary): EvasionSetup | undefined => {
  const { route, exit } = itinerary;
  switch (evasion) {
    case 'unscheduled_stop': {
      const km = quietKm(world, random, route, 0.12, 0.85);
      if (km === undefined) return undefined;
      return {
        play(state, queueKm) {
          const { timeline, random: r } = state;
          timeline.drive(route.path, 0, km, route.restAreas);
          const place = sidePlace(r, roadPoint(route, km), r.between(0.3, 6));
          const leg = visit(state, km, place, mixSeed(state.index, 1));
          const start = timeline.now;
          const hour = localHour(start);
          // In the working day, soon after the night's rest, no driver needs hours off: a stop then is not a rest.
          const fresh = hour >= 6 && hour < 16 && timeline.state.drivingToday < 5;
          const variant = fresh && r.chance(0.6) ? 'daytime' : 'long';
          const hours = variant === 'daytime' ? r.between(5.5, 11) : r.between(16, 40);
          timeline.stop(place, hours * 60, 'yard');
          timeline.drive(leg, leg.length, 0);
          timeline.drive(route.path, km, queueKm, route.restAreas);
          return { truth: { time: start, variant }, outcome: { kind: 'completes' } };
        },
      };
    }
    case 'seal_breach': {
      const km = quietKm(world, random, route, 0.1, 0.85);
      if (km === undefined) return undefined;
      return {
        play(state, queueKm) {
          const { timeline, random: r, seal } = state;
          timeline.drive(route.path, 0, km, route.restAreas);
          const place = sidePlace(r, roadPoint(route, km), r.between(0.3, 5));
          const leg = visit(state, km, place, mixSeed(state.index, 2));
          const minutes = r.between(25, 180);
          const stopStart = timeline.now;
          timeline.stop(place, minutes, 'yard');
          const breach = stopStart + r.between(4, minutes - 4) * MINUTE;
          const variant = r.weighted([['opened', 4], ['tampered', 2], ['unauthorised_rearmed', 2], ['opened_rearmed', 2]] as const);
          if (variant === 'opened') seal.push({ time: breach, state: 'opened', eventCode: '01' });
          if (variant === 'tampered') seal.push({ time: breach, state: 'tampered', eventCode: '02' });
          if (variant === 'unauthorised_rearmed' || variant === 'opened_rearmed') {
            seal.push({ time: breach, state: variant === 'opened_rearmed' ? 'opened' : 'tampered', eventCode: variant === 'opened_rearmed' ? '01' : '07' });
            seal.push({ time: Math.min(breach + r.between(10, 60) * MINUTE, timeline.now - MINUTE), state: 'armed' });
          }
          timeline.drive(leg, leg.length, 0);
          timeline.drive(route.path, km, queueKm, route.restAreas);
          return { truth: { time: breach, variant }, outcome: { kind: 'completes' } };
        },
      };
    }
    case 'ghost_transit': {
      const variant = random.weighted([['vanish_at_border', exit ? 4 : 0], ['warehouse', 3], ['dropout', 2]] as const);
      const km = quietKm(world, random, route, 0.3, 0.9, variant === 'warehouse' ? 20 : 0);
      if (km === undefined) return undefined;
      return {
        play(state, queueKm) {
          const { timeline, random: r, seal } = state;
          if (variant === 'vanish_at_border') {
            timeline.drive(route.path, 0, queueKm, route.restAreas);
            const start = timeline.now;
            timeline.stop(roadPoint(route, queueKm), r.between(60, 300), 'queue');
            return { truth: { time: start, variant }, outcome: { kind: 'ends', telemetryEnd: timeline.now } };
          }
          timeline.drive(route.path, 0, km, route.restAreas);
          const start = timeline.now;
          if (variant === 'warehouse') {
            const place = sidePlace(r, roadPoint(route, km), r.between(2, 30));
            visit(state, km, place, mixSeed(state.index, 3));
            timeline.stop(place, r.between(120, 720), 'yard');
            if (r.chance(0.5)) seal.push({ time: timeline.now - r.between(5, 60) * MINUTE, state: 'opened', eventCode: '01' });
            return { truth: { time: start, variant }, outcome: { kind: 'ends', telemetryEnd: timeline.now } };
          }
          timeline.drive(route.path, km, Math.min(queueKm, km + r.between(5, 40)), route.restAreas);
          if (r.chance(0.4)) seal.push({ time: timeline.now - MINUTE, state: 'tampered', eventCode: '07' });
          state.forcedFixes.push(timeline.now - MINUTE);
          return { truth: { time: start, variant }, outcome: { kind: 'ends', telemetryEnd: timeline.now } };
        },
      };
    }
    case 'silence': {
      const borderKm = silenceKm(world, random, itinerary);
      if (borderKm === undefined) return undefined;
      const variant = random.weighted([['resume', 4], ['detour', 3], ['until_exit', exit ? 2 : 0]] as const);
      return {
        play(state, queueKm) {
          const { timeline, random: r, gaps, forcedFixes } = state;
          const at = Math.min(borderKm.km, queueKm - 0.5);
          timeline.drive(route.path, 0, at, route.restAreas);
          const start = timeline.now;
          forcedFixes.push(start);
          if (variant === 'until_exit') {
            gaps.push({ start: start + 1, end: Number.POSITIVE_INFINITY, cause: 'silence' });
            timeline.drive(route.path, at, queueKm, route.restAreas);
            return { truth: { time: start, variant }, outcome: { kind: 'completes', minQueueHours: 3 } };
          }
          const hours = r.between(2.5, 14);
          if (variant === 'detour' && borderKm.border) {
            // While silent the lorry visits the border and comes back to where it went quiet.
            const place = offsetKm(borderKm.border, r.between(-5, 5), r.between(-5, 5));
            const leg = visit(state, at, place, mixSeed(state.index, 4));
            timeline.stop(place, r.between(40, 180), 'yard');
            timeline.drive(leg, leg.length, 0);
          } else {
            timeline.stop(offsetKm(roadPoint(route, at), r.between(-0.3, 0.3), r.between(-0.3, 0.3)), r.between(20, 90), 'roadside');
          }
          gaps.push({ start: start + 1, end: Math.max(timeline.now, start + hours * HOUR), cause: 'silence' });
          timeline.drive(route.path, at, queueKm, route.restAreas);
          // Silenced close to the exit, the lorry is still en route for hours before it leaves.
          return { truth: { time: start, variant }, outcome: { kind: 'completes', minQueueHours: 3 } };
        },
      };
    }
    case 'spoofing': {
      const km = quietKm(world, random, route, 0.15, 0.75, 0);
      if (km === undefined) return undefined;
      return {
        play(state, queueKm) {
          const { timeline, random: r, spoof, forcedFixes } = state;
          timeline.drive(route.path, 0, km, route.restAreas);
          const start = timeline.now;
          const variant: SpoofMode = r.weighted([['teleport', 3], ['frozen', 2], ['fast_forward', 2], ['alternating', 2]] as const);
          const hours = variant === 'frozen' ? r.between(2, 5) : r.between(1, 5);
          const here = roadPoint(route, km);
          let fake: (time: number) => LatLon;
          if (variant === 'frozen') {
            fake = () => here;
          } else if (variant === 'fast_forward') {
            const speed = r.between(220, 320);
            fake = (time) => roadPoint(route, Math.min(route.path.length, km + ((time - start) / HOUR) * speed));
          } else {
            const angle = r.between(0, Math.PI * 2);
            const far = r.between(150, 700);
            const anchor = offsetKm(here, Math.cos(angle) * far, Math.sin(angle) * far);
            // A replayed or simulated position wanders slowly around a place far from the lorry.
            fake = (time) => offsetKm(anchor, Math.sin((time - start) / HOUR) * 20, Math.cos((time - start) / HOUR) * 6);
          }
          spoof.push({ start, end: start + hours * HOUR, mode: variant, fake });
          forcedFixes.push(start + (variant === 'frozen' ? 0 : 1));
          timeline.drive(route.path, km, queueKm, route.restAreas);
          return { truth: { time: start, variant }, outcome: { kind: 'completes' } };
        },
      };
    }
    case 'diversion': {
      const target = diversionTarget(world, random, itinerary);
      if (!target) return undefined;
      const variant = random.weighted([['cross', 3], ['transship', 4], ['vanish', 2]] as const);
      return {
        play(state, queueKm) {
          const { timeline, random: r } = state;
          timeline.drive(route.path, 0, target.branchKm, route.restAreas);
          const start = timeline.now;
          const branch = roadPoint(route, target.branchKm);
          const shortOf = variant === 'cross' ? 0 : r.between(4, 22);
          const towards = distanceKm(branch, target.crossing);
          const goal = positionAt(buildPath([branch, target.crossing]), Math.max(0, towards - shortOf));
          const leg = legPath(branch, goal, mixSeed(state.index, 6), 10);
          timeline.drive(leg, 0, leg.length);
          if (variant === 'transship') {
            timeline.stop(offsetKm(goal, r.between(-0.5, 0.5), r.between(-0.5, 0.5)), r.between(90, 360), 'yard');
            timeline.drive(leg, leg.length, 0);
            timeline.drive(route.path, target.branchKm, queueKm, route.restAreas);
            return { truth: { time: start, variant }, outcome: { kind: 'completes' } };
          }
          if (variant === 'cross') {
            timeline.stop(offsetKm(target.crossing, r.between(-0.5, 0.5), r.between(-0.5, 0.5)), r.between(30, 180), 'queue');
            const heading = direction(branch, target.crossing);
            const beyond = offsetKm(target.crossing, heading.east * 40, heading.north * 40);
            const onward = legPath(target.crossing, positionAt(buildPath([target.crossing, beyond]), r.between(8, 25)), mixSeed(state.index, 7), 1);
            timeline.drive(onward, 0, onward.length);
          } else {
            // The load is handed over here; the tracker is switched off soon after.
            timeline.stop(offsetKm(goal, r.between(-0.3, 0.3), r.between(-0.3, 0.3)), r.between(10, 40), 'yard');
            state.forcedFixes.push(timeline.now - 1);
          }
          return { truth: { time: start, variant }, outcome: { kind: 'ends', telemetryEnd: timeline.now } };
        },
      };
    }
  }
};

/** Where a tracker could be silenced near a border: before the exit crossing, or where the road skirts a border. */
const silenceKm = (world: PlanWorld, random: Random, itinerary: Itinerary): { km: number; border?: LatLon } | undefined => {
  const { route, exit } = itinerary;
  const lastKm = route.officeKm[route.officeKm.length - 1]!;
  const near: { km: number; border: LatLon }[] = [];
  for (const crossing of world.network.gateways) {
    if (crossing.role === 'port' || crossing.code === route.offices[0]!.code) continue;
    for (let km = 20; km < lastKm - 60; km += 10) {
      if (distanceKm(positionAt(route.path, km), crossing) < 60) {
        near.push({ km, border: crossing });
        break;
      }
    }
  }
  if (exit && (near.length === 0 || random.chance(0.6))) return { km: lastKm - random.between(10, 45), border: exit };
  return near.length > 0 ? random.pick(near) : undefined;
};

/** A crossing into a country the movement is not declared to enter, well away from its corridor; Russia first. */
const diversionTarget = (
  world: PlanWorld,
  random: Random,
  itinerary: Itinerary,
): { crossing: SimOffice; branchKm: number } | undefined => {
  const { route, countriesOfRouting } = itinerary;
  const options: (readonly [{ crossing: SimOffice; branchKm: number }, number])[] = [];
  for (const crossing of world.network.gateways) {
    if (crossing.role !== 'border_crossing' || countriesOfRouting.includes(crossing.neighbour)) continue;
    let nearest = Number.POSITIVE_INFINITY;
    let branchKm = 0;
    let corridor = Number.POSITIVE_INFINITY;
    for (let i = 0; i < route.path.km.length; i += 3) {
      const km = route.path.km[i]!;
      const d = distanceKm({ lat: route.path.lat[i]!, lon: route.path.lon[i]! }, crossing);
      corridor = Math.min(corridor, d);
      if (km < route.path.length * 0.1 || km > route.path.length * 0.85) continue;
      if (d < nearest) {
        nearest = d;
        branchKm = km;
      }
    }
    if (corridor < 90 || nearest > 650) continue;
    options.push([{ crossing, branchKm }, crossing.neighbour === 'RU' ? 5 : 1]);
  }
  return options.length > 0 ? random.weighted(options) : undefined;
};
