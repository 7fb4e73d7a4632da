import { z } from 'zod';
import { parseNdjson } from '../http/body-parsers.js';
import { principalOf } from '../http/auth.js';
import type { Api } from '../http/route-types.js';
import type { AppContext } from '../main.js';
import { scopeOf } from '../users/principal.js';
import { DomainError } from '../shared/errors.js';
import { declarationSchema, officeCodeSchema } from './declaration.js';
import { parseIe015 } from './ie015.js';
import { officeEventSchema } from './movement-event.js';
import { MOVEMENT_STATES, type MovementState } from './movement.js';
import type { IncomingDeclaration } from './movement.service.js';

const listQuery = z.object({
  state: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      const states = value.split(',').map((state) => state.trim());
      const unknown = states.filter((state) => !(MOVEMENT_STATES as readonly string[]).includes(state));
      if (unknown.length > 0) {
        context.addIssue({ code: 'custom', message: `unknown state ${unknown.join(', ')}; states are ${MOVEMENT_STATES.join(', ')}` });
        return z.NEVER;
      }
      return states as MovementState[];
    })
    .describe('One or more states, comma-separated'),
  office: officeCodeSchema.optional().describe('Movements that touch this office in any role'),
  overdue: z.enum(['true', 'false']).optional().transform((value) => (value === undefined ? undefined : value === 'true')),
  declaredFrom: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Declared at or after (ISO date or date-time)'),
  declaredTo: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Declared before (ISO date or date-time)'),
  party: z.string().trim().min(2).max(200).optional().describe('Whole words of a party name, any script'),
  hs: z.string().regex(/^\d{2,10}$/, 'must be 2 to 10 digits').optional().describe('HS code prefix of any goods item (2, 4, 6, 8 or 10 digits)'),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code').optional().describe('Country of routing'),
  lrn: z.string().trim().min(1).max(22).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const toIso = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString();

const reference = z.object({ reference: z.string().min(1).max(40).describe('Movement id or MRN') });

const bulkRecords = (body: unknown, contentType: string | undefined): { input: unknown; line: number; text: string; error?: string }[] => {
  if (typeof body === 'string') {
    return parseNdjson(body).map((record) =>
      'error' in record ? { input: undefined, line: record.line, text: record.text, error: record.error } : { input: record.value, line: record.line, text: record.text },
    );
  }
  if (Array.isArray(body)) return body.map((input, index) => ({ input, line: index + 1, text: JSON.stringify(input) }));
  throw new DomainError('validation', 'A bulk body is NDJSON (one JSON object per line) or a JSON array', [
    { path: '', message: `got ${contentType ?? 'no content type'} with a ${typeof body} body` },
  ]);
};

export const registerMovementRoutes = (api: Api, { movements }: AppContext): void => {
  const actor = 'api';

  api.post(
    '/movements',
    {
      config: { permission: 'declarations:write' },
      schema: {
        tags: ['movements'],
        summary: 'Declare a transit movement (JSON)',
        description: 'The declaration of contracts/declaration.example.json. Answers 201 with the stored movement in state submitted.',
        body: declarationSchema,
      },
    },
    async (request, reply) => {
      const movement = await movements.declare({ input: request.body, format: 'json', original: request.rawBody ?? JSON.stringify(request.body) }, actor);
      return reply.status(201).header('location', `/api/v1/movements/${movement.id}`).send(movement);
    },
  );

  api.post(
    '/movements/ie015',
    {
      config: { permission: 'declarations:write' },
      schema: {
        tags: ['movements'],
        summary: 'Declare a transit movement (NCTS P5 IE015 XML)',
        description: 'Content-Type application/xml. The message is mapped onto the declaration and kept as the original.',
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string') {
        throw new DomainError('unsupported_media_type', 'Send the IE015 message as application/xml');
      }
      const message = parseIe015(request.body);
      const movement = await movements.declare({ input: message.declaration, format: 'ie015', original: request.body }, actor);
      return reply.status(201).header('location', `/api/v1/movements/${movement.id}`).send(movement);
    },
  );

  api.post(
    '/movements/bulk',
    {
      config: { permission: 'declarations:write' },
      schema: {
        tags: ['movements'],
        summary: 'Declare many movements (NDJSON or a JSON array)',
        description: 'Stores every valid declaration and reports each rejected one with its line and reasons.',
      },
    },
    async (request) => {
      const records = bulkRecords(request.body, request.headers['content-type']);
      const unparsable = records.filter((record) => record.error !== undefined);
      const incoming: IncomingDeclaration[] = records
        .filter((record) => record.error === undefined)
        .map((record) => ({ input: record.input, format: 'json', original: record.text, line: record.line }));
      const report = await movements.declareMany(incoming, actor);
      return {
        received: records.length,
        accepted: report.accepted.length,
        rejected: [
          ...unparsable.map((record) => ({ line: record.line, code: 'validation', message: 'Malformed JSON', issues: [{ path: '', message: record.error! }] })),
          ...report.rejected.map(({ index: _index, ...rest }) => rest),
        ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
        movements: report.accepted.map(({ index: _index, ...rest }) => rest),
      };
    },
  );

  api.get(
    '/movements',
    { config: { permission: 'movements:read' }, schema: { tags: ['movements'], summary: 'List movements with filters, newest first, by cursor', querystring: listQuery } },
    async (request) => {
      const { cursor, limit, declaredFrom, declaredTo, state, ...filters } = request.query;
      const from = toIso(declaredFrom);
      const to = toIso(declaredTo);
      return movements.list(
        {
          ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)),
          ...(state ? { states: state } : {}),
          ...(from ? { declaredFrom: from } : {}),
          ...(to ? { declaredTo: to } : {}),
        },
        { limit, ...(cursor ? { cursor } : {}) },
        scopeOf(principalOf(request)),
      );
    },
  );

  api.get(
    '/movements/:reference',
    { config: { permission: 'movements:read' }, schema: { tags: ['movements'], summary: 'One movement with its whole event history', params: reference } },
    async (request) => movements.get(request.params.reference, scopeOf(principalOf(request))),
  );

  api.get(
    '/movements/:reference/original',
    { config: { permission: 'movements:read' }, schema: { tags: ['movements'], summary: 'The declaration message exactly as received', params: reference } },
    async (request, reply) => {
      const original = await movements.original(request.params.reference, scopeOf(principalOf(request)));
      return reply.type(original.format === 'ie015' ? 'application/xml' : 'application/json').send(original.message);
    },
  );

  const eventBody = officeEventSchema;

  api.post(
    '/events',
    {
      config: { permission: 'events:write' },
      schema: {
        tags: ['movements'],
        summary: 'Record one lifecycle event',
        description:
          'An event of contracts/events.example.ndjson. 201: applied; 200: the same id was already recorded (no-op); 409: refused because it does not fit the movement’s state — the refusal is kept in the history.',
        body: eventBody,
      },
    },
    async (request, reply) => {
      const outcome = await movements.recordEvent(request.body, actor);
      if (outcome.duplicate) return reply.status(200).send(outcome);
      if (outcome.event.outcome === 'refused') {
        throw new DomainError('invalid_transition', outcome.event.refusalReason ?? 'The event does not fit the movement', [
          { path: 'type', message: outcome.event.refusalReason ?? 'does not fit' },
        ], { event: outcome.event });
      }
      return reply.status(201).send(outcome);
    },
  );

  api.post(
    '/events/bulk',
    {
      config: { permission: 'events:write' },
      schema: {
        tags: ['movements'],
        summary: 'Record many lifecycle events (NDJSON or a JSON array)',
        description: 'Reports applied, refused (kept in the history with the reason), duplicate and rejected records.',
      },
    },
    async (request) => {
      const records = bulkRecords(request.body, request.headers['content-type']);
      const unparsable = records.filter((record) => record.error !== undefined);
      const report = await movements.recordEvents(
        records.filter((record) => record.error === undefined).map((record) => ({ input: record.input, line: record.line })),
        actor,
      );
      return {
        received: records.length,
        applied: report.applied,
        duplicates: report.duplicates,
        refused: report.refused.map(({ index: _index, ...rest }) => rest),
        rejected: [
          ...unparsable.map((record) => ({ line: record.line, code: 'validation', message: 'Malformed JSON', issues: [{ path: '', message: record.error! }] })),
          ...report.rejected.map(({ index: _index, ...rest }) => rest),
        ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
      };
    },
  );

  api.get(
    '/movements/:reference/events',
    { config: { permission: 'movements:read' }, schema: { tags: ['movements'], summary: 'The event history of one movement', params: reference } },
    async (request) => ({ items: (await movements.get(request.params.reference, scopeOf(principalOf(request)))).events }),
  );

};
