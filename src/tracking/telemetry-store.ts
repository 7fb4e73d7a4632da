import type { Db } from '../db/db.js';
import { FIRST_KEY, type MessageKeyPosition, type RecentSlot, type StoredMessage, TrackingRepository } from './tracking.repository.js';

/** Runs storage work one piece at a time, in turn with the caller's own transactions. */
export type SerialRunner = <T>(work: () => Promise<T>) => Promise<T>;

/** A runner that starts each piece of work once the previous one has settled, whether it failed or not. */
export const serialRunner = (): SerialRunner => {
  let queue: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
};

export interface TelemetryStoreOptions {
  /** Messages the receiving recent table holds before it is folded into the device-ordered table. */
  foldAfterMessages?: number;
}

/** Enough messages per fold that each device page written carries several of them (docs/adr/0009). */
const DEFAULT_FOLD_AFTER = 100_000;
/** Messages folded per transaction: short enough that an ingestion commit never waits long behind one. */
const FOLD_SLICE = 5_000;
/** Devices whose latest time is remembered; past this the memory is dropped and learnt again. */
const LATEST_TIMES_KEPT = 200_000;

/**
 * Where telemetry is kept: new messages are appended to the receiving recent table inside the caller's
 * transaction; once it holds `foldAfterMessages`, the tables turn over and the full one is folded into
 * `telemetry_messages` a slice per transaction, between the caller's own, then emptied. Folding is
 * idempotent, so a fold cut short by a stop or a crash is simply done again.
 */
export class TelemetryStore {
  private readonly foldAfter: number;
  private readonly slice: number;
  /** Messages this process put in the receiving table since it last turned over: when to fold. */
  private receivingCount = 0;
  private folding: Promise<void> | undefined;
  private stopping = false;
  /**
   * Per device, the latest time of a message stored (or being stored). A re-sent message is the same
   * message, time included, so one later than that cannot be stored yet and needs no lookup: live
   * traffic, nearly all of it, is inserted without reading the folded table.
   */
  private readonly latestTime = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly serially: SerialRunner,
    options: TelemetryStoreOptions = {},
  ) {
    this.foldAfter = Math.max(1, options.foldAfterMessages ?? DEFAULT_FOLD_AFTER);
    this.slice = Math.min(FOLD_SLICE, this.foldAfter);
  }

  /** Finishes a fold an earlier process left half done. */
  async start(): Promise<void> {
    const repository = new TrackingRepository(this.db);
    this.receivingCount = await repository.recentCount(await repository.receivingSlot());
    await this.foldIfDue();
  }

  /** Stores the new messages within the caller's transaction; a flag per message says whether it was new. */
  async insert(tx: Db, messages: readonly StoredMessage[]): Promise<boolean[]> {
    const repository = new TrackingRepository(tx);
    if (this.latestTime.size > LATEST_TIMES_KEPT) this.latestTime.clear();
    const unknown = [...new Set(messages.filter((m) => !this.latestTime.has(m.deviceId)).map((m) => m.deviceId))];
    if (unknown.length > 0) {
      const stored = await repository.latestTimes(unknown);
      for (const deviceId of unknown) this.latestTime.set(deviceId, stored.get(deviceId) ?? '');
    }
    const inserted = await repository.insertMessages(messages, (m) => m.time <= this.latestTime.get(m.deviceId)!);
    // Raised before the commit: if it fails, a later time than stored only costs lookups, never a miss.
    for (const m of messages) if (m.time > this.latestTime.get(m.deviceId)!) this.latestTime.set(m.deviceId, m.time);
    return inserted;
  }

  /** Called once the caller's transaction that inserted `count` new messages has committed. */
  committed(count: number): void {
    this.receivingCount += count;
    if (this.receivingCount >= this.foldAfter && !this.folding && !this.stopping) {
      // A failed fold leaves every message where it was; the next commit or the timer tries again.
      void this.startFold(false).catch(() => undefined);
    }
  }

  /**
   * Folds when the receiving table is full or the other one still holds messages (a fold cut short), and
   * otherwise waits for the fold under way, if any. A quiet trickle stays in the receiving table: every
   * read looks there too, and a fold per trickle would cost a commit per table each time.
   */
  async foldIfDue(): Promise<void> {
    if (this.folding) return this.folding;
    const repository = new TrackingRepository(this.db);
    const other = (1 - (await repository.receivingSlot())) as RecentSlot;
    if (this.receivingCount >= this.foldAfter || (await repository.recentCount(other)) > 0) await this.startFold(false);
  }

  /** Folds all the recent tables hold now, after the fold under way if there is one. */
  async fold(): Promise<void> {
    while (this.folding) await this.folding.catch(() => undefined);
    return this.startFold(true);
  }

  private startFold(everything: boolean): Promise<void> {
    this.folding ??= this.foldNow(everything).finally(() => (this.folding = undefined));
    return this.folding;
  }

  private async foldNow(everything: boolean): Promise<void> {
    const { slot, turned } = await this.serially(() => this.db.transaction((tx) => new TrackingRepository(tx).turnOver()));
    if (turned) this.receivingCount = 0;
    let after: MessageKeyPosition | null = FIRST_KEY;
    while (after && !this.stopping) {
      // A slice completes without leaving the microtask queue, so without a turn of the event loop here
      // the next would be queued before ingestion's waiting group and the whole fold would run ahead of it.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const from: MessageKeyPosition = after;
      after = await this.serially(() => this.db.transaction((tx) => new TrackingRepository(tx).foldRecent(slot, from, this.slice)));
    }
    if (this.stopping) return;
    await this.serially(() => this.db.transaction((tx) => new TrackingRepository(tx).clearRecent(slot)));
    // One table is folded at a time: the receiving one may have filled up meanwhile, or, when this fold
    // finished an earlier one, not have turned yet.
    if (this.receivingCount >= this.foldAfter || (everything && !turned)) await this.foldNow(everything);
  }

  /** Lets a slice under way finish and folds no more: the next start completes the fold. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.folding?.catch(() => undefined);
  }
}
