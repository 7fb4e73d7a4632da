import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build:web` writes the production build of the UI. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

const NOT_BUILT = 'The web UI is not built. Run `npm run build:web` (npm start does it for you) and reload.';

/**
 * Serves the UI from the API's own origin, so the session cookie and CSRF header need no CORS. Files
 * under /assets carry a content hash in their names and are cached for good; every other path that is
 * not an API call gets index.html, and the client-side router takes it from there.
 */
export const registerStaticUi = async (app: FastifyInstance, apiPrefix: string, root: string = DEFAULT_WEB_ROOT): Promise<void> => {
  const built = existsSync(path.join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      setHeaders: (res, filePath) => {
        res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.get('/*', { schema: { hide: true }, config: { permission: 'public' } }, async (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || url.startsWith(`${apiPrefix}/`) || path.extname(url) !== '') return reply.callNotFound();
    if (!built) return reply.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
};
