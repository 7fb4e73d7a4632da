import { z } from 'zod';
import { principalOf } from '../http/auth.js';
import { scopeOf } from '../users/principal.js';
import { parseNdjson } from '../http/body-parsers.js';
import type { Api } from '../http/route-types.js';
import type { AppContext } from '../main.js';
import { DomainError } from '../shared/errors.js';
import type { TelemetryRecord } from './tracking.service.js';

const reference = z.object({ reference: z.string().min(1).max(40).describe('Movement id or MRN') });
const trackQuery = z.object({
  toleranceKm: z.coerce.number().min(0).max(50).default(0.5).describe('Douglas-Peucker tolerance of the thinned track, km'),
});
const deviceParams = z.object({ deviceId: z.string().min(1).max(128) });
const deviceQuery = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(500) });

/** A telemetry body is NDJSON (a line each) or a JSON array; each record keeps the line the report names. */
interface Rejection {
  index: number;
  line: number;
  reasons: { path: string; message: string }[];
}

const telemetryRecords = (body: unknown, contentType: string | undefined): { records: TelemetryRecord[]; positions: number[]; unparsable: Rejection[] } => {
  if (typeof body === 'string') {
    const records: TelemetryRecord[] = [];
    const positions: number[] = [];
    const unparsable: Rejection[] = [];
    parseNdjson(body).forEach((record, index) => {
      if ('error' in record) unparsable.push({ index, line: record.line, reasons: [{ path: '', message: record.error }] });
      else {
        records.push({ input: record.value, line: record.line });
        positions.push(index);
      }
    });
    return { records, positions, unparsable };
  }
  if (Array.isArray(body)) return { records: body.map((input, index) => ({ input, line: index + 1 })), positions: body.map((_, index) => index), unparsable: [] };
  throw new DomainError('validation', 'Telemetry is NDJSON (one message per line) or a JSON array of messages', [
    { path: '', message: `got ${contentType ?? 'no content type'} with a ${typeof body} body` },
  ]);
};

export const registerTrackingRoutes = (api: Api, context: AppContext): void => {
  const { tracking, movements } = context;

  api.post(
    '/telemetry',
    {
      config: { permission: 'telemetry:write' },
      schema: {
        tags: ['tracking'],
        summary: 'Ingest e-seal messages (NDJSON or a JSON array)',
        description:
          'Messages of contracts/telemetry.example.ndjson. Every accepted message is on disk, with the alerts it caused, before the answer. ' +
          'A message already received (same deviceId and messageId) counts as a duplicate; a bad one is rejected with its line and reasons while the rest are kept. ' +
          'Answers {accepted, duplicates, rejected:[{index, line, reasons}]}.',
      },
    },
    async (request) => {
      const { records, positions, unparsable } = telemetryRecords(request.body, request.headers['content-type']);
      const report = await tracking.ingest(records);
      // `index` is the record's position in the body (non-empty lines of NDJSON), `line` its line.
      const rejected = [
        ...unparsable,
        ...report.rejected.map((r) => ({ index: positions[r.index]!, line: r.line ?? positions[r.index]! + 1, reasons: r.reasons })),
      ].sort((a, b) => a.index - b.index);
      return { accepted: report.accepted, duplicates: report.duplicates, rejected };
    },
  );

  api.get(
    '/movements/:reference/track',
    {
      config: { permission: 'tracking:read' },
      schema: {
        tags: ['tracking'],
        summary: "A movement's track, thinned for display",
        description: 'Positions thinned by Douglas-Peucker keeping seal-state changes, EAEU event codes and the ends of stops; the seal events; the bound e-seal devices.',
        params: reference,
        querystring: trackQuery,
      },
    },
    async (request) => {
      const { movement } = await movements.get(request.params.reference, scopeOf(principalOf(request)));
      return tracking.track(movement.id, request.query.toleranceKm);
    },
  );

  api.get(
    '/tracking/positions',
    {
      config: { permission: 'tracking:read' },
      schema: { tags: ['tracking'], summary: 'The latest position of every movement on the road (live map); an officer sees those touching their offices' },
    },
    async (request) => ({ items: tracking.positions(scopeOf(principalOf(request))) }),
  );

  api.get(
    '/tracking/devices/:deviceId/messages',
    {
      config: { permission: 'tracking:read' },
      schema: {
        tags: ['tracking'],
        summary: "A device's latest messages, bound to a movement or not (an officer sees only those of movements touching their offices)",
        params: deviceParams,
        querystring: deviceQuery,
      },
    },
    async (request) => ({ items: await tracking.deviceMessages(request.params.deviceId, request.query.limit, scopeOf(principalOf(request))) }),
  );
};
