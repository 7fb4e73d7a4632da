import { validationError } from './errors.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const encodeCursor = (values: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string, arity: number): (string | number)[] => {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === arity &&
      decoded.every((part) => typeof part === 'string' || typeof part === 'number')
    ) {
      return decoded;
    }
  } catch {
    // fall through to the validation error below
  }
  throw validationError('Invalid cursor', [{ path: 'cursor', message: 'is not a cursor returned by this API' }]);
};
