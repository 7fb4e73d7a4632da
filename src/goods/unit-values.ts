import type { Db } from '../db/db.js';
import type { GoodsItem } from '../movements/declaration.js';
import { MIN_COMPARABLES, robustStats, type UnitValueStats } from './goods-check.js';

/** How many recent unit values per HS-6 and currency the anomaly check compares against. */
const WINDOW = 500;

interface Window {
  /** Log unit values, oldest first. */
  values: number[];
  stats?: UnitValueStats;
  changedSince: number;
}

const keyOf = (hs6: string, currency: string) => `${hs6} ${currency}`;

/**
 * The recent unit values of each HS-6 in one currency that the value check measures an item against, kept
 * in memory and read from the store the first time a code is met. Values are never converted (no rates are
 * kept), so a RUB price is only compared with RUB prices of the same goods.
 */
export class UnitValueWindows {
  private readonly windows = new Map<string, Window>();
  /** Reads under way: a check and the drain meeting a code at once share one read (on PostgreSQL they can). */
  private readonly reading = new Map<string, Promise<void>>();

  /**
   * Reads the windows of the items' codes this process has not met yet, so that checking the items needs
   * no further wait on the store.
   */
  async load(db: Db, items: readonly GoodsItem[]): Promise<void> {
    for (const item of items) {
      const currency = item.value?.currency;
      if (!currency) continue;
      const hs6 = item.hsCode.slice(0, 6);
      const key = keyOf(hs6, currency);
      if (this.windows.has(key)) continue;
      let read = this.reading.get(key);
      if (!read) {
        read = storedValues(db, hs6, currency)
          .then((values) => {
            // A window another read set meanwhile may already hold a drain step's values: it is kept.
            if (!this.windows.has(key)) this.windows.set(key, { values: values.map(Math.log), changedSince: Number.POSITIVE_INFINITY });
          })
          .finally(() => this.reading.delete(key));
        this.reading.set(key, read);
      }
      await read;
    }
  }

  /**
   * The statistics of a code's window, once `load` has read it. They are recomputed only after the window
   * has changed by a twentieth (or while it is still small): a median over hundreds of values barely moves
   * with one more, and sorting for every item would dominate the drain.
   */
  statsFor(hs6: string, currency: string | undefined): UnitValueStats | undefined {
    if (!currency) return undefined;
    const window = this.windows.get(keyOf(hs6, currency));
    if (!window || window.values.length === 0) return undefined;
    if (!window.stats || window.changedSince > Math.max(1, window.values.length / 20) || window.values.length < 4 * MIN_COMPARABLES) {
      window.stats = robustStats(window.values);
      window.changedSince = 0;
    }
    return window.stats;
  }

  /** Takes in the values of a checked drain step, so the next step is judged on them too. */
  append(step: readonly NewUnitValue[]): void {
    for (const { hs6, currency, unitValue } of step) {
      const window = this.windows.get(keyOf(hs6, currency));
      if (!window) continue;
      window.values.push(Math.log(unitValue));
      window.changedSince++;
      if (window.values.length > WINDOW * 1.25) window.values.splice(0, window.values.length - WINDOW);
    }
  }

  /** Drops every window, to be read again from the store: after a batch whose values were not stored. */
  forget(): void {
    this.windows.clear();
  }
}

export interface NewUnitValue {
  hs6: string;
  currency: string;
  unitValue: number;
}

/**
 * Stores the unit values a drain batch adds as one row per HS-6 and currency, in arrival order (ADR 0011):
 * a row per item was the largest share of the drain's writes.
 */
export const storeUnitValues = async (tx: Db, values: readonly NewUnitValue[]): Promise<void> => {
  const byCode = new Map<string, { hs6: string; currency: string; values: number[] }>();
  for (const { hs6, currency, unitValue } of values) {
    const key = keyOf(hs6, currency);
    let code = byCode.get(key);
    if (!code) byCode.set(key, (code = { hs6, currency, values: [] }));
    code.values.push(unitValue);
  }
  await tx.runMany(
    'INSERT INTO goods_unit_value_chunks (hs6, currency, unit_values) VALUES (?, ?, ?)',
    [...byCode.values()].map((code) => [code.hs6, code.currency, JSON.stringify(code.values)]),
  );
};

/** The most recent stored unit values of a code in one currency, oldest first. */
const storedValues = async (db: Db, hs6: string, currency: string): Promise<number[]> => {
  const chunks: number[][] = [];
  let count = 0;
  let before = Number.MAX_SAFE_INTEGER;
  // Most codes fill their window from a few rows; a rare code has a row per drain batch it appeared in.
  let pageSize = 16;
  while (count < WINDOW) {
    const rows = await db.all<{ id: number; unit_values: string }>(
      'SELECT id, unit_values FROM goods_unit_value_chunks WHERE hs6 = ? AND currency = ? AND id < ? ORDER BY id DESC LIMIT ?',
      [hs6, currency, before, pageSize],
    );
    for (const row of rows) {
      const values = JSON.parse(row.unit_values) as number[];
      chunks.push(values);
      count += values.length;
      before = Number(row.id);
    }
    if (rows.length < pageSize) break;
    pageSize = WINDOW;
  }
  return chunks.reverse().flat().slice(-WINDOW);
};
