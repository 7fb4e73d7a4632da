import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerStaticUi } from './static.js';

describe('UI served by the API server', () => {
  let dir: string;
  let app: FastifyInstance;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'caravan-ui-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    app = Fastify();
    app.get('/api/v1/things', async () => ({ ok: true }));
    await registerStaticUi(app, '/api/v1', dir);
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the UI at / and at any client-side route, never cached', async () => {
    for (const url of ['/', '/map', '/movements/01JD0000000000000000000001?alert=x']) {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, 200, url);
      assert.match(response.headers['content-type'] as string, /text\/html/);
      assert.equal(response.headers['cache-control'], 'no-cache');
      assert.match(response.body, /id="root"/);
    }
  });

  it('serves hashed assets for good and leaves API paths and missing files to the 404 handler', async () => {
    const asset = await app.inject({ url: '/assets/app-1234.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(asset.headers['cache-control'] as string, /immutable/);
    assert.equal((await app.inject({ url: '/api/v1/things' })).statusCode, 200);
    assert.equal((await app.inject({ url: '/api/v1/nothing-here' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/assets/missing.js' })).statusCode, 404);
  });

  it('says how to build the UI when it has not been built', async () => {
    const bare = Fastify();
    await registerStaticUi(bare, '/api/v1', path.join(dir, 'nowhere'));
    const response = await bare.inject({ url: '/map' });
    assert.equal(response.statusCode, 503);
    assert.match(response.body, /npm run build:web/);
    await bare.close();
  });
});
