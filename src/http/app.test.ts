import assert from 'node:assert/strict';
import { authHeaders, injectWith } from '../../tests/support/auth.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { contractsDir, exampleDeclaration, exampleEvents, referenceDir } from '../../tests/support/movement-fixtures.js';
import { loadConfig } from '../config.js';
import { openSqlite } from '../db/sqlite.js';
import { migrate } from '../db/migrate.js';
import { type AppContext, createAppContext } from '../main.js';
import { formatMrn } from '../movements/mrn.js';
import { ManualClock } from '../shared/clock.js';
import { buildHttpApp } from './app.js';

describe('HTTP API', () => {
  let context: AppContext;
  let app: FastifyInstance;
  let inject: ReturnType<typeof injectWith>;

  before(async () => {
    const db = openSqlite({ file: ':memory:' });
    await migrate(db);
    context = await createAppContext(loadConfig(), { db, clock: new ManualClock('2026-11-24T08:00:00Z') });
    app = await buildHttpApp(context, { logLevel: 'silent', bodyLimitBytes: 256 * 1024 });
    inject = injectWith(app, await authHeaders(context, 'admin'));
  });
  after(async () => {
    await app.close();
    await context.close();
  });

  const post = (url: string, payload: string | object, contentType = 'application/json') =>
    inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': contentType } });

  it('declares the contract example and walks it through its events to discharge', async () => {
    const created = await post('/api/v1/movements', readFileSync(path.join(contractsDir, 'declaration.example.json'), 'utf8'));
    assert.equal(created.statusCode, 201, created.body);
    const movement = created.json() as { id: string };
    assert.equal(created.headers.location, `/api/v1/movements/${movement.id}`);
    for (const event of exampleEvents()) {
      const response = await post('/api/v1/events', event);
      assert.equal(response.statusCode, 201, response.body);
    }
    const detail = (await inject(`/api/v1/movements/${movement.id}`)).json() as { movement: { state: string; mrn: string }; events: unknown[] };
    assert.equal(detail.movement.state, 'discharged');
    assert.equal(detail.events.length, 7);
    const byMrn = await inject(`/api/v1/movements/${detail.movement.mrn}`);
    assert.equal(byMrn.statusCode, 200);
    const resend = await post('/api/v1/events', exampleEvents()[0]!);
    assert.equal(resend.statusCode, 200);
    assert.equal((resend.json() as { duplicate: boolean }).duplicate, true);
  });

  it('answers a refused event with 409 problem+json carrying the reason', async () => {
    const response = await post('/api/v1/events', { id: 'late-exit', lrn: 'CARAVAN-DEMO-000001', type: 'released', time: '2026-11-27T00:00:00Z', office: 'KZ000101' });
    assert.equal(response.statusCode, 409);
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.match((response.json() as { detail: string }).detail, /released does not fit a movement that is discharged/);
  });

  it('declares an IE015 XML message and keeps the original', async () => {
    const xml = readFileSync(path.join(contractsDir, 'ie015.example.xml'), 'utf8');
    const created = await post('/api/v1/movements/ie015', xml, 'application/xml');
    assert.equal(created.statusCode, 201, created.body);
    const movement = created.json() as { id: string; declaration: { officesOfTransit: string[]; goodsItems: { hsCode: string }[]; countriesOfRouting: string[] } };
    assert.deepEqual(movement.declaration.officesOfTransit, ['KZ000204', 'KZ000203']);
    assert.deepEqual(movement.declaration.countriesOfRouting, ['RU', 'KZ', 'KG']);
    assert.deepEqual(movement.declaration.goodsItems.map((item) => item.hsCode), ['848210', '854370']);
    const original = await inject(`/api/v1/movements/${movement.id}/original`);
    assert.equal(original.body, xml);
    assert.match(String(original.headers['content-type']), /application\/xml/);
  });

  it('maps HMRC’s IE015 sample and names what does not fit this deployment', async () => {
    const xml = readFileSync(path.join(referenceDir, 'ncts', 'fixtures', 'ie015_normal_departure_2house_hmrc_dngb12.xml'), 'utf8');
    const response = await post('/api/v1/movements/ie015', xml, 'application/xml');
    assert.equal(response.statusCode, 400);
    const paths = (response.json() as { errors: { path: string }[] }).errors.map((error) => error.path);
    assert.deepEqual(paths, ['lrn']);
  });

  it('refuses XML with entity declarations and malformed XML', async () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><CC015C>&b;</CC015C>';
    const refused = await post('/api/v1/movements/ie015', bomb, 'application/xml');
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /DOCTYPE or ENTITY/);
    const external = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><CC015C>&x;</CC015C>';
    assert.equal((await post('/api/v1/movements/ie015', external, 'application/xml')).statusCode, 400);
    const broken = await post('/api/v1/movements/ie015', '<CC015C><TransitOperation></CC015C>', 'application/xml');
    assert.equal(broken.statusCode, 400);
    assert.match((broken.json() as { errors: { path: string }[] }).errors[0]!.path, /^line 1/);
  });

  it('reports each bad line of a bulk NDJSON body and stores the good ones', async () => {
    const good = { ...exampleDeclaration(), lrn: 'BULK-GOOD-1' };
    const bad = { ...exampleDeclaration(), lrn: 'BULK-BAD-1', goodsItems: [{ hsCode: '85', description: 'x', grossMass: 1 }] };
    const body = [JSON.stringify(good), '{not json', JSON.stringify(bad), ''].join('\n');
    const response = await post('/api/v1/movements/bulk', body, 'application/x-ndjson');
    assert.equal(response.statusCode, 200, response.body);
    const report = response.json() as { accepted: number; rejected: { line: number; issues: { path: string }[] }[] };
    assert.equal(report.accepted, 1);
    assert.deepEqual(report.rejected.map((record) => record.line), [2, 3]);
    assert.equal(report.rejected[1]?.issues[0]?.path, 'goodsItems/0/hsCode');
  });

  it('answers bad input with 4xx problem+json and keeps running', async () => {
    const malformed = await post('/api/v1/movements', '{"lrn": ');
    assert.equal(malformed.statusCode, 400);
    assert.equal((malformed.json() as { code: string }).code, 'validation');
    const wrongTypes = await post('/api/v1/movements', { ...exampleDeclaration(), lrn: 42, limitDate: 'tomorrow' });
    assert.deepEqual((wrongTypes.json() as { errors: { path: string }[] }).errors.map((error) => error.path).sort(), ['limitDate', 'lrn']);
    const oversized = await post('/api/v1/movements', { ...exampleDeclaration(), padding: 'x'.repeat(300 * 1024) });
    assert.equal(oversized.statusCode, 413);
    const unknownMovement = await post('/api/v1/events', { id: 'x-1', mrn: formatMrn(2026, 'KZ000101', 999_999), type: 'released', time: '2026-11-24T08:00:00Z' });
    const mistypedMrn = await post('/api/v1/events', { id: 'x-2', mrn: '26KZ000101999999J3', type: 'released', time: '2026-11-24T08:00:00Z' });
    assert.match((mistypedMrn.json() as { errors: { message: string }[] }).errors[0]!.message, /check character/);
    assert.equal(unknownMovement.statusCode, 404);
    const wrongMedia = await post('/api/v1/movements', 'lrn=1', 'application/x-www-form-urlencoded');
    assert.equal(wrongMedia.statusCode, 415);
    const badQuery = await inject('/api/v1/movements?hs=85x&limit=9999');
    assert.deepEqual((badQuery.json() as { errors: { path: string }[] }).errors.map((error) => error.path), ['querystring/hs', 'querystring/limit']);
    assert.equal((await inject('/healthz')).statusCode, 200);
    const noRoute = await inject('/api/v1/health?verbose=1');
    assert.equal(noRoute.statusCode, 404);
    assert.deepEqual([(noRoute.json() as { code: string }).code, (noRoute.json() as { detail: string }).detail], ['not_found', "There is no GET /api/v1/health: the API's routes are listed at /api/docs"]);
  });

  it('lists with filters and changes offices through the API', async () => {
    const list = (await inject('/api/v1/movements?state=discharged&office=KZ000108')).json() as { items: { lrn: string }[] };
    assert.deepEqual(list.items.map((movement) => movement.lrn), ['CARAVAN-DEMO-000001']);
    const created = await post('/api/v1/offices', { code: 'KZ000999', name: 'Test post', role: 'inland', country: 'KZ', latitude: 43.2, longitude: 76.9 });
    assert.equal(created.statusCode, 201, created.body);
    const changed = await inject({ method: 'PUT', url: '/api/v1/offices/KZ000999', payload: { name: 'Renamed post', role: 'inland', country: 'KZ', latitude: 91, longitude: 76.9 } });
    assert.equal(changed.statusCode, 400);
    assert.equal((changed.json() as { errors: { path: string }[] }).errors[0]?.path, 'latitude');
    assert.equal((await post('/api/v1/offices', { code: 'KZ000999', name: 'Again', role: 'inland', country: 'KZ' })).statusCode, 409);
  });

  it('publishes the OpenAPI document and the docs page', async () => {
    const document = (await inject('/api/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const route of ['/api/v1/movements', '/api/v1/movements/ie015', '/api/v1/events', '/api/v1/offices/{code}']) {
      assert.ok(route in document.paths, route);
    }
    const docs = await inject('/api/docs/');
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });
});
