import { monotonicFactory } from 'ulid';

export interface IdGenerator {
  next(): string;
}

export const ulidGenerator = (): IdGenerator => {
  const generate = monotonicFactory();
  return { next: () => generate() };
};

/** Deterministic ids for tests: predictable, still sortable. */
export const sequentialIds = (prefix = 'ID'): IdGenerator => {
  let counter = 0;
  return { next: () => `${prefix}${String(++counter).padStart(24, '0')}` };
};
