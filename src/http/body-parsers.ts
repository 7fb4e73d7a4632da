import type { FastifyInstance } from 'fastify';
import { DomainError } from '../shared/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, kept as the original of a declaration. */
    rawBody?: string;
  }
}

/** One record of an NDJSON body: its 1-based line and the parsed value, or why the line is not JSON. */
export type NdjsonRecord = { line: number; value: unknown; text: string } | { line: number; error: string; text: string };

export const parseNdjson = (text: string): NdjsonRecord[] => {
  const records: NdjsonRecord[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      records.push({ line: index + 1, value: JSON.parse(line) as unknown, text: line });
    } catch (error) {
      records.push({ line: index + 1, error: `not valid JSON: ${(error as Error).message}`, text: line });
    }
  });
  return records;
};

/**
 * JSON keeps its raw text; XML and NDJSON arrive as text for the routes that accept them. A body of a
 * type no route accepts is refused with 415 by Fastify before any handler runs.
 */
export const registerBodyParsers = (app: FastifyInstance): void => {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'application/problem+json'], { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    request.rawBody = text;
    if (text.trim() === '') {
      done(new DomainError('validation', 'The request body is empty', [{ path: '', message: 'a JSON document is required' }]), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new DomainError('validation', 'Malformed JSON', [{ path: '', message: (error as Error).message }]), undefined);
    }
  });
  app.addContentTypeParser(
    ['application/xml', 'text/xml', 'application/x-ndjson', 'application/ndjson', 'text/plain', 'text/csv'],
    { parseAs: 'string' },
    (request, body, done) => {
      request.rawBody = body as string;
      done(null, body);
    },
  );
  // Compressed lists and attached files (PDF, photos) are handed to the route as bytes.
  app.addContentTypeParser(['application/gzip', 'application/octet-stream', 'application/pdf', 'image/jpeg', 'image/png'], { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
};
