import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { principalOf } from '../http/auth.js';
import { parseBody } from '../http/request-body.js';
import type { Api } from '../http/route-types.js';
import type { AppContext } from '../main.js';
import { DomainError, validationError } from '../shared/errors.js';
import { actorOf, scopeOf } from '../users/principal.js';
import { LIST_FORMATS } from './list-files.js';
import { MAX_NAME_LENGTH } from './screening.service.js';

/** List files are large (the OFAC SDN CSV is several megabytes; gzip of the OpenSanctions set more). */
const LIST_UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024;
const MAX_BATCH = 1000;

const schemaField = z.enum(['Person', 'Organization', 'Vessel', 'Aircraft', 'Any']);
const partyShape = {
  id: z.string().max(100).optional(),
  name: z.string(),
  schema: schemaField.optional(),
  birthDate: z.string().max(10).optional(),
  country: z.string().max(3).optional(),
  identifiers: z.array(z.object({ type: z.string().max(40).default('id'), value: z.string().min(1).max(100) })).max(20).optional(),
};
const options = {
  threshold: z.coerce.number().min(0).max(1).optional(),
  limit: z.coerce.number().int().min(1).max(50).optional(),
};
const searchBody = z.object({ ...partyShape, ...options });
const searchQuery = z.object({
  name: z.string(),
  schema: schemaField.optional(),
  country: z.string().max(3).optional(),
  birthDate: z.string().max(10).optional(),
  ...options,
});
const batchBody = z.object({ parties: z.array(z.unknown()).min(1).max(MAX_BATCH), ...options });
const compareBody = z.object({ a: z.string(), b: z.string(), schema: z.enum(['Person', 'Organization', 'Any']).default('Any'), threshold: options.threshold });
const falsePositiveBody = z.object({
  name: z.string().min(1).max(MAX_NAME_LENGTH),
  partyId: z.string().max(100).optional(),
  entityId: z.string().min(1).max(200),
  reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(2000),
});

const searchOptions = (input: { threshold?: number | undefined; limit?: number | undefined }) => ({
  ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
  ...(input.limit !== undefined ? { limit: input.limit } : {}),
});

const withoutOptions = <T extends { threshold?: unknown; limit?: unknown }>(input: T) => {
  const { threshold: _threshold, limit: _limit, ...party } = input;
  return party;
};

export const registerScreeningRoutes = (api: Api, context: AppContext): void => {
  const { screening, partyScreening, movements } = context;

  api.get(
    '/screening/search',
    {
      config: { permission: 'screening:read' },
      schema: { tags: ['screening'], summary: 'Screen one name (any script) against the active lists, as you type', querystring: searchQuery },
    },
    async (request) => ({ items: await screening.screenParty(withoutOptions(request.query), searchOptions(request.query)) }),
  );

  api.post(
    '/screening/search',
    {
      config: { permission: 'screening:read' },
      schema: { tags: ['screening'], summary: 'Screen one party (name, type, birth date, country, identifiers); candidates best first, each explained', body: searchBody },
    },
    async (request) => {
      const body = parseBody(searchBody, request.body, 'The search is invalid');
      return { items: await screening.screenParty(withoutOptions(body), searchOptions(body)) };
    },
  );

  api.post(
    '/screening/batch',
    {
      config: { permission: 'screening:read' },
      schema: { tags: ['screening'], summary: `Screen up to ${MAX_BATCH} parties; a bad party gets its own error and the rest are screened`, body: batchBody },
    },
    async (request) => {
      const body = parseBody(batchBody, request.body, 'The batch is invalid');
      const results = await screening.screenBatch(body.parties, searchOptions(body));
      return {
        results: results.map((result, index) => {
          const party = body.parties[index] as { id?: unknown } | null;
          const id = party && typeof party === 'object' && typeof party.id === 'string' ? party.id : null;
          return result.ok ? { index, id, matches: result.matches } : { index, id, matches: [], error: { message: result.error.message, errors: result.error.issues } };
        }),
      };
    },
  );

  api.post(
    '/screening/compare',
    { config: { permission: 'screening:read' }, schema: { tags: ['screening'], summary: 'Compare two names directly, with the explanation', body: compareBody } },
    async (request) => {
      const body = parseBody(compareBody, request.body, 'The comparison is invalid');
      return screening.compare(body.a, body.b, body.schema, body.threshold);
    },
  );

  api.post(
    '/screening/false-positives',
    {
      config: { permission: 'screening:review' },
      schema: { tags: ['screening'], summary: 'Mark a list entry as a false positive for a party; it stays suppressed until the entry changes', body: falsePositiveBody },
    },
    async (request, reply) => {
      const { name, partyId, entityId, reason } = parseBody(falsePositiveBody, request.body, 'The false-positive mark is invalid');
      await screening.suppress({ party: { name, ...(partyId ? { id: partyId } : {}) }, entityId, reason, by: actorOf(principalOf(request)) });
      return reply.status(201).send({ entityId, party: name, suppressed: true });
    },
  );

  api.get('/screening/lists', { config: { permission: 'screening:read' }, schema: { tags: ['screening'], summary: 'Every imported version of every list, newest first' } }, async () => ({
    items: (await screening.versions()).sort((a, b) => b.importedAt.localeCompare(a.importedAt) || b.version - a.version),
  }));

  api.get(
    '/screening/lists/:versionId/changes',
    {
      config: { permission: 'screening:read' },
      schema: { tags: ['screening'], summary: 'What a version added, removed and changed against the one before it', params: z.object({ versionId: z.string().max(100) }) },
    },
    async (request) => {
      const version = (await screening.versions()).find((candidate) => candidate.id === request.params.versionId || `${candidate.source}@${candidate.version}` === request.params.versionId);
      if (!version) throw new DomainError('not_found', `List version ${request.params.versionId} not found`);
      return { version, items: await screening.changesOf(version.id) };
    },
  );

  api.get(
    '/screening/lists/diff',
    {
      config: { permission: 'screening:read' },
      schema: { tags: ['screening'], summary: 'Entries added, removed and changed between two versions (ids, source@n, or a source name for its active version)', querystring: z.object({ from: z.string().max(100), to: z.string().max(100) }) },
    },
    async (request) => screening.diff(request.query.from, request.query.to),
  );

  api.post(
    '/screening/lists',
    {
      bodyLimit: LIST_UPLOAD_LIMIT_BYTES,
      config: { permission: 'lists:write' },
      schema: {
        tags: ['screening'],
        summary: 'Import one list file as a new version (body: the file; gzip accepted); parties a change could affect are re-screened',
        querystring: z.object({
          filename: z.string().regex(/^[\w.-]{1,120}$/, 'letters, digits, dot, dash and underscore only'),
          format: z.enum(LIST_FORMATS).optional(),
          source: z.string().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'lower-case letters, digits and dashes').optional(),
        }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const bytes = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body, 'utf8') : null;
      if (!bytes || bytes.length === 0) throw validationError('Send the list file as the request body', [{ path: '', message: 'empty or not a file (use text/csv, application/xml, application/x-ndjson or application/gzip)' }]);
      const folder = mkdtempSync(path.join(os.tmpdir(), 'caravan-list-'));
      try {
        const file = path.join(folder, path.basename(request.query.filename));
        writeFileSync(file, bytes);
        const result = await screening.importFiles([file], { ...(request.query.format ? { format: request.query.format } : {}), ...(request.query.source ? { source: request.query.source } : {}) });
        const requeued = await partyScreening.requeueForChanges(result.versions.map(({ version }) => version.id));
        return reply.status(201).send({
          versions: result.versions.map(({ version, changes }) => ({ ...version, changes: changes.length })),
          rejected: result.rejected,
          movementsToRescreen: requeued,
        });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  );

  api.get(
    '/movements/:reference/screening',
    {
      config: { permission: 'screening:read' },
      schema: { tags: ['screening'], summary: 'The screening results of a movement\u2019s parties (pending while queued)', params: z.object({ reference: z.string().max(40) }) },
    },
    async (request) => {
      const { movement } = await movements.get(request.params.reference, scopeOf(principalOf(request)));
      return partyScreening.forMovement(movement.id);
    },
  );
};
