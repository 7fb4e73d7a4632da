import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, buildWeb, launchBrowser } from './browser.js';
import { startServer, type TestServer } from './server.js';
import { createAccount, signIn, type Account, type Role } from './session.js';

const skip = browserSkipReason();

/** A seeded movement none of whose declared offices is `office`, i.e. one an officer there may not see. */
const firstMovementAway = async (server: TestServer, office: string): Promise<string> => {
  for (const position of server.context.tracking.positions()) {
    const { declaration } = (await server.context.movements.get(position.movementId)).movement;
    const offices = [declaration.officeOfDeparture, ...declaration.officesOfTransit, ...declaration.officesOfExit, declaration.officeOfDestination];
    if (!offices.includes(office)) return position.movementId;
  }
  throw new Error(`every seeded movement touches ${office}`);
};

describe('web UI in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  const accounts = new Map<Role, Account>();

  before(async () => {
    await buildWeb();
    server = await startServer({ movements: 36, hours: 26 });
    for (const role of ['analyst', 'officer', 'auditor', 'admin'] as const) accounts.set(role, await createAccount(server.context, role));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = async (role: Role, path = '/'): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.once('close', () => assert.deepEqual(errors, [], 'no script errors on the page'));
    await signIn(page, server.url, accounts.get(role)!, path);
    return page;
  };

  const needsRoute = (t: TestContext, method: 'GET' | 'POST', url: string): boolean => {
    if (server.app.hasRoute({ method, url })) return true;
    t.skip(`${method} ${url} is not on this server yet`);
    return false;
  };

  it('asks for a username and password, refuses a wrong one and lands on the page asked for', async () => {
    const page = await browser.newPage();
    const analyst = accounts.get('analyst')!;
    await page.goto(`${server.url}/dashboards`);
    await page.getByRole('heading', { name: 'Sign in to Caravan' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
    await page.getByLabel('Username').fill(analyst.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
    await page.getByLabel('Password').fill(analyst.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboards' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/dashboards');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Caravan' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Caravan' }).waitFor();
    await page.close();
  });

  it('draws every active movement on the map and opens one with its track and corridor', async () => {
    const positions = server.context.tracking.positions();
    assert.ok(positions.length > 10, `seeded ${positions.length} positions`);
    const page = await open('analyst', '/map');
    // The count is what the WebGL layers report as drawn (queryRenderedFeatures), not what was fetched.
    await page.waitForFunction(
      `Number(document.querySelector('[data-testid=map]')?.getAttribute('data-rendered-movements')) === ${positions.length}`,
      undefined,
      { timeout: 30_000 },
    );
    assert.equal(await page.getByTestId('map').getAttribute('data-movements'), String(positions.length));

    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    server.context.notifier.publish({ topic: 'position', id: 'LIVE-TEST', data: { movementId: 'LIVE-TEST', lrn: 'LIVE-TEST', time: '2026-11-21T08:00:00.000Z', lat: 43.25, lon: 76.95 } });
    await page.waitForFunction(
      `Number(document.querySelector('[data-testid=map]')?.getAttribute('data-rendered-movements')) === ${positions.length + 1}`,
      undefined,
      { timeout: 10_000 },
    );

    const target = positions[0]!;
    await page.goto(`${server.url}/map?movement=${target.movementId}`);
    const panel = page.getByTestId('movement-panel');
    await panel.getByText(target.lrn).waitFor();
    await panel.getByText(/ → /).waitFor();
    await panel.getByRole('link', { name: 'Open movement page' }).click();
    await page.getByRole('heading', { name: 'Event history' }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Released' }).first().waitFor();
    await page.getByTestId('track-map').locator('canvas').waitFor();
    await page.close();
  });

  it('opens a case from the alert queue and records a decision with a reason', async (t) => {
    if (!needsRoute(t, 'GET', '/api/v1/alerts') || !needsRoute(t, 'POST', '/api/v1/cases')) return;
    const page = await open('analyst', '/queue');
    const rows = page.getByTestId('queue-rows').locator('tr');
    await rows.first().waitFor();
    await rows.first().focus();
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Decision' }).waitFor();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('alert').filter({ hasText: 'Give a reason for the decision.' }).waitFor();
    await page.getByLabel('Reason').fill('Checked the e-seal log with the post: stop at the weighbridge, seal intact.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('status').filter({ hasText: 'Decision recorded' }).waitFor();
    await page.close();
  });

  it('screens a name typed in Cyrillic and shows candidates with explanations', async (t) => {
    if (!needsRoute(t, 'GET', '/api/v1/screening/search')) return;
    const page = await open('analyst', '/screening');
    await page.getByLabel('Name to screen').fill('Ротенберг Аркадий');
    const candidates = page.getByTestId('candidates').locator('li');
    await candidates.first().waitFor();
    assert.match((await candidates.first().textContent()) ?? '', /rotenberg/i);
    await page.close();
  });

  it('shows the dashboards with figures from the store', async () => {
    const page = await open('analyst', '/dashboards');
    const chart = page.getByTestId('chart-movements-by-state');
    await chart.locator('canvas').waitFor();
    assert.equal(await chart.getByRole('button', { name: 'Export CSV' }).isEnabled(), true);
    const download = page.waitForEvent('download');
    await chart.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'movements-by-state.csv');
    await page.close();
  });

  it('shows each role only what it may use', async () => {
    const officer = await open('officer', '/map');
    const nav = officer.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Live map' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Dashboards' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Admin' }).count(), 0);
    await officer.goto(`${server.url}/admin`);
    await officer.getByText('Your role does not give access to this page.').waitFor();
    const elsewhere = await firstMovementAway(server, 'KZ000135');
    await officer.goto(`${server.url}/movements/${elsewhere}`);
    await officer.getByText('No such movement, or it is outside your offices.').waitFor();
    await officer.close();

    const auditor = await open('auditor', `/movements/${server.context.tracking.positions()[0]!.movementId}`);
    await auditor.getByRole('heading', { name: 'Decision' }).waitFor();
    await auditor.getByText('Your role cannot decide cases.').waitFor();
    assert.equal(await auditor.getByRole('button', { name: 'Record decision' }).count(), 0);
    await auditor.close();

    const admin = await open('admin', '/admin');
    await admin.getByRole('heading', { name: 'Administration' }).waitFor();
    await admin.close();
  });
});
