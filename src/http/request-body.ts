import type { z } from 'zod';
import { validationError } from '../shared/errors.js';

/**
 * Checks a request body against its schema. Fastify does not validate bodies (app.ts), so every route does
 * it here, and every bad field is named the same way: its path and the problem.
 */
export const parseBody = <T extends z.ZodType>(schema: T, body: unknown, message = 'The request body is invalid'): z.infer<T> => {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw validationError(message, parsed.error.issues.map((issue) => ({ path: issue.path.join('/'), message: issue.message })));
  return parsed.data;
};
