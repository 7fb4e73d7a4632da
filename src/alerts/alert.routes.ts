import { z } from 'zod';
import { parseBody } from '../http/request-body.js';
import { principalOf } from '../http/auth.js';
import type { Api } from '../http/route-types.js';
import type { AppContext } from '../main.js';
import { DomainError, validationError } from '../shared/errors.js';
import { actorOf, scopeOf } from '../users/principal.js';
import { ALERT_SEVERITIES, ALERT_STATUSES } from './alert.js';

const queueQuery = z.object({
  status: z.enum([...ALERT_STATUSES, 'open']).optional().describe('`open` = new or in review'),
  office: z.string().regex(/^[A-Z]{2}\d{6}$/, 'must be an office code').optional().describe('Alerts of movements touching this office'),
  type: z.string().max(60).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  corridor: z.string().max(40).optional().describe('Route key `<departure office>><destination country>`, e.g. `KZ000101>RU`'),
  movementId: z.string().max(40).optional(),
  assignee: z.string().max(60).optional(),
  raisedFrom: z.iso.datetime({ offset: true }).optional().describe('Raised at or after'),
  raisedTo: z.iso.datetime({ offset: true }).optional().describe('Raised before'),
  sort: z.enum(['risk', 'age']).default('risk'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const assignBody = z.object({ ids: z.array(z.string()).min(1).max(500), assignee: z.string().max(60).nullable() });
const statusBody = z.object({ status: z.enum(ALERT_STATUSES), outcome: z.string().max(200).optional() });

export const registerAlertRoutes = (api: Api, context: AppContext): void => {
  const { alerts, risk, movements, db } = context;

  /** An alert the caller may see: one of another office's movements answers 404. */
  const visibleAlert = async (id: string, scope: ReturnType<typeof scopeOf>) => {
    const alert = await alerts.get(id);
    if (!alert) throw new DomainError('not_found', `Alert ${id} not found`);
    if (alert.movementId) {
      await movements.get(alert.movementId, scope).catch(() => {
        throw new DomainError('not_found', `Alert ${id} not found`);
      });
    }
    return alert;
  };

  api.get(
    '/alerts',
    { config: { permission: 'alerts:read' }, schema: { tags: ['alerts'], summary: 'The alert queue: filtered, sorted by movement risk (or age), by cursor', querystring: queueQuery } },
    async (request) => {
      const { cursor, limit, sort, ...filters } = request.query;
      const scope = scopeOf(principalOf(request));
      return alerts.queue(
        { ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)), ...(scope.offices === 'all' ? {} : { scopeOffices: scope.offices }) },
        { limit, sort, ...(cursor ? { cursor } : {}) },
      );
    },
  );

  api.get(
    '/alerts/:id',
    { config: { permission: 'alerts:read' }, schema: { tags: ['alerts'], summary: 'One alert with its evidence', params: z.object({ id: z.string() }) } },
    async (request) => visibleAlert(request.params.id, scopeOf(principalOf(request))),
  );

  api.post(
    '/alerts/assign',
    { config: { permission: 'alerts:write' }, schema: { tags: ['alerts'], summary: 'Assign alerts in bulk (new ones move to in review)', body: assignBody } },
    async (request) => {
      const { ids, assignee } = parseBody(assignBody, request.body);
      const scope = scopeOf(principalOf(request));
      for (const id of ids) await visibleAlert(id, scope);
      return { assigned: await alerts.assign(ids, assignee) };
    },
  );

  api.patch(
    '/alerts/:id',
    { config: { permission: 'alerts:write' }, schema: { tags: ['alerts'], summary: 'Change an alert’s status; closing needs an outcome', params: z.object({ id: z.string() }), body: statusBody } },
    async (request) => {
      const { status, outcome } = parseBody(statusBody, request.body);
      if (status === 'closed' && !outcome?.trim()) throw validationError('Closing an alert needs an outcome', [{ path: 'outcome', message: 'say why the alert is closed' }]);
      const principal = principalOf(request);
      const alert = await visibleAlert(request.params.id, scopeOf(principal));
      await db.transaction(async (tx) => {
        await alerts.setStatus(tx, [alert.id], status, outcome ?? null);
        await context.audit.record(tx, { actor: actorOf(principal), action: 'alert status', target: alert.id, details: { before: alert.status, after: status, outcome } });
      });
      return alerts.get(alert.id);
    },
  );

  api.get(
    '/movements/:reference/risk',
    { config: { permission: 'alerts:read' }, schema: { tags: ['alerts'], summary: "A movement's risk score, outcome and each open alert's contribution", params: z.object({ reference: z.string().max(40) }) } },
    async (request) => {
      const { movement } = await movements.get(request.params.reference, scopeOf(principalOf(request)));
      return risk.forMovement(movement.id);
    },
  );

  api.get(
    '/risk/rules',
    { config: { permission: 'alerts:read' }, schema: { tags: ['alerts'], summary: 'The risk weights and thresholds in force, with their version' } },
    async () => risk.rules(),
  );

  api.put(
    '/risk/rules',
    { config: { permission: 'rules:write' }, schema: { tags: ['alerts'], summary: 'Publish new weights and thresholds as a new version' } },
    async (request, reply) => {
      const body = request.body as { rules?: unknown } | undefined;
      const rules = body && typeof body === 'object' && 'rules' in body ? body.rules : body;
      return reply.status(201).send(await risk.setRules(rules, actorOf(principalOf(request))));
    },
  );
};
