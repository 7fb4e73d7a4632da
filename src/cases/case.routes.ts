import { z } from 'zod';
import { principalOf } from '../http/auth.js';
import { parseBody } from '../http/request-body.js';
import type { Api } from '../http/route-types.js';
import type { AppContext } from '../main.js';
import { actorOf, scopeOf } from '../users/principal.js';
import { CASE_OUTCOMES, CASE_STATUSES } from './case.js';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from './case-attachments.js';

const openBody = z.object({ movementId: z.string().min(1).max(40), alertIds: z.array(z.string()).max(500).optional() });
const decisionBody = z.object({ outcome: z.enum(CASE_OUTCOMES), reason: z.string().max(5000), version: z.number().int().positive().optional() });
const assignBody = z.object({ assignee: z.string().max(60).nullable() });
const commentBody = z.object({ text: z.string() });
const caseId = z.object({ id: z.string().max(40) });

export const registerCaseRoutes = (api: Api, context: AppContext): void => {
  const { cases } = context;

  api.get(
    '/cases',
    {
      config: { permission: 'cases:read' },
      schema: {
        tags: ['cases'],
        summary: 'Cases, newest first; `overdue=true` for open cases past their deadline',
        querystring: z.object({
          movementId: z.string().max(40).optional(),
          status: z.enum(CASE_STATUSES).optional(),
          assignee: z.string().max(60).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (request) => {
      const { cursor, limit, overdue, movementId, status, assignee } = request.query;
      return cases.list(
        { ...(movementId ? { movementId } : {}), ...(status ? { status } : {}), ...(assignee ? { assignee } : {}), ...(overdue === 'true' ? { overdue: true } : {}) },
        { limit, ...(cursor ? { cursor } : {}) },
        scopeOf(principalOf(request)),
      );
    },
  );

  api.post(
    '/cases',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Open a case on a movement’s alerts (all its open alerts when none are named)', body: openBody } },
    async (request, reply) => {
      const input = parseBody(openBody, request.body);
      const principal = principalOf(request);
      const opened = await cases.open({ movementId: input.movementId, ...(input.alertIds ? { alertIds: input.alertIds } : {}) }, actorOf(principal), scopeOf(principal));
      return reply.status(201).header('location', `/api/v1/cases/${opened.id}`).send(opened);
    },
  );

  api.get(
    '/cases/:id',
    { config: { permission: 'cases:read' }, schema: { tags: ['cases'], summary: 'One case with its comments', params: caseId } },
    async (request) => cases.get(request.params.id, scopeOf(principalOf(request))),
  );

  api.post(
    '/cases/:id/assign',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Assign the case', params: caseId, body: assignBody } },
    async (request) => {
      const principal = principalOf(request);
      return cases.assign(request.params.id, parseBody(assignBody, request.body).assignee, actorOf(principal), scopeOf(principal));
    },
  );

  api.post(
    '/cases/:id/comments',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Comment on the case', params: caseId, body: commentBody } },
    async (request, reply) => {
      const principal = principalOf(request);
      return reply.status(201).send(await cases.comment(request.params.id, parseBody(commentBody, request.body).text, actorOf(principal), scopeOf(principal)));
    },
  );

  api.post(
    '/cases/:id/attachments',
    {
      bodyLimit: MAX_ATTACHMENT_BYTES + 1024,
      config: { permission: 'cases:write' },
      schema: {
        tags: ['cases'],
        summary: `Attach a file to an open case: the body is the file (${ATTACHMENT_TYPES.join(', ')}; up to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB)`,
        params: caseId,
        querystring: z.object({ filename: z.string().min(1).max(200) }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const content = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.alloc(0);
      const attachment = await context.caseAttachments.attach(
        request.params.id,
        { filename: request.query.filename, contentType: request.headers['content-type'] ?? '', content },
        actorOf(principal),
        scopeOf(principal),
      );
      return reply.status(201).send(attachment);
    },
  );

  api.get(
    '/cases/:id/attachments',
    { config: { permission: 'cases:read' }, schema: { tags: ['cases'], summary: 'The files attached to a case (names, types, sizes, SHA-256, who and when)', params: caseId } },
    async (request) => ({ items: await context.caseAttachments.list(request.params.id, scopeOf(principalOf(request))) }),
  );

  api.get(
    '/cases/:id/attachments/:attachmentId',
    {
      config: { permission: 'cases:read' },
      schema: { tags: ['cases'], summary: 'Download one attached file', params: z.object({ id: z.string().max(40), attachmentId: z.string().max(40) }) },
    },
    async (request, reply) => {
      const { attachment, content } = await context.caseAttachments.download(request.params.id, request.params.attachmentId, scopeOf(principalOf(request)));
      // Always a download, never rendered in Caravan's origin: an uploaded file must not run as a page.
      return reply
        .header('content-type', attachment.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(content);
    },
  );

  api.post(
    '/cases/:id/decision',
    {
      config: { permission: 'cases:decide' },
      schema: {
        tags: ['cases'],
        summary: 'Decide the case; the reason is mandatory and the decision has consequences',
        description:
          'hold: the movement is held (exit and discharge refused until released); release: lifts a hold and closes the alerts; seize/refer: close every alert of the movement with that outcome; false_positive: closes the alerts and suppresses screening hits for the party until the list entry changes. Send the case `version` you saw: a concurrent decision answers 409.',
        params: caseId,
        body: decisionBody,
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const principal = principalOf(request);
      return cases.decide(
        request.params.id,
        { outcome: String(body.outcome ?? ''), reason: typeof body.reason === 'string' ? body.reason : '', ...(typeof body.version === 'number' ? { version: body.version } : {}) },
        actorOf(principal),
        scopeOf(principal),
      );
    },
  );
};
