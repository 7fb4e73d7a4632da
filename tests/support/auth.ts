import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { PERMISSIONS } from '../../src/http/permissions.js';
import type { AppContext } from '../../src/main.js';
import type { Role } from '../../src/users/principal.js';

/**
 * Real credentials for tests: a freshly created user of the role, signed in (session cookie and CSRF
 * header, as the UI sends them), or for `integration` a machine token with every scope a token may have.
 */
export const authHeaders = async (context: AppContext, role: Role, offices?: string[]): Promise<Record<string, string>> => {
  const suffix = randomBytes(4).toString('hex');
  if (role === 'integration') {
    const { token } = await context.users.createToken(
      { name: `test-${suffix}`, scopes: PERMISSIONS.filter((permission) => permission !== 'users:admin'), ...(offices ? { offices } : {}) },
      'test',
    );
    return { authorization: `Bearer ${token}` };
  }
  const username = `${role}-${suffix}`;
  const password = `password-${suffix}`;
  await context.users.create({ username, password, role, ...(offices ? { offices } : {}) });
  const session = await context.users.login(username, password, '127.0.0.1');
  return { cookie: `caravan_session=${session.sessionId}`, 'x-csrf-token': session.csrfToken };
};

/** `app.inject` with the given credentials on every request (a request's own headers win). */
export const injectWith =
  (app: FastifyInstance, headers: Record<string, string>) =>
  (options: string | InjectOptions): Promise<LightMyRequestResponse> =>
    app.inject(
      typeof options === 'string'
        ? { url: options, headers }
        : { ...options, headers: { ...headers, ...(options.headers as Record<string, string> | undefined) } },
    );
