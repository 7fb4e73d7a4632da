import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type DomainErrorCode, type FieldIssue, isDomainError } from '../shared/errors.js';

const STATUS: Record<DomainErrorCode, number> = {
  validation: 400,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  invalid_transition: 409,
  ambiguous: 409,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  reference_data_missing: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

const problem = (request: FastifyRequest, status: number, code: string, detail: string, errors?: FieldIssue[], extra: Record<string, unknown> = {}): Problem => ({
  type: `urn:caravan:problem:${code}`,
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  instance: request.url,
  code,
  ...(errors && errors.length > 0 ? { errors } : {}),
  ...extra,
});

/** Maps every failure to RFC 9457 problem+json; internals of unexpected errors never reach the client. */
export const toProblem = (error: unknown, request: FastifyRequest): Problem => {
  if (isDomainError(error)) {
    return problem(request, STATUS[error.code], error.code, error.message, error.issues, error.details);
  }
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const part = fastifyError.validationContext ?? 'request';
    return problem(
      request,
      400,
      'validation',
      `Invalid ${part}`,
      fastifyError.validation.map((issue) => ({
        path: `${part}${issue.instancePath ? issue.instancePath : ''}`,
        message: issue.message ?? 'is invalid',
      })),
    );
  }
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return problem(request, 400, 'validation', 'Malformed JSON', [{ path: '', message: (error as Error).message }]);
  }
  const status = fastifyError.statusCode;
  if (status === 413) return problem(request, 413, 'payload_too_large', 'The request body is larger than this server accepts');
  if (status === 415) {
    return problem(request, 415, 'unsupported_media_type', `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted here`);
  }
  if (status === 429) return problem(request, 429, 'rate_limited', fastifyError.message);
  if (status !== undefined && status >= 400 && status < 500) {
    return problem(request, status, 'bad_request', fastifyError.message);
  }
  return problem(request, 500, 'internal', `Something went wrong on our side; quote request id ${request.id} when reporting it`);
};

export const sendProblem = (reply: FastifyReply, body: Problem): FastifyReply =>
  reply.status(body.status).type('application/problem+json').send(body);
