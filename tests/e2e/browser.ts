import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium, never a downloaded one. WebGL comes from SwiftShader (software), which is what a
 * headless machine without a GPU has; the map needs it.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Why the browser suites cannot run here, or null when they can; CI sets CARAVAN_REQUIRE_BROWSER=1. */
export const browserSkipReason = (): string | false => {
  if (existsSync(CHROMIUM)) return false;
  if (process.env['CARAVAN_REQUIRE_BROWSER'] === '1') throw new Error(`CARAVAN_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install -y chromium)`);
  return `${CHROMIUM} is missing; install Debian's chromium (apt-get install -y chromium) to run the browser tests`;
};

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

const WEB_ROOT = fileURLToPath(new URL('../../web', import.meta.url));

/** Builds the UI from the current source, so the browser tests never run against a stale bundle. */
export const buildWeb = async (): Promise<void> => {
  const { build } = await import('vite');
  await build({ root: WEB_ROOT, logLevel: 'error', configFile: `${WEB_ROOT}/vite.config.ts` });
};
