import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { withoutSecrets } from '../audit/audit.js';
import type { AppContext } from '../main.js';
import type { MovementDetail } from '../movements/movement.service.js';
import { DomainError } from '../shared/errors.js';
import { actorOf, type Principal, ROLES, scopeOf } from '../users/principal.js';
import { sameSecret } from '../users/user.service.js';
import { PERMISSIONS, PUBLIC } from './permissions.js';
import type { Api } from './route-types.js';
import { parseBody } from './request-body.js';

export const SESSION_COOKIE = 'caravan_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** Set when the caller authenticated with the session cookie (the UI), not a bearer token. */
    sessionCsrf?: string;
  }
}

const unauthenticated = () => new DomainError('unauthenticated', 'Sign in, or send an API token as `Authorization: Bearer <token>`');

/** The caller of a request that the route's permission check already let through. */
export const principalOf = (request: FastifyRequest): Principal => {
  if (!request.principal) throw unauthenticated();
  return request.principal;
};

/** A movement the caller may see; one outside an officer's offices answers 404 as if it did not exist. */
export const assertMovementVisible = (context: AppContext, principal: Principal, reference: string): Promise<MovementDetail> =>
  context.movements.get(reference, scopeOf(principal));

const targetOf = (request: FastifyRequest): string | null => {
  const params = request.params as Record<string, string> | undefined;
  const value = params && (params.reference ?? params.id ?? params.code ?? params.source ?? Object.values(params)[0]);
  return value ?? null;
};

/**
 * Authentication and authorisation for every route: who is calling (bearer token or session cookie),
 * whether the route's declared permission is theirs, and the CSRF token for cookie-authenticated writes.
 * Every successful write is appended to the audit log.
 */
export const registerAuth = async (app: FastifyInstance, context: AppContext): Promise<void> => {
  await app.register(cookie);

  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const [scheme, token] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw new DomainError('unauthenticated', 'The Authorization header must be `Bearer <token>`');
      const principal = await context.users.resolveToken(token);
      if (!principal) throw new DomainError('unauthenticated', 'The API token is unknown, revoked or expired');
      request.principal = principal;
    } else {
      const sessionId = request.cookies[SESSION_COOKIE];
      const session = sessionId ? await context.users.resolveSession(sessionId) : undefined;
      if (session) {
        request.principal = session.principal;
        request.sessionCsrf = session.csrfToken;
      }
    }
    if (permission === undefined || permission === PUBLIC) return;
    if (!request.principal) throw unauthenticated();
    if (!request.principal.permissions.has(permission)) {
      throw new DomainError('forbidden', `Your role (${request.principal.role}) does not have the ${permission} permission`);
    }
    if (request.sessionCsrf !== undefined && UNSAFE.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameSecret(header, request.sessionCsrf)) {
        throw new DomainError('forbidden', 'Missing or wrong x-csrf-token header for a change made with a session cookie');
      }
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!UNSAFE.has(request.method) || reply.statusCode >= 400 || !request.principal) return;
    const route = request.routeOptions.url ?? request.url;
    await context.audit
      .recordNow({
        actor: actorOf(request.principal),
        action: `${request.method} ${route}`,
        target: targetOf(request),
        details: { status: reply.statusCode, requestId: request.id, params: request.params ?? {}, body: withoutSecrets(request.body) },
      })
      .catch((error: unknown) => request.log.error({ err: error }, 'audit record failed'));
  });
};

const loginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });
const userBody = z.object({
  username: z.string(),
  password: z.string(),
  role: z.enum(ROLES),
  offices: z.array(z.string()).or(z.literal('all')).optional(),
});
const userChangeBody = z.object({
  role: z.enum(ROLES).optional(),
  offices: z.array(z.string()).or(z.literal('all')).optional(),
  disabled: z.boolean().optional(),
  password: z.string().optional(),
}).strict();
const tokenBody = z.object({
  name: z.string(),
  scopes: z.array(z.enum(PERMISSIONS)),
  offices: z.array(z.string()).or(z.literal('all')).optional(),
  expiresInDays: z.number().int().positive().optional(),
});

export const registerAuthRoutes = (api: Api, context: AppContext): void => {
  const { users, audit } = context;
  const sessionAnswer = (principal: Principal, csrfToken: string | null) => ({
    user: { id: principal.id, username: principal.username, role: principal.role, offices: principal.offices },
    csrfToken,
  });

  api.post(
    '/auth/login',
    { config: { permission: PUBLIC }, schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie and returns the CSRF token for changes', body: loginBody } },
    async (request, reply) => {
      const { username, password } = parseBody(loginBody, request.body);
      try {
        const session = await users.login(username, password, request.ip);
        await audit.recordNow({ actor: `user:${session.user.username}`, action: 'login', target: session.user.id, details: { ip: request.ip } });
        void reply.setCookie(SESSION_COOKIE, session.sessionId, {
          httpOnly: true,
          sameSite: 'strict',
          path: '/',
          secure: request.protocol === 'https',
        });
        return { user: { id: session.user.id, username: session.user.username, role: session.user.role, offices: session.user.offices }, csrfToken: session.csrfToken };
      } catch (error) {
        if (error instanceof DomainError) await audit.recordNow({ actor: `anonymous:${request.ip}`, action: 'login_failed', target: username, details: { reason: error.code } });
        throw error;
      }
    },
  );

  api.get(
    '/auth/me',
    { config: { permission: PUBLIC }, schema: { tags: ['auth'], summary: 'Who is signed in (401 when nobody)' } },
    async (request) => sessionAnswer(principalOf(request), request.sessionCsrf ?? null),
  );

  api.post(
    '/auth/logout',
    { config: { permission: PUBLIC }, schema: { tags: ['auth'], summary: 'End the session and clear its cookie' } },
    async (request, reply) => {
      const sessionId = request.cookies[SESSION_COOKIE];
      if (sessionId) await users.logout(sessionId);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  api.get('/users', { config: { permission: 'users:admin' }, schema: { tags: ['auth'], summary: 'Users and their roles' } }, async () => ({ items: await users.list() }));

  api.post(
    '/users',
    { config: { permission: 'users:admin' }, schema: { tags: ['auth'], summary: 'Create a user', body: userBody } },
    async (request, reply) => {
      const input = parseBody(userBody, request.body);
      return reply.status(201).send(await users.create({ ...input, ...(input.offices !== undefined ? { offices: input.offices } : {}) }));
    },
  );

  api.patch(
    '/users/:id',
    { config: { permission: 'users:admin' }, schema: { tags: ['auth'], summary: 'Change a user’s role, offices, access or password (never your own rights)', params: z.object({ id: z.string() }), body: userChangeBody } },
    async (request) => {
      const change = parseBody(userChangeBody, request.body);
      const { after } = await users.change(
        request.params.id,
        Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)),
        principalOf(request),
      );
      return after;
    },
  );

  api.get('/tokens', { config: { permission: 'users:admin' }, schema: { tags: ['auth'], summary: 'Machine tokens (never their secrets)' } }, async () => ({ items: await users.tokens() }));

  api.post(
    '/tokens',
    { config: { permission: 'users:admin' }, schema: { tags: ['auth'], summary: 'Issue a machine token; the secret is shown in this answer only', body: tokenBody } },
    async (request, reply) => {
      const input = parseBody(tokenBody, request.body);
      const issued = await users.createToken(
        { name: input.name, scopes: input.scopes, ...(input.offices !== undefined ? { offices: input.offices } : {}), ...(input.expiresInDays ? { expiresInDays: input.expiresInDays } : {}) },
        actorOf(principalOf(request)),
      );
      return reply.status(201).send({ ...issued.record, token: issued.token });
    },
  );

  api.delete(
    '/tokens/:id',
    { config: { permission: 'users:admin' }, schema: { tags: ['auth'], summary: 'Revoke a machine token', params: z.object({ id: z.string() }) } },
    async (request) => users.revokeToken(request.params.id),
  );

  api.get(
    '/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['auth'],
        summary: 'The audit log, oldest first, from a sequence number',
        querystring: z.object({
          afterSeq: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          actor: z.string().optional(),
          target: z.string().optional(),
        }),
      },
    },
    async (request) => {
      const { afterSeq, limit, actor, target } = request.query;
      const items = await audit.list({ afterSeq, limit, ...(actor ? { actor } : {}), ...(target ? { target } : {}) });
      return { items, nextAfterSeq: items.length === limit ? items.at(-1)!.seq : null };
    },
  );

  api.get(
    '/audit/verify',
    { config: { permission: 'audit:read' }, schema: { tags: ['auth'], summary: 'Re-compute the hash chain; names the first broken record' } },
    async () => audit.verify(),
  );
};
