import type { Db } from '../db/db.js';
import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/ids.js';
import { type AuditEntry, type AuditRecord, type ChainCheck, chainHash, GENESIS_HASH, verifyChain } from './audit.js';

interface AuditRow {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const toRecord = (row: AuditRow): AuditRecord => ({
  seq: Number(row.seq),
  id: row.id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  target: row.target,
  details: JSON.parse(row.details) as Record<string, unknown>,
  prevHash: row.prev_hash,
  hash: row.hash,
});

const VERIFY_PAGE = 1000;

/** The append-only, hash-chained log of every write. */
export class AuditService {
  constructor(private readonly deps: { db: Db; clock: Clock; ids: IdGenerator }) {}

  /**
   * Appends inside the caller's transaction, so the record commits with the change it describes. The
   * counter row serialises writers on PostgreSQL: two transactions can never chain onto the same record.
   */
  async record(tx: Db, entry: AuditEntry): Promise<AuditRecord> {
    const counter = await tx.get<{ value: number }>(
      `INSERT INTO counters (name, value) VALUES ('audit', 1)
       ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`,
    );
    const seq = Number(counter?.value);
    const previous = await tx.get<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = ?', [seq - 1]);
    const unhashed = {
      seq,
      id: this.deps.ids.next(),
      at: this.deps.clock.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ?? {},
      prevHash: previous?.hash ?? GENESIS_HASH,
    };
    const record: AuditRecord = { ...unhashed, hash: chainHash(unhashed) };
    await tx.run(
      'INSERT INTO audit_log (seq, id, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [record.seq, record.id, record.at, record.actor, record.action, record.target, JSON.stringify(record.details), record.prevHash, record.hash],
    );
    return record;
  }

  async recordNow(entry: AuditEntry): Promise<AuditRecord> {
    return this.deps.db.transaction((tx) => this.record(tx, entry));
  }

  /** Records after `afterSeq`, oldest first. */
  async list(options: { afterSeq?: number; limit: number; actor?: string; target?: string }): Promise<AuditRecord[]> {
    const where = ['seq > ?'];
    const params: (string | number)[] = [options.afterSeq ?? 0];
    if (options.actor) (where.push('actor = ?'), params.push(options.actor));
    if (options.target) (where.push('target = ?'), params.push(options.target));
    const rows = await this.deps.db.all<AuditRow>(
      `SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
      [...params, options.limit],
    );
    return rows.map(toRecord);
  }

  /** Re-computes the whole chain page by page; names the first record that does not hold. */
  async verify(onProgress?: (checked: number) => void): Promise<ChainCheck> {
    let previous = { seq: 0, hash: GENESIS_HASH };
    let checked = 0;
    for (;;) {
      const page = await this.list({ afterSeq: previous.seq, limit: VERIFY_PAGE });
      if (page.length === 0) break;
      const result = verifyChain(page, previous);
      if (!result.ok) return { ...result, records: checked + result.records };
      checked += page.length;
      onProgress?.(checked);
      const last = page.at(-1)!;
      previous = { seq: last.seq, hash: last.hash };
    }
    const counter = await this.deps.db.get<{ value: number }>("SELECT value FROM counters WHERE name = 'audit'");
    if (counter && Number(counter.value) > previous.seq) {
      return { ok: false, records: checked, brokenAt: previous.seq + 1, reason: `records ${previous.seq + 1} to ${Number(counter.value)} were removed from the end` };
    }
    return { ok: true, records: checked };
  }
}
