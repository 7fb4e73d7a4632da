import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerAlertRoutes } from '../alerts/alert.routes.js';
import { registerCaseRoutes } from '../cases/case.routes.js';
import { registerGoodsRoutes } from '../goods/goods.routes.js';
import { registerScreeningRoutes } from '../screening/screening.routes.js';
import type { AppContext } from '../main.js';
import { registerMovementRoutes } from '../movements/movement.routes.js';
import { registerOfficeRoutes } from '../offices/office.routes.js';
import { DomainError } from '../shared/errors.js';
import { registerTrackingRoutes } from '../tracking/tracking.routes.js';
import { registerAuth, registerAuthRoutes } from './auth.js';
import { registerBodyParsers } from './body-parsers.js';
import { registerDashboardRoutes } from './dashboard.js';
import { registerMapDataRoutes } from './map-data.js';
import { requireDeclaredPermissions } from './permissions.js';
import { sendProblem, toProblem } from './problem.js';
import { registerStaticUi } from './static.js';
import { registerStreamRoutes } from './stream.js';

export interface HttpOptions {
  logLevel: AppContext['config']['logLevel'];
  bodyLimitBytes: number;
}

export const API_PREFIX = '/api/v1';

/**
 * Query strings and path parameters are validated by their zod schemas; bodies are validated by the
 * domain (the same rules the CLI and bulk imports use), so their schemas here only document them.
 */
const documentBodiesValidateTheRest: typeof validatorCompiler = (route) =>
  route.httpPart === 'body' ? (data) => ({ value: data }) : validatorCompiler(route);

const notFoundDetail = (method: string, path: string): string =>
  path.startsWith('/api/') ? `There is no ${method} ${path}: the API's routes are listed at /api/docs` : `There is no page or file at ${path}`;

export const buildHttpApp = async (context: AppContext, options: HttpOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes,
    logger: {
      level: options.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'], censor: '[redacted]' },
    },
    genReqId: () => context.ids.next(),
  });
  app.setValidatorCompiler(documentBodiesValidateTheRest);
  app.setSerializerCompiler(serializerCompiler);
  registerBodyParsers(app);
  requireDeclaredPermissions(app, API_PREFIX);
  await registerAuth(app, context);

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error, request);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, toProblem(new DomainError('not_found', notFoundDetail(request.method, request.url.split('?')[0]!)), request)),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Caravan API',
        version: '1',
        description:
          'Transit movements, lifecycle events, offices. Errors are RFC 9457 problem+json with an `errors` list naming each bad field.',
      },
      tags: [
        { name: 'movements', description: 'Transit declarations and their lifecycle' },
        { name: 'auth', description: 'Sign-in, users, machine tokens and the audit log' },
        { name: 'offices', description: 'Customs offices and border crossings' },
        { name: 'alerts', description: 'The alert queue and movement risk' },
        { name: 'cases', description: 'Cases and decisions' },
        { name: 'goods', description: 'HS nomenclature, control lists, goods checks' },
        { name: 'screening', description: 'Sanctions lists, party screening with explanations, false positives' },
        { name: 'tracking', description: 'E-seal telemetry, tracks and live positions' },
        { name: 'live', description: 'Server-sent events for the live views' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  await app.register(
    async (api) => {
      registerAuthRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerOfficeRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerAlertRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerCaseRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerGoodsRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerScreeningRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerMovementRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerTrackingRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerStreamRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerMapDataRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
      registerDashboardRoutes(api.withTypeProvider<ZodTypeProvider>(), context);
    },
    { prefix: API_PREFIX },
  );
  await registerStaticUi(app, API_PREFIX);
  return app;
};
