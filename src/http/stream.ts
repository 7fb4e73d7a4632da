import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api } from './route-types.js';
import type { AppContext } from '../main.js';
import type { LiveUpdate } from '../shared/notifier.js';

/** Proxies and browsers drop an idle connection after about a minute; a comment line keeps it open. */
const HEARTBEAT_MS = 15_000;

interface Scoped {
  principal?: { offices: readonly string[] | 'all' };
}

const officesOf = (update: LiveUpdate): string[] | undefined => {
  const offices = update.data['offices'];
  return Array.isArray(offices) && offices.every((office) => typeof office === 'string') ? offices : undefined;
};

/**
 * What a caller limited to some offices may see of an update. Updates that name their offices are
 * passed on when one matches; the rest are reduced to topic and id, so the client refetches through the
 * API, which answers 404 for movements outside the caller's offices.
 */
export const visibleUpdate = (update: LiveUpdate, scope: readonly string[] | 'all'): LiveUpdate | null => {
  if (scope === 'all') return update;
  const offices = officesOf(update);
  if (offices === undefined) return { topic: update.topic, id: update.id, data: {} };
  return offices.some((office) => scope.includes(office)) ? update : null;
};

export const formatEvent = (update: LiveUpdate): string =>
  `event: ${update.topic}\nid: ${update.id}\ndata: ${JSON.stringify({ id: update.id, ...update.data })}\n\n`;

const stream = (context: AppContext, request: FastifyRequest, reply: FastifyReply): void => {
  const scope = (request as FastifyRequest & Scoped).principal?.offices ?? 'all';
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  out.write('retry: 3000\n: connected\n\n');
  const unsubscribe = context.notifier.subscribe((update) => {
    const visible = visibleUpdate(update, scope);
    if (visible) out.write(formatEvent(visible));
  });
  const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const close = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
    if (!out.writableEnded) out.end();
  };
  request.raw.on('close', close);
  out.on('error', close);
};

export const registerStreamRoutes = (api: Api, context: AppContext): void => {
  api.get(
    '/stream',
    {
      config: { permission: 'movements:read' },
      schema: {
        tags: ['live'],
        summary: 'Live updates as server-sent events',
        description:
          'One event per committed change: `movement`, `alert`, `position` or `case`, with the id and the change as JSON. A comment line every 15 s keeps the connection open.',
      },
    },
    async (request, reply) => stream(context, request, reply),
  );
};
