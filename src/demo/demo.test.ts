import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config.js';
import { type AppContext, createAppContext } from '../main.js';
import { defaultListImports } from '../screening/default-lists.js';
import { DemoClock, type SeededDemo, seedDemo } from './demo.js';

describe('demo seeding', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'caravan-demo-'));
  let context: AppContext;
  let seeded: SeededDemo;
  const started = Date.now();

  before(async () => {
    const clock = new DemoClock(new Date());
    context = await createAppContext(loadConfig({ dataDir }), { clock });
    // The OFAC SDN list alone: the chips story's buyer is listed there, and it keeps the test quick.
    const ofacOnly = defaultListImports(context.config.referenceDir).filter((list) => list.options.source === 'ofac-sdn');
    seeded = await seedDemo(context, clock, { movements: 80, historyDays: 2, seed: 7, sanctionsLists: ofacOnly });
  });
  after(async () => {
    await context.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const byLrn = async (lrn: string) => {
    const page = await context.movements.list({ lrn }, { limit: 1 });
    assert.equal(page.items.length, 1, `movement ${lrn} was not seeded`);
    return context.movements.get(page.items[0]!.id);
  };

  it('tells each story through the live services', async () => {
    assert.equal((await byLrn('CARAVAN-DEMO-CLEAN-01')).movement.state, 'discharged');
    assert.equal((await byLrn('CARAVAN-DEMO-NOREL-01')).movement.state, 'not_released');
    assert.equal((await byLrn('CARAVAN-DEMO-CHIPS-01')).movement.state, 'passed_transit');

    const late = await byLrn('CARAVAN-DEMO-LATE-01');
    assert.equal(late.movement.state, 'overdue');
    assert.ok(late.events.some((event) => event.type === 'overdue' && event.outcome === 'applied'));

    const chips = await byLrn('CARAVAN-DEMO-CHIPS-01');
    const screening = await context.partyScreening.forMovement(chips.movement.id);
    const buyer = screening.parties.find((party) => party.role === 'consignee');
    assert.match(buyer?.matches[0]?.name ?? '', /SARATOV/i, 'the buyer written in Cyrillic is found on the OFAC SDN list');
    assert.ok((await context.alerts.forMovement(chips.movement.id)).some((alert) => alert.type === 'screening.hit'));

    const outOfOrder = await byLrn('CARAVAN-DEMO-ORDER-01');
    const exit = outOfOrder.events.find((event) => event.type === 'exited');
    assert.equal(exit?.outcome, 'refused', 'an exit before release is refused, and the refusal is kept');
  });

  it('fills the store with simulated traffic in several states, and the detectors have spoken', async () => {
    assert.ok(seeded.movementsDeclared > 40, `only ${seeded.movementsDeclared} movements declared`);
    const states = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await context.movements.list({}, { limit: 500, ...(cursor ? { cursor } : {}) });
      for (const movement of page.items) states.add(movement.state);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    for (const state of ['released', 'discharged']) assert.ok(states.has(state), `no ${state} movement among ${[...states].join(', ')}`);
    const tracking = await context.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM alerts WHERE source = 'tracking'");
    assert.ok(Number(tracking?.n) > 0, 'the demo raised no tracking alert');
  });

  it('hands the clock back to the wall clock once the past is seeded', () => {
    assert.ok(context.clock.now().getTime() >= started);
    assert.ok(Math.abs(context.clock.now().getTime() - Date.now()) < 5_000);
  });
});
