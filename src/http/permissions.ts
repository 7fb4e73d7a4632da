import type { FastifyInstance } from 'fastify';

/**
 * What a route needs from its caller. Roles grant sets of these and integration tokens carry them as
 * scopes; a route names exactly one, so "who may call this" is readable at the route itself.
 */
export const PERMISSIONS = [
  'offices:read',
  'offices:write',
  'movements:read',
  'declarations:write',
  'events:write',
  'telemetry:write',
  'tracking:read',
  'goods:read',
  'control-lists:write',
  'screening:read',
  'screening:review',
  'lists:write',
  'alerts:read',
  'alerts:write',
  'cases:read',
  'cases:write',
  'cases:decide',
  'rules:write',
  'users:admin',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Routes anyone may call: logging in, the health probe, the API description, the UI's static files. */
export const PUBLIC = 'public' as const;

export interface ApiRoute {
  method: string;
  url: string;
  permission: Permission | typeof PUBLIC;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission | typeof PUBLIC;
  }
  interface FastifyInstance {
    /** Every API route with the permission it declared, for the role-walk test and the docs. */
    apiRoutes: ApiRoute[];
  }
}

/** Refuses to start a server with an API route that does not say who may call it. */
export const requireDeclaredPermissions = (app: FastifyInstance, apiPrefix: string): void => {
  const routes: ApiRoute[] = [];
  app.decorate('apiRoutes', routes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(apiPrefix)) return;
    const permission = (route.config as { permission?: Permission | typeof PUBLIC } | undefined)?.permission;
    if (!permission) throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.permission`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, permission });
  });
};
