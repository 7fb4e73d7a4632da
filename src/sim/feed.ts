import { type SimRecord, type SimulationOptions, simulate } from './dataset.js';

/**
 * A simulated data set handed out as time passes: `takeUntil(t)` returns every record up to `t` that was
 * not taken yet, in time order. The demo starts a feed a few days before now, takes everything up to now
 * (finished movements, lorries en route, evasions under way) and then keeps taking as the clock moves,
 * so traffic stays live. Records are produced lazily, so a feed costs the lorries on the road, not the set.
 */
export class TrafficFeed {
  private readonly source: Generator<SimRecord>;
  private pending: SimRecord | undefined;
  private finished = false;

  constructor(options: SimulationOptions) {
    this.source = simulate(options);
  }

  /** True once every record has been taken. */
  get done(): boolean {
    return this.finished && this.pending === undefined;
  }

  /** Time of the next record not yet taken, or null when the feed is exhausted. */
  nextTime(): Date | null {
    this.fill();
    return this.pending ? new Date(this.pending.time) : null;
  }

  takeUntil(until: Date, limit = Number.POSITIVE_INFINITY): SimRecord[] {
    const bound = until.getTime();
    const taken: SimRecord[] = [];
    while (taken.length < limit) {
      this.fill();
      if (!this.pending || this.pending.time > bound) break;
      taken.push(this.pending);
      this.pending = undefined;
    }
    return taken;
  }

  private fill(): void {
    if (this.pending || this.finished) return;
    const next = this.source.next();
    if (next.done) this.finished = true;
    else this.pending = next.value;
  }
}
