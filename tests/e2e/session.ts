import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';

export type Role = 'admin' | 'analyst' | 'officer' | 'auditor';

/** The office the officer test account works at: Nur Zholy, the main KZ–CN road crossing. */
export const OFFICER_OFFICE = 'KZ000101';

export const authInstalled = (app: FastifyInstance): boolean => app.hasRoute({ method: 'POST', url: '/api/v1/auth/login' });

/**
 * Until the users capability is on the server there is nobody to sign in as and no route enforces a
 * permission; the UI is then given the session answer of the auth contract for the role, so every
 * screen still runs against the real server's data. Once `/auth/login` exists the tests sign in for real.
 */
export const assumeSession = async (page: Page, role: Role): Promise<void> => {
  const user = { id: `test-${role}`, username: `test-${role}`, role, offices: role === 'officer' ? [OFFICER_OFFICE] : 'all' };
  await page.route('**/api/v1/auth/me', (route) => route.fulfill({ json: { user, csrfToken: 'test-csrf' } }));
};
