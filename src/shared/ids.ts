import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

export interface IdGenerator {
  next(): string;
}

/**
 * Cryptographic random fractions drawn from a pool refilled 4 KiB at a time: the library's default asks
 * the operating system for one byte per character of every id, which showed in ingest profiles.
 */
const pooledCryptoRandom = (): (() => number) => {
  const pool = new Uint8Array(4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
};

export const ulidGenerator = (): IdGenerator => {
  const generate = monotonicFactory(pooledCryptoRandom());
  return { next: () => generate() };
};

/** Deterministic ids for tests: predictable, still sortable. */
export const sequentialIds = (prefix = 'ID'): IdGenerator => {
  let counter = 0;
  return { next: () => `${prefix}${String(++counter).padStart(24, '0')}` };
};
