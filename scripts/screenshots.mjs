#!/usr/bin/env node
// Refreshes docs/screenshots/*.png from a real server seeded with simulated traffic, in Debian's Chromium.
// Run: npm run screenshots   (node --import tsx scripts/screenshots.mjs)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb, browserSkipReason, launchBrowser } from '../tests/e2e/browser.ts';
import { startServer } from '../tests/e2e/server.ts';
import { createAccount, signIn } from '../tests/e2e/session.ts';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
const skip = browserSkipReason();
if (skip) {
  console.error(skip);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
console.log('building the UI and seeding a server (about a minute)…');
await buildWeb();
const server = await startServer({ movements: 36, hours: 26 });
const accounts = {};
for (const role of ['analyst', 'admin']) accounts[role] = await createAccount(server.context, role);
const browser = await launchBrowser();

const settle = (page) => page.waitForLoadState('networkidle').catch(() => undefined);
const drawn = (page) =>
  page.waitForFunction("Number(document.querySelector('[data-testid=map]')?.getAttribute('data-rendered-movements')) > 0", undefined, { timeout: 30_000 });

const shoot = async (name, role, url, ready, viewport = { width: 1366, height: 900 }) => {
  const page = await browser.newPage({ viewport });
  if (role) await signIn(page, server.url, accounts[role], url);
  else await page.goto(`${server.url}${url}`);
  await settle(page);
  if (ready) await ready(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: name !== 'map' && name !== 'map-movement' && name !== 'map-tablet' });
  console.log(`docs/screenshots/${name}.png`);
  await page.close();
};

try {
  const positions = server.context.tracking.positions();
  let riskiest = positions[0].movementId;
  let most = -1;
  for (const position of positions) {
    const count = (await server.context.alerts.forMovement(position.movementId)).length;
    if (count > most) [riskiest, most] = [position.movementId, count];
  }
  await shoot('login', null, '/', (page) => page.getByRole('heading', { name: 'Sign in to Caravan' }).waitFor());
  await shoot('map', 'analyst', '/map', drawn);
  await shoot('map-movement', 'analyst', `/map?movement=${riskiest}`, async (page) => {
    await drawn(page);
    await page.getByTestId('movement-panel').getByText(/ → /).waitFor();
  });
  await shoot('map-tablet', 'analyst', '/map', drawn, { width: 820, height: 1180 });
  await shoot('movement', 'analyst', `/movements/${riskiest}`, (page) => page.getByTestId('track-map').locator('canvas').waitFor());
  await shoot('queue', 'analyst', '/queue');
  await shoot('screening', 'analyst', '/screening', async (page) => {
    await page.getByLabel('Name to screen').fill('Ротенберг Аркадий');
    await page.waitForTimeout(800);
  });
  await shoot('dashboards', 'analyst', '/dashboards', (page) => page.getByTestId('chart-movements-by-state').locator('canvas').waitFor());
  await shoot('admin', 'admin', '/admin');
} finally {
  await browser.close();
  await server.close();
}
