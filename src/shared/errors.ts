export type DomainErrorCode =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'duplicate'
  | 'invalid_transition'
  | 'ambiguous'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'reference_data_missing';

export interface FieldIssue {
  /** JSON-pointer-like path of the offending field, e.g. `goodsItems/0/hsCode`; empty for the whole document. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (message: string, issues: FieldIssue[]): DomainError =>
  new DomainError('validation', message, issues);

export const notFound = (what: string, id: string): DomainError =>
  new DomainError('not_found', `${what} ${id} was not found`, [], { what, id });

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
