import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyEvent,
  effectiveState,
  limitInstant,
  type MovementEventType,
  type MovementStatus,
  officeRemark,
} from './movement.js';

const walk = (types: MovementEventType[]): MovementStatus => {
  let status: MovementStatus = { state: 'submitted', stateBeforeHold: null };
  for (const type of types) {
    const result = applyEvent(status, type);
    assert.ok(result.ok, `${type} from ${status.state}: ${!result.ok ? result.reason : ''}`);
    status = result.status;
  }
  return status;
};

describe('movement lifecycle', () => {
  it('walks the normal path from submission to discharge', () => {
    const status = walk(['accepted', 'under_control', 'released', 'passed_transit', 'passed_transit', 'exited', 'discharged']);
    assert.equal(status.state, 'discharged');
  });

  it('reaches discharge through arrival and unloading remarks', () => {
    assert.equal(walk(['accepted', 'released', 'arrived', 'unloading_remarks', 'discharged']).state, 'discharged');
  });

  it('refuses an event that does not fit and says which states allow it', () => {
    const result = applyEvent({ state: 'submitted', stateBeforeHold: null }, 'exited');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /exited does not fit a movement that is submitted.*released/);
  });

  it('refuses anything after a terminal state', () => {
    const discharged = walk(['accepted', 'released', 'arrived', 'discharged']);
    for (const type of ['released', 'exited', 'hold', 'cancelled'] as const) {
      assert.equal(applyEvent(discharged, type).ok, false, type);
    }
  });

  it('cancels only before release', () => {
    assert.equal(walk(['accepted', 'cancelled']).state, 'cancelled');
    assert.equal(applyEvent(walk(['accepted', 'released']), 'cancelled').ok, false);
  });

  it('a hold stops exit and discharge until released, then returns to the state before it', () => {
    const held = walk(['accepted', 'released', 'passed_transit', 'hold']);
    assert.equal(held.state, 'held');
    const exit = applyEvent(held, 'exited');
    assert.equal(exit.ok, false);
    assert.match(!exit.ok ? exit.reason : '', /held/);
    const released = applyEvent(held, 'hold_released');
    assert.deepEqual(released.ok && released.status, { state: 'passed_transit', stateBeforeHold: null });
    assert.equal(applyEvent({ state: 'released', stateBeforeHold: null }, 'hold_released').ok, false);
  });

  it('an overdue movement can still pass, exit or arrive late', () => {
    assert.equal(walk(['accepted', 'released', 'overdue', 'arrived']).state, 'arrived');
    assert.equal(walk(['accepted', 'released', 'overdue', 'exited']).state, 'exited');
  });

  it('a movement en route past the end of its limit date reads as overdue', () => {
    const limitAt = limitInstant('2026-12-05');
    assert.equal(effectiveState('released', limitAt, new Date('2026-12-05T23:00:00Z')), 'released');
    assert.equal(effectiveState('released', limitAt, new Date('2026-12-06T00:00:00Z')), 'overdue');
    assert.equal(effectiveState('arrived', limitAt, new Date('2026-12-09T00:00:00Z')), 'arrived');
    assert.equal(effectiveState('accepted', limitAt, new Date('2026-12-09T00:00:00Z')), 'accepted');
  });

  it('remarks on exit through an office that was not declared', () => {
    const declaration = { officesOfTransit: ['KZ000201'], officesOfExit: ['KZ000108'], officeOfDestination: 'KG000902' };
    assert.equal(officeRemark(declaration, 'exited', 'KZ000108'), null);
    assert.match(officeRemark(declaration, 'exited', 'KZ000301') ?? '', /KZ000301 is not a declared office of exit/);
    assert.equal(officeRemark(declaration, 'released', 'KZ000999'), null);
  });
});
