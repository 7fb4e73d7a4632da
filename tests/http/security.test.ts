import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { openSqlite } from '../../src/db/sqlite.js';
import { buildHttpApp } from '../../src/http/app.js';
import { type AppContext, createAppContext } from '../../src/main.js';
import { ManualClock } from '../../src/shared/clock.js';
import { ROLE_PERMISSIONS, type Role } from '../../src/users/principal.js';
import { authPolicy } from '../../src/users/user.service.js';
import { authHeaders, injectWith } from '../support/auth.js';
import { exampleDeclaration } from '../support/movement-fixtures.js';

const ROLES_TO_WALK: Role[] = ['admin', 'analyst', 'officer', 'auditor'];

/** A URL for a route pattern; parameters get values that name nothing, so no handler changes data. */
const concreteUrl = (url: string): string => url.replace(/:([A-Za-z]+)/g, (_, name: string) => (name === 'code' ? 'ZZ999999' : 'NOT-THERE-0001'));

describe('security', () => {
  let context: AppContext;
  let app: FastifyInstance;
  const clock = new ManualClock('2026-11-24T08:00:00Z');
  const credentials = new Map<Role, Record<string, string>>();

  before(async () => {
    const db = openSqlite({ file: ':memory:' });
    await migrate(db);
    context = await createAppContext(loadConfig(), { db, clock });
    app = await buildHttpApp(context, { logLevel: 'silent', bodyLimitBytes: 256 * 1024 });
    for (const role of ROLES_TO_WALK) credentials.set(role, await authHeaders(context, role, role === 'officer' ? ['KZ000135'] : undefined));
  });
  after(async () => {
    await app.close();
    await context.close();
  });

  const call = (route: { method: string; url: string }, headers: Record<string, string> = {}) =>
    app.inject({
      method: route.method as 'GET',
      url: concreteUrl(route.url),
      headers: { ...headers, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { 'content-type': 'application/json' }) },
      ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: '{}' }),
    });

  it('walks every API route with every role: 401 without credentials, 403 without the permission, never for those who have it', async () => {
    const protectedRoutes = app.apiRoutes.filter((route) => route.permission !== 'public' && route.url !== '/api/v1/stream');
    assert.ok(protectedRoutes.length >= 20, `only ${protectedRoutes.length} routes found`);
    for (const route of protectedRoutes) {
      const anonymous = await call(route);
      assert.equal(anonymous.statusCode, 401, `${route.method} ${route.url} without credentials: ${anonymous.body}`);
      for (const role of ROLES_TO_WALK) {
        const response = await call(route, credentials.get(role));
        const allowed = (ROLE_PERMISSIONS[role] as readonly string[]).includes(route.permission);
        if (allowed) assert.ok(![401, 403].includes(response.statusCode), `${role} ${route.method} ${route.url} → ${response.statusCode} ${response.body}`);
        else assert.equal(response.statusCode, 403, `${role} ${route.method} ${route.url} → ${response.statusCode} ${response.body}`);
      }
    }
  });

  it('refuses a cookie-authenticated change without the CSRF header, and forged or revoked tokens', async () => {
    const analyst = credentials.get('analyst')!;
    const declaration = JSON.stringify({ ...exampleDeclaration(), lrn: 'SEC-CSRF-0001' });
    const withoutCsrf = await app.inject({ method: 'POST', url: '/api/v1/movements', headers: { cookie: analyst.cookie!, 'content-type': 'application/json' }, payload: declaration });
    assert.equal(withoutCsrf.statusCode, 403);
    assert.match(withoutCsrf.body, /x-csrf-token/);
    const wrongCsrf = await app.inject({ method: 'POST', url: '/api/v1/movements', headers: { cookie: analyst.cookie!, 'x-csrf-token': 'guess', 'content-type': 'application/json' }, payload: declaration });
    assert.equal(wrongCsrf.statusCode, 403);
    const accepted = await app.inject({ method: 'POST', url: '/api/v1/movements', headers: { ...analyst, 'content-type': 'application/json' }, payload: declaration });
    assert.equal(accepted.statusCode, 201, accepted.body);

    const forged = await app.inject({ url: '/api/v1/movements', headers: { authorization: 'Bearer cvn_forged-token-value' } });
    assert.equal(forged.statusCode, 401);
    const issued = await context.users.createToken({ name: 'sec-revoked', scopes: ['movements:read'] }, 'test');
    const bearer = { authorization: `Bearer ${issued.token}` };
    assert.equal((await app.inject({ url: '/api/v1/movements', headers: bearer })).statusCode, 200);
    assert.equal((await app.inject({ url: '/api/v1/offices', headers: bearer })).statusCode, 403, 'a token has only its scopes');
    await context.users.revokeToken('sec-revoked');
    assert.equal((await app.inject({ url: '/api/v1/movements', headers: bearer })).statusCode, 401, 'a revoked token is refused when replayed');
  });

  it('ends idle and expired sessions, and locks an account after repeated wrong passwords', async () => {
    await context.users.create({ username: 'sec-idle', password: 'correct-horse-1', role: 'auditor' });
    const session = await context.users.login('sec-idle', 'correct-horse-1', '10.0.0.1');
    const cookie = { cookie: `caravan_session=${session.sessionId}` };
    assert.equal((await app.inject({ url: '/api/v1/auth/me', headers: cookie })).statusCode, 200);
    clock.advance((authPolicy.sessionIdleMinutes + 1) * 60_000);
    assert.equal((await app.inject({ url: '/api/v1/auth/me', headers: cookie })).statusCode, 401);

    await context.users.create({ username: 'sec-lock', password: 'correct-horse-2', role: 'auditor' });
    for (let attempt = 0; attempt < authPolicy.lockAfterFailures; attempt++) {
      const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'sec-lock', password: 'wrong-password' } });
      assert.equal(wrong.statusCode, 401);
    }
    const locked = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'sec-lock', password: 'correct-horse-2' } });
    assert.equal(locked.statusCode, 429, 'the right password does not help while the account is locked');
    clock.advance((authPolicy.lockMinutes + 1) * 60_000);
    const afterLock = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'sec-lock', password: 'correct-horse-2' } });
    assert.equal(afterLock.statusCode, 200, afterLock.body);
    assert.match(String(afterLock.headers['set-cookie']), /caravan_session=.*HttpOnly.*SameSite=Strict/i);
  });

  it('refuses privilege escalation through request bodies', async () => {
    const admin = await authHeaders(context, 'admin');
    const me = (await app.inject({ url: '/api/v1/auth/me', headers: admin })).json() as { user: { id: string } };
    const ownChange = await app.inject({ method: 'PATCH', url: `/api/v1/users/${me.user.id}`, headers: admin, payload: { role: 'auditor' } });
    assert.equal(ownChange.statusCode, 403);
    const officer = await authHeaders(context, 'officer', ['KZ000135']);
    const users = await app.inject({ method: 'POST', url: '/api/v1/users', headers: officer, payload: { username: 'sneaky', password: 'long-enough-1', role: 'admin' } });
    assert.equal(users.statusCode, 403);
    const unknownField = await app.inject({ method: 'PATCH', url: `/api/v1/users/${me.user.id}`, headers: admin, payload: { permissions: ['users:admin'] } });
    assert.equal(unknownField.statusCode, 400);
  });

  it("answers an officer asking for another office's movement as if it did not exist", async () => {
    const analyst = await authHeaders(context, 'analyst');
    const created = await app.inject({ method: 'POST', url: '/api/v1/movements', headers: { ...analyst, 'content-type': 'application/json' }, payload: JSON.stringify({ ...exampleDeclaration(), lrn: 'SEC-SCOPE-0001' }) });
    const { id } = created.json() as { id: string };
    const officer = await authHeaders(context, 'officer', ['KZ000135']);
    const hidden = await app.inject({ url: `/api/v1/movements/${id}`, headers: officer });
    assert.equal(hidden.statusCode, 404);
    assert.equal((await app.inject({ url: '/api/v1/movements/NOT-THERE-0001', headers: officer })).json().code, hidden.json().code);
    const list = (await app.inject({ url: '/api/v1/movements?limit=500', headers: officer })).json() as { items: { id: string }[] };
    assert.ok(!list.items.some((movement) => movement.id === id));
    const mine = await authHeaders(context, 'officer', ['KZ000101']);
    assert.equal((await app.inject({ url: `/api/v1/movements/${id}`, headers: mine })).statusCode, 200, 'an officer of the departure office sees it');
  });

  it('chains every write into the audit log, and verification finds a row altered in the database', async () => {
    const check = await context.audit.verify();
    assert.equal(check.ok, true);
    assert.ok(check.records >= 3, `only ${check.records} audit records`);
    const logged = await context.audit.list({ limit: 1000 });
    assert.ok(logged.some((record) => record.action === 'POST /api/v1/movements' && record.actor.startsWith('user:analyst')));
    assert.ok(logged.every((record) => !JSON.stringify(record.details).includes('correct-horse')), 'no password in the audit log');
    const victim = logged[1]!;
    await context.db.run('UPDATE audit_log SET actor = ? WHERE seq = ?', ['user:nobody', victim.seq]);
    const broken = await context.audit.verify();
    assert.equal(broken.ok, false);
    assert.equal(!broken.ok && broken.brokenAt, victim.seq);
  });
});
