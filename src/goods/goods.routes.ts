import { z } from 'zod';
import { principalOf } from '../http/auth.js';
import { parseBody } from '../http/request-body.js';
import type { Api } from '../http/route-types.js';
import type { AppContext } from '../main.js';
import type { GoodsItem } from '../movements/declaration.js';
import { DomainError, validationError } from '../shared/errors.js';
import { actorOf, scopeOf } from '../users/principal.js';
import { parseControlListCsv } from './control-list.js';
import { consignmentMassHint } from './goods-check.js';

const checkBody = z.object({
  items: z.array(z.object({ hsCode: z.string(), description: z.string(), grossMass: z.number(), netMass: z.number().optional(), value: z.object({ amount: z.number(), currency: z.string() }).optional() })).min(1).max(999),
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
  date: z.iso.date().optional(),
});

export const registerGoodsRoutes = (api: Api, context: AppContext): void => {
  const { goods, nomenclature, movements } = context;

  api.get(
    '/goods/hs/:code',
    { config: { permission: 'goods:read' }, schema: { tags: ['goods'], summary: 'One HS code (chapter, heading or subheading; national codes map to their HS-6), with its control-list entries', params: z.object({ code: z.string().max(14) }) } },
    async (request) => {
      const code = request.params.code.replace(/[\s.]/g, '');
      const entry = nomenclature.get(code) ?? (code.length > 6 ? nomenclature.get(code.slice(0, 6)) : undefined);
      if (!entry) {
        const checked = nomenclature.check(code);
        throw new DomainError('not_found', `HS code ${code} not found`, checked.ok ? [] : [{ path: 'code', message: checked.reason }]);
      }
      const chain = [];
      for (let current: typeof entry | undefined = entry; current; current = current.parent ? nomenclature.get(current.parent) : undefined) chain.unshift(current);
      return {
        ...entry,
        edition: nomenclature.edition,
        hierarchy: chain.map(({ code: ancestor, description }) => ({ code: ancestor, description })),
        controls: goods.controlsFor(code),
      };
    },
  );

  api.get(
    '/goods/hs',
    {
      config: { permission: 'goods:read' },
      schema: { tags: ['goods'], summary: 'Suggest HS-6 subheadings for a description, any language, with the words that led there', querystring: z.object({ q: z.string().trim().min(2).max(500), limit: z.coerce.number().int().min(1).max(20).default(5) }) },
    },
    async (request) => ({ items: goods.classifier.classify(request.query.q, request.query.limit) }),
  );

  api.post(
    '/goods/check',
    { config: { permission: 'goods:read' }, schema: { tags: ['goods'], summary: 'Check goods items against the control lists for a route (nothing is stored)', body: checkBody } },
    async (request) => {
      const body = parseBody(checkBody, request.body, 'The check request is invalid');
      const issues = body.items.flatMap((item, index) => {
        const checked = nomenclature.check(item.hsCode);
        return checked.ok ? [] : [{ path: `items/${index}/hsCode`, message: checked.reason }];
      });
      if (issues.length > 0) throw validationError('Some HS codes are invalid', issues);
      const items: GoodsItem[] = body.items.map((item, index) => ({ itemNumber: index + 1, ...item }) as GoodsItem);
      return { items: await goods.check(items, { date: body.date ?? new Date().toISOString().slice(0, 10), countries: body.countries }) };
    },
  );

  api.get(
    '/movements/:reference/goods',
    { config: { permission: 'goods:read' }, schema: { tags: ['goods'], summary: 'The stored goods-control results of a movement, item by item (pending while its check is queued)', params: z.object({ reference: z.string().max(40) }) } },
    async (request) => {
      const { movement } = await movements.get(request.params.reference, scopeOf(principalOf(request)));
      const route = goods.routeOf(movement.declaration, movement.declaredAt.slice(0, 10));
      const consignment = consignmentMassHint(movement.declaration);
      return { route, pending: await goods.isPending(movement.id), consignment: { hints: consignment ? [consignment] : [] }, items: await goods.forMovement(movement.id) };
    },
  );

  api.get('/control-lists', { config: { permission: 'goods:read' }, schema: { tags: ['goods'], summary: 'Every version of every control list, newest first' } }, async () => ({ items: await goods.versions() }));

  api.get(
    '/control-lists/:listId/diff',
    {
      config: { permission: 'goods:read' },
      schema: { tags: ['goods'], summary: 'What changed between two versions (default: the last update)', params: z.object({ listId: z.string().max(60) }), querystring: z.object({ from: z.coerce.number().int().min(0).optional(), to: z.coerce.number().int().min(1).optional() }) },
    },
    async (request) => goods.diff(request.params.listId, request.query.from, request.query.to),
  );

  api.post(
    '/control-lists/:listId',
    {
      config: { permission: 'control-lists:write' },
      schema: {
        tags: ['goods'],
        summary: 'Import a new version of a control list from the documented CSV (text/csv body)',
        params: z.object({ listId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'lower-case letters, digits and dashes') }),
        querystring: z.object({ name: z.string().min(1).max(200) }),
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string') throw validationError('Send the list as CSV', [{ path: '', message: 'use Content-Type: text/csv' }]);
      const result = await goods.importList(parseControlListCsv(request.body, request.params.listId, request.query.name, 'uploaded'), actorOf(principalOf(request)));
      return reply.status(result.unchanged ? 200 : 201).send(result);
    },
  );
};
