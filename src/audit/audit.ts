import { createHash } from 'node:crypto';

/** What was done, by whom, to what: one line of the audit log before it is chained. */
export interface AuditEntry {
  actor: string;
  action: string;
  target?: string | null;
  /** Before/after, the event, or the request body with secrets removed. */
  details?: Record<string, unknown>;
}

export interface AuditRecord {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Keys sorted at every level, so the same content always hashes the same whatever its key order. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/** Each record's hash covers its content and the previous hash: changing any row breaks every later link. */
export const chainHash = (record: Omit<AuditRecord, 'hash'>): string =>
  createHash('sha256')
    .update(record.prevHash)
    .update(canonical({ seq: record.seq, id: record.id, at: record.at, actor: record.actor, action: record.action, target: record.target, details: record.details }))
    .digest('hex');

export type ChainCheck = { ok: true; records: number } | { ok: false; records: number; brokenAt: number; reason: string };

/** Walks records in order; reports the first whose link or content does not match. */
export const verifyChain = (records: Iterable<AuditRecord>, previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainCheck => {
  let expectedPrev = previous.hash;
  let expectedSeq = previous.seq + 1;
  let count = 0;
  for (const record of records) {
    count++;
    if (record.seq !== expectedSeq) return { ok: false, records: count, brokenAt: record.seq, reason: `sequence jumps from ${expectedSeq - 1} to ${record.seq}: a record was removed` };
    if (record.prevHash !== expectedPrev) return { ok: false, records: count, brokenAt: record.seq, reason: 'does not link to the record before it' };
    if (chainHash(record) !== record.hash) return { ok: false, records: count, brokenAt: record.seq, reason: 'its content was changed after it was written' };
    expectedPrev = record.hash;
    expectedSeq++;
  }
  return { ok: true, records: count };
};

const SECRET_KEYS = /pass(word)?|secret|token|authorization|cookie|csrf/i;

/** Copies a request body for the log with every secret-looking field replaced. */
export const withoutSecrets = (value: unknown, depth = 0): unknown => {
  if (depth > 8) return '[nested too deep]';
  // A file (a list upload, an attachment) is recorded by size; its content is in its own table.
  if (value instanceof Uint8Array) return { bytes: value.length };
  if (Array.isArray(value)) return value.length > 50 ? { items: value.length } : value.map((item) => withoutSecrets(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, SECRET_KEYS.test(key) ? '[removed]' : withoutSecrets(item, depth + 1)]),
    );
  }
  if (typeof value === 'string' && value.length > 2000) return `${value.slice(0, 2000)}… (${value.length} characters)`;
  return value;
};
