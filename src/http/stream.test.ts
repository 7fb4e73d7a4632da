import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { authHeaders } from '../../tests/support/auth.js';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { openSqlite } from '../db/sqlite.js';
import { type AppContext, createAppContext } from '../main.js';
import { ManualClock } from '../shared/clock.js';
import { buildHttpApp } from './app.js';
import { formatEvent, visibleUpdate } from './stream.js';

describe('live stream', () => {
  let context: AppContext;
  let app: FastifyInstance;
  let base: string;
  let officer: Record<string, string>;

  before(async () => {
    const db = openSqlite({ file: ':memory:' });
    await migrate(db);
    context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-24T08:00:00Z') });
    app = await buildHttpApp(context, { logLevel: 'silent', bodyLimitBytes: 256 * 1024 });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    officer = await authHeaders(context, 'officer', ['KZ000101']);
  });
  after(async () => {
    await app.close();
    await context.close();
  });

  it('refuses a caller who has not signed in', async () => {
    assert.equal((await app.inject({ url: '/api/v1/stream' })).statusCode, 401);
  });

  it('sends published updates as server-sent events, scoped to the offices of the caller, and unsubscribes when the client goes', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/api/v1/stream`, { headers: { ...officer, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/event-stream')) {
          reject(new Error(`stream answered ${res.statusCode} ${String(res.headers['content-type'])}`));
          return;
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.includes(': connected') && !body.includes('event:')) {
            context.notifier.publish({ topic: 'movement', id: 'M0', data: { offices: ['KZ000108'], state: 'released' } });
            context.notifier.publish({ topic: 'movement', id: 'M9', data: { offices: ['KZ000101'], state: 'released' } });
            context.notifier.publish({ topic: 'position', id: 'M1', data: { lat: 43.2, lon: 76.9 } });
          }
          if (body.includes('event: position')) {
            req.destroy();
            resolve(body);
          }
        });
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      req.end();
    });
    assert.doesNotMatch(received, /M0/);
    assert.match(received, /event: movement\nid: M9\ndata: \{"id":"M9","offices":\["KZ000101"\],"state":"released"\}\n\n/);
    assert.match(received, /event: position\nid: M1\ndata: \{"id":"M1"\}\n\n/);
    for (let i = 0; i < 50 && context.notifier['emitter'].listenerCount('update') > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(context.notifier['emitter'].listenerCount('update'), 0);
  });

  it('passes every update to a caller who sees all offices and keeps the rest apart', () => {
    const update = { topic: 'movement' as const, id: 'M2', data: { offices: ['KZ000101', 'KG000902'], state: 'released' } };
    assert.deepEqual(visibleUpdate(update, 'all'), update);
    assert.deepEqual(visibleUpdate(update, ['KZ000101']), update);
    assert.equal(visibleUpdate(update, ['KZ000108']), null);
    assert.deepEqual(visibleUpdate({ topic: 'position', id: 'M3', data: { lat: 1, lon: 2 } }, ['KZ000108']), { topic: 'position', id: 'M3', data: {} });
    assert.equal(formatEvent({ topic: 'alert', id: 'A1', data: {} }), 'event: alert\nid: A1\ndata: {"id":"A1"}\n\n');
  });
});
