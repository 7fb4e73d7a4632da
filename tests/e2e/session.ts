import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { AppContext } from '../../src/main.js';
import { DEMO_OFFICER_OFFICES } from '../../src/users/user.service.js';

export type Role = 'admin' | 'analyst' | 'officer' | 'auditor';

export interface Account {
  username: string;
  password: string;
  role: Role;
}

/** A real user of the role, created through the users service; the officer works where the demo officer does. */
export const createAccount = async (context: AppContext, role: Role): Promise<Account> => {
  const suffix = randomBytes(3).toString('hex');
  const account = { username: `${role}-${suffix}`, password: `pw-${randomBytes(8).toString('hex')}`, role };
  await context.users.create({ ...account, ...(role === 'officer' ? { offices: DEMO_OFFICER_OFFICES } : {}) });
  return account;
};

/** Signs in through the login form, as a person would; the page keeps the session cookie. */
export const signIn = async (page: Page, baseUrl: string, account: Account, path = '/'): Promise<void> => {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').filter({ hasText: account.username }).waitFor();
};
