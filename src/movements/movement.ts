import type { Declaration } from './declaration.js';

export const MOVEMENT_STATES = [
  'submitted',
  'accepted',
  'rejected',
  'under_control',
  'released',
  'not_released',
  'passed_transit',
  'exited',
  'arrived',
  'unloading_remarks',
  'discharged',
  'cancelled',
  'incident',
  'overdue',
  'held',
] as const;
export type MovementState = (typeof MOVEMENT_STATES)[number];

/** Events an office or the declaration system reports (the contract's types, plus NCTS rejection). */
export const OFFICE_EVENT_TYPES = [
  'accepted',
  'rejected',
  'under_control',
  'released',
  'not_released',
  'passed_transit',
  'exited',
  'arrived',
  'unloading_remarks',
  'discharged',
  'cancelled',
  'incident',
] as const;

/** Events Caravan itself records: the declaration arriving, the overdue sweep, holds from case decisions. */
export const SYSTEM_EVENT_TYPES = ['submitted', 'overdue', 'hold', 'hold_released'] as const;

export type OfficeEventType = (typeof OFFICE_EVENT_TYPES)[number];
export type MovementEventType = OfficeEventType | (typeof SYSTEM_EVENT_TYPES)[number];

export const TERMINAL_STATES: readonly MovementState[] = ['rejected', 'not_released', 'discharged', 'cancelled'];
/** States in which goods are on the road under the transit procedure, so the time limit runs. */
export const EN_ROUTE_STATES: readonly MovementState[] = ['released', 'passed_transit', 'incident', 'overdue'];

interface Transition {
  from: readonly MovementState[];
  to: MovementState;
}

const EN_ROUTE = EN_ROUTE_STATES;

const transitions: Record<Exclude<MovementEventType, 'submitted' | 'hold' | 'hold_released'>, Transition> = {
  accepted: { from: ['submitted'], to: 'accepted' },
  rejected: { from: ['submitted'], to: 'rejected' },
  under_control: { from: ['accepted'], to: 'under_control' },
  released: { from: ['accepted', 'under_control'], to: 'released' },
  not_released: { from: ['accepted', 'under_control'], to: 'not_released' },
  passed_transit: { from: EN_ROUTE, to: 'passed_transit' },
  exited: { from: EN_ROUTE, to: 'exited' },
  arrived: { from: [...EN_ROUTE, 'exited'], to: 'arrived' },
  unloading_remarks: { from: ['arrived'], to: 'unloading_remarks' },
  discharged: { from: ['arrived', 'unloading_remarks', 'exited'], to: 'discharged' },
  cancelled: { from: ['submitted', 'accepted', 'under_control'], to: 'cancelled' },
  incident: { from: EN_ROUTE, to: 'incident' },
  overdue: { from: ['released', 'passed_transit', 'incident'], to: 'overdue' },
};

export interface MovementStatus {
  state: MovementState;
  /** Where a hold returns the movement when it is lifted. */
  stateBeforeHold: MovementState | null;
}

export type TransitionResult = { ok: true; status: MovementStatus } | { ok: false; reason: string };

const readable = (word: string): string => word.replace(/_/g, ' ');

/** The lifecycle as a pure function: the next status for an event, or why the event does not fit. */
export const applyEvent = (status: MovementStatus, type: MovementEventType): TransitionResult => {
  const { state } = status;
  if (type === 'submitted') {
    return { ok: false, reason: 'a movement is submitted once, by its declaration' };
  }
  if (type === 'hold_released') {
    return state === 'held' && status.stateBeforeHold
      ? { ok: true, status: { state: status.stateBeforeHold, stateBeforeHold: null } }
      : { ok: false, reason: `movement is ${readable(state)}, not held` };
  }
  if (state === 'held') {
    return { ok: false, reason: `movement is held: ${readable(type)} is refused until the hold is released` };
  }
  if (type === 'hold') {
    return TERMINAL_STATES.includes(state)
      ? { ok: false, reason: `movement is ${readable(state)}; there is nothing left to hold` }
      : { ok: true, status: { state: 'held', stateBeforeHold: state } };
  }
  const transition = transitions[type];
  if (!transition.from.includes(state)) {
    return {
      ok: false,
      reason: `${readable(type)} does not fit a movement that is ${readable(state)} (allowed from: ${transition.from.map(readable).join(', ')})`,
    };
  }
  return { ok: true, status: { state: transition.to, stateBeforeHold: null } };
};

/** The time limit runs to the end of the limit date, in UTC. */
export const limitInstant = (limitDate: string): string => `${limitDate}T23:59:59.999Z`;

export const isPastLimit = (state: MovementState, limitAt: string | null, now: Date): boolean =>
  limitAt !== null && ['released', 'passed_transit', 'incident'].includes(state) && limitAt < now.toISOString();

/**
 * The state a reader sees: a movement still on the road past its limit is overdue even before the
 * sweep has recorded the overdue event.
 */
export const effectiveState = (state: MovementState, limitAt: string | null, now: Date): MovementState =>
  isPastLimit(state, limitAt, now) ? 'overdue' : state;

export type OfficeRole = 'departure' | 'transit' | 'exit' | 'destination';

/** A remark on an applied event that an officer should notice, e.g. exit through an undeclared office. */
export const officeRemark = (
  declaration: Pick<Declaration, 'officesOfTransit' | 'officesOfExit' | 'officeOfDestination'>,
  type: MovementEventType,
  office: string | null,
): string | null => {
  if (office === null) return null;
  const expected: Partial<Record<MovementEventType, { offices: string[]; role: string }>> = {
    passed_transit: { offices: declaration.officesOfTransit, role: 'office of transit' },
    exited: { offices: declaration.officesOfExit, role: 'office of exit' },
    arrived: { offices: [declaration.officeOfDestination], role: 'office of destination' },
  };
  const rule = expected[type];
  if (!rule || rule.offices.length === 0 || rule.offices.includes(office)) return null;
  return `${office} is not a declared ${rule.role} (declared: ${rule.offices.join(', ')})`;
};

export interface Movement {
  id: string;
  lrn: string;
  mrn: string | null;
  declarantKey: string;
  /** The state as a reader should see it (overdue once the limit has passed en route). */
  state: MovementState;
  /** The state the recorded events lead to. */
  recordedState: MovementState;
  stateBeforeHold: MovementState | null;
  overdue: boolean;
  declaredAt: string;
  updatedAt: string;
  limitDate: string | null;
  eventCount: number;
  declaration: Declaration;
  originalFormat: 'json' | 'ie015';
}

export interface MovementEvent {
  id: string;
  movementId: string;
  seq: number;
  type: MovementEventType;
  time: string;
  office: string | null;
  actor: string;
  details: Record<string, unknown> | null;
  recordedAt: string;
  outcome: 'applied' | 'refused';
  refusalReason: string | null;
  /** Something an officer should notice about an applied event, e.g. an undeclared office of exit. */
  note: string | null;
  stateBefore: MovementState;
  stateAfter: MovementState;
}
