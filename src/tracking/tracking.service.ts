import type { Finding } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert.service.js';
import type { Db } from '../db/db.js';
import { electronicSealDevices } from '../movements/declaration.js';
import { limitInstant, type Movement, type MovementEvent } from '../movements/movement.js';
import { type MovementObserver, type OfficeScope, officesTouched } from '../movements/movement.service.js';
import type { Clock } from '../shared/clock.js';
import { type FieldIssue, validationError } from '../shared/errors.js';
import type { Notifier } from '../shared/notifier.js';
import { CorridorCache } from './corridor.js';
import {
  type DetectionEnv,
  initialState,
  observeMessage,
  overdueFinding,
  type PreparedMovement,
  prepareMovement,
  tickMovement,
  type TrackFinding,
  type TrackState,
} from './detectors.js';
import type { Geography } from './geo.js';
import { itineraryOf, type MovementContext, type TelemetryMessage } from './movement-context.js';
import { thinTrack } from './thin.js';
import { defaultThresholds, type Severity, type TrackingThresholds } from './thresholds.js';
import { messageKey, type StoredMessage, TrackingRepository } from './tracking.repository.js';
import { serialRunner, TelemetryStore, type TelemetryStoreOptions } from './telemetry-store.js';
import { formatInstant, parseTelemetryMessage } from './telemetry.js';

export interface TelemetryRecord {
  input: unknown;
  /** 1-based line of an NDJSON body or file; the array position + 1 otherwise. */
  line?: number;
}

export interface TelemetryReport {
  accepted: number;
  duplicates: number;
  rejected: { index: number; line?: number; reasons: FieldIssue[] }[];
}

export interface TrackingOptions extends TelemetryStoreOptions {
  thresholds?: TrackingThresholds;
  /** A message further ahead of our clock than this is refused (device clock wrong or forged). */
  maxClockSkewSeconds?: number;
  /** Unbound messages of a device this long before its movement's release still count as its track. */
  preReleaseMinutes?: number;
  /** At most one live position update per movement in this many seconds. */
  positionThrottleSeconds?: number;
}

export interface TrackingDeps {
  db: Db;
  clock: Clock;
  alerts: AlertService;
  notifier: Notifier;
  geo: Geography;
  options?: TrackingOptions;
}

interface PendingBatch {
  messages: TelemetryMessage[];
  report: TelemetryReport;
  receivedAt: string;
  resolve(): void;
  reject(error: unknown): void;
}

/** Largest group of waiting batches committed in one transaction: bounds the latency of the last one. */
const MAX_GROUP_MESSAGES = 20_000;

interface Watched {
  movement: PreparedMovement;
  state: TrackState;
  deviceIds: string[];
}

/**
 * CARAVAN_TELEMETRY_SKEW_SECONDS, default 300: how far ahead of Caravan's clock a message may be. Read
 * here because config.ts belongs to the platform; invalid values stop the start like any bad setting.
 */
const skewFromEnvironment = (): number => {
  const raw = process.env.CARAVAN_TELEMETRY_SKEW_SECONDS;
  if (raw === undefined || raw === '') return 300;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw validationError('Invalid configuration', [{ path: 'CARAVAN_TELEMETRY_SKEW_SECONDS', message: `must be a number of seconds ≥ 0, got ${raw}` }]);
  }
  return seconds;
};

const inScope = (context: MovementContext, scope: OfficeScope): boolean =>
  scope.offices === 'all' || (context.officeCodes ?? context.itinerary.map((o) => o.code)).some((code) => scope.offices.includes(code));

const SCORE: Record<Severity, number> = { low: 0.3, medium: 0.6, high: 0.8, critical: 0.95 };
const MINUTE = 60_000;
/** Phases in which a truck is on the road under the transit procedure. */
const ON_ROAD_EVENTS = new Set(['released']);
const COMPLETING_EVENTS = new Set(['exited', 'arrived']);
const ENDING_EVENTS = new Set(['discharged', 'cancelled', 'not_released']);

/**
 * E-seal telemetry: ingestion, device binding, detection and the track. Detector state lives in memory
 * per watched movement (a few hundred bytes each) and is rebuilt from the store at start by replaying each
 * active movement's messages, so ingestion reads nothing per message. One process owns detection; a
 * deployment with several API processes partitions devices among them (docs/tracking.md).
 */
export class TrackingService {
  readonly thresholds: TrackingThresholds;
  private readonly env: DetectionEnv;
  private readonly skewMs: number;
  private readonly preReleaseMs: number;
  private readonly throttleMs: number;
  private readonly watched = new Map<string, Watched>();
  private readonly deviceToMovement = new Map<string, string>();
  private readonly lastPublished = new Map<string, number>();
  /** Ingestion groups, folds and ticks run one after another so detector state sees messages in commit order. */
  private readonly serially = serialRunner();
  private readonly pending: PendingBatch[] = [];
  private flushing = false;
  private readonly store: TelemetryStore;

  constructor(private readonly deps: TrackingDeps) {
    const options = deps.options ?? {};
    this.thresholds = options.thresholds ?? defaultThresholds;
    this.env = { geo: deps.geo, thresholds: this.thresholds, corridors: new CorridorCache(deps.geo) };
    this.skewMs = (options.maxClockSkewSeconds ?? skewFromEnvironment()) * 1000;
    this.preReleaseMs = (options.preReleaseMinutes ?? 720) * MINUTE;
    this.throttleMs = (options.positionThrottleSeconds ?? 30) * 1000;
    this.store = new TelemetryStore(deps.db, this.serially, options);
  }

  /** Rebuilds bindings and detector state of every active movement from the store. */
  async start(): Promise<void> {
    await this.store.start();
    const repository = new TrackingRepository(this.deps.db);
    for (const binding of await repository.activeBindings()) this.deviceToMovement.set(binding.deviceId, binding.movementId);
    for (const context of await repository.activeContexts()) {
      const watched = this.watch(context);
      // After exit or arrival nothing more is detected: only trucks still on the road need their history.
      if (context.phase !== 'released') continue;
      for (const message of await repository.messagesOf(context.movementId)) observeMessage(watched.state, watched.movement, this.env, message);
    }
  }

  /** How many movements the detectors follow now. */
  get activeMovements(): number {
    return this.watched.size;
  }

  private watch(context: MovementContext): Watched {
    const movement = prepareMovement(context, this.env);
    const watched = { movement, state: initialState(movement, this.thresholds), deviceIds: context.deviceIds };
    this.watched.set(context.movementId, watched);
    return watched;
  }

  /** The hook the movement registry calls inside the transaction that applies an event. */
  readonly observer: MovementObserver = {
    eventApplied: (tx, movement, event) => this.onEvent(tx, movement, event),
  };

  private async onEvent(tx: Db, movement: Movement, event: MovementEvent): Promise<void> {
    if (ON_ROAD_EVENTS.has(event.type)) await this.onRelease(tx, movement, event);
    else if (COMPLETING_EVENTS.has(event.type)) await this.onComplete(tx, movement.id, event);
    else if (ENDING_EVENTS.has(event.type)) await this.onEnd(tx, movement.id, event);
    else if (event.type === 'overdue') await this.onOverdue(tx, movement, event);
  }

  /**
   * Binds the declared e-seals and starts watching. A truck is sealed at departure and its seal reports
   * before the office's release reaches us, so the device's unbound messages from `preReleaseMinutes`
   * before the release are attached to the movement: those before the release time are its track, those
   * after it are fed to the detectors now, in time order, as if they had arrived after the release.
   */
  private async onRelease(tx: Db, movement: Movement, event: MovementEvent): Promise<void> {
    const deviceIds = electronicSealDevices(movement.declaration);
    const context: MovementContext = {
      movementId: movement.id,
      lrn: movement.lrn,
      itinerary: itineraryOf(movement.declaration, (code) => this.deps.geo.offices.byCode.get(code)),
      officeCodes: officesTouched(movement.declaration),
      countriesOfRouting: movement.declaration.countriesOfRouting,
      deviceIds,
      releasedAt: new Date(event.time).toISOString(),
      limitAt: movement.limitDate ? limitInstant(movement.limitDate) : '9999-12-31T23:59:59.999Z',
      phase: 'released',
    };
    const repository = new TrackingRepository(tx);
    const now = this.deps.clock.now().toISOString();
    await repository.saveContext(context, true, now);
    const from = new Date(Date.parse(context.releasedAt) - this.preReleaseMs).toISOString();
    for (const deviceId of deviceIds) {
      await repository.bind(deviceId, movement.id, now);
      await repository.attachUnbound(deviceId, movement.id, from);
      this.deviceToMovement.set(deviceId, movement.id);
    }
    const watched = this.watch(context);
    if (deviceIds.length === 0) return;
    const findings: TrackFinding[] = [];
    for (const message of await repository.messagesOf(movement.id)) findings.push(...observeMessage(watched.state, watched.movement, this.env, message));
    await this.raise(tx, findings);
  }

  private async onComplete(tx: Db, movementId: string, event: MovementEvent): Promise<void> {
    const repository = new TrackingRepository(tx);
    const stored = await repository.context(movementId);
    if (!stored) return;
    const context: MovementContext = { ...stored.context, phase: event.type === 'arrived' ? 'arrived' : 'exited', completedAt: new Date(event.time).toISOString() };
    await repository.saveContext(context, true, this.deps.clock.now().toISOString());
    const watched = this.watched.get(movementId);
    if (watched) watched.movement = { ...watched.movement, context, completedAtMs: Date.parse(context.completedAt!) };
  }

  private async onEnd(tx: Db, movementId: string, event: MovementEvent): Promise<void> {
    const repository = new TrackingRepository(tx);
    const stored = await repository.context(movementId);
    const now = this.deps.clock.now().toISOString();
    await repository.unbind(movementId, now);
    if (stored) await repository.saveContext({ ...stored.context, phase: 'closed', completedAt: stored.context.completedAt ?? new Date(event.time).toISOString() }, false, now);
    const watched = this.watched.get(movementId);
    for (const deviceId of watched?.deviceIds ?? stored?.context.deviceIds ?? []) {
      if (this.deviceToMovement.get(deviceId) === movementId) this.deviceToMovement.delete(deviceId);
    }
    this.watched.delete(movementId);
    this.lastPublished.delete(movementId);
  }

  private async onOverdue(tx: Db, movement: Movement, event: MovementEvent): Promise<void> {
    const watched = this.watched.get(movement.id);
    if (!watched || watched.movement.context.phase !== 'released') return;
    await this.raise(tx, [overdueFinding(watched.state, watched.movement, watched.movement.context.limitAt, event.time, this.thresholds)]);
  }

  private toAlert(finding: TrackFinding): Finding {
    const watched = this.watched.get(finding.movementId);
    return {
      dedupKey: `tracking:${finding.dedupKey}`,
      type: `tracking.${finding.type}`,
      source: 'tracking',
      rule: `tracking.${finding.type}`,
      ruleVersion: this.thresholds.version,
      severity: finding.severity,
      score: SCORE[finding.severity],
      title: finding.summary,
      movementId: finding.movementId,
      deviceId: watched?.deviceIds[0] ?? null,
      evidence: finding.evidence,
      observedAt: finding.observedAt,
    };
  }

  private async raise(tx: Db, findings: readonly TrackFinding[]): Promise<void> {
    if (findings.length > 0) await this.deps.alerts.raise(tx, findings.map((finding) => this.toAlert(finding)));
  }

  /**
   * Stores a batch of messages and runs the detectors on it: when this returns, every accepted message is
   * on disk with the alerts it caused. Bad records are reported one by one and the rest are kept; a
   * message already stored (same device and message id) counts as a duplicate.
   *
   * Batches that arrive while a commit is under way are committed together in the next transaction
   * (group commit): a durable commit costs the same for one batch or ten, and each caller is still
   * answered only once its own messages are on disk.
   */
  async ingest(records: readonly TelemetryRecord[]): Promise<TelemetryReport> {
    const now = this.deps.clock.now();
    const report: TelemetryReport = { accepted: 0, duplicates: 0, rejected: [] };
    const valid: TelemetryMessage[] = [];
    for (let index = 0; index < records.length; index++) {
      const record = records[index]!;
      const parsed = parseTelemetryMessage(record.input, now, this.skewMs);
      if (parsed.ok) valid.push(parsed.message);
      else report.rejected.push({ index, ...(record.line !== undefined ? { line: record.line } : {}), reasons: parsed.issues });
    }
    if (valid.length === 0) return report;
    await new Promise<void>((resolve, reject) => {
      this.pending.push({ messages: valid, report, receivedAt: now.toISOString(), resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        void this.flush();
      }
    });
    return report;
  }

  private async flush(): Promise<void> {
    do {
      // One turn of the event loop before the group is formed: callers just answered post their next
      // batch and requests already received are parsed, so they share this commit instead of the next.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.serially(() => this.commitGroup(this.nextGroup()));
    } while (this.pending.length > 0);
    this.flushing = false;
  }

  private nextGroup(): PendingBatch[] {
    const group: PendingBatch[] = [];
    let size = 0;
    while (this.pending.length > 0 && (group.length === 0 || size + this.pending[0]!.messages.length <= MAX_GROUP_MESSAGES)) {
      const next = this.pending.shift()!;
      group.push(next);
      size += next.messages.length;
    }
    return group;
  }

  private async commitGroup(group: readonly PendingBatch[]): Promise<void> {
    // A message sent twice, within a batch or in two batches of the group, is stored once: the first
    // copy counts and the later one is its caller's duplicate.
    const seen = new Set<string>();
    const rows: StoredMessage[] = [];
    const ends: number[] = [];
    for (const batch of group) {
      const { receivedAt } = batch;
      for (const m of batch.messages) {
        const key = messageKey(m.deviceId, m.messageId);
        if (seen.has(key)) {
          batch.report.duplicates++;
          continue;
        }
        seen.add(key);
        rows.push({
          deviceId: m.deviceId,
          messageId: m.messageId,
          time: m.time,
          lat: m.lat,
          lon: m.lon,
          speedKmh: m.speedKmh,
          sealState: m.sealState,
          battery: m.battery,
          eventCode: m.eventCode,
          movementId: this.deviceToMovement.get(m.deviceId) ?? null,
          receivedAt,
        });
      }
      ends.push(rows.length);
    }
    const touched = new Set<string>();
    let stored = 0;
    try {
      await this.deps.db.transaction(async (tx) => {
        const inserted = await this.store.insert(tx, rows);
        stored = inserted.filter(Boolean).length;
        const observed: StoredMessage[] = [];
        for (let i = 0; i < rows.length; i++) {
          if (inserted[i] && rows[i]!.movementId !== null) observed.push(rows[i]!);
        }
        // Detectors must see each movement's fixes in time order, whatever order the batches came in;
        // the store does not care, so only these are sorted.
        observed.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
        const findings: TrackFinding[] = [];
        for (const row of observed) {
          const watched = this.watched.get(row.movementId!);
          if (!watched) continue;
          touched.add(row.movementId!);
          for (const finding of observeMessage(watched.state, watched.movement, this.env, row)) findings.push(finding);
        }
        await this.raise(tx, findings);
        // Counted only once the work is done, so a failed group leaves no report half-filled.
        let from = 0;
        group.forEach((batch, b) => {
          for (let i = from; i < ends[b]!; i++) {
            if (inserted[i]) batch.report.accepted++;
            else batch.report.duplicates++;
          }
          from = ends[b]!;
        });
      });
    } catch (error) {
      // The detectors already moved on with messages that did not commit: rebuild them from the store.
      for (const movementId of touched) await this.rebuild(movementId).catch(() => undefined);
      for (const batch of group) batch.reject(error);
      return;
    }
    this.store.committed(stored);
    this.publishPositions(touched);
    for (const batch of group) batch.resolve();
  }

  /**
   * Folds recent telemetry if it is due, or waits for the fold under way. Ingestion starts a fold itself
   * once enough has arrived; on a timer, this retries one that failed or was cut short.
   */
  foldTelemetry(): Promise<void> {
    return this.store.foldIfDue();
  }

  /** Lets work under way finish; a fold cut short is completed by the next start. */
  async stop(): Promise<void> {
    await this.store.stop();
    await this.serially(async () => undefined);
  }

  private async rebuild(movementId: string): Promise<void> {
    const repository = new TrackingRepository(this.deps.db);
    const stored = await repository.context(movementId);
    this.watched.delete(movementId);
    if (!stored?.active) return;
    const watched = this.watch(stored.context);
    for (const message of await repository.messagesOf(movementId)) observeMessage(watched.state, watched.movement, this.env, message);
  }

  private publishPositions(movementIds: Iterable<string>): void {
    const now = this.deps.clock.now().getTime();
    for (const movementId of movementIds) {
      const watched = this.watched.get(movementId);
      const fix = watched?.state.trusted;
      if (!watched || !fix || now - (this.lastPublished.get(movementId) ?? Number.NEGATIVE_INFINITY) < this.throttleMs) continue;
      this.lastPublished.set(movementId, now);
      this.deps.notifier.publish({
        topic: 'position',
        id: movementId,
        data: { movementId, lrn: watched.movement.context.lrn, time: formatInstant(fix.t), lat: fix.lat, lon: fix.lon },
      });
    }
  }

  /** Runs the time-based detectors (silence, long stops, exit not confirmed) at `now` with no new message. */
  async tick(now: Date = this.deps.clock.now()): Promise<number> {
    return this.serially(async () => {
      const findings: TrackFinding[] = [];
      const at = now.getTime();
      for (const watched of this.watched.values()) findings.push(...tickMovement(watched.state, watched.movement, this.env, at));
      if (findings.length > 0) {
        const touched = new Set(findings.map((finding) => finding.movementId));
        try {
          await this.deps.db.transaction((tx) => this.raise(tx, findings));
        } catch (error) {
          for (const movementId of touched) await this.rebuild(movementId);
          throw error;
        }
      }
      return findings.length;
    });
  }

  /** A movement's track thinned for display, its seal events and its devices. */
  async track(movementId: string, toleranceKm = 0.5): Promise<{
    movementId: string;
    devices: { deviceId: string; boundAt: string; unboundAt: string | null }[];
    messages: number;
    positions: ReturnType<typeof thinTrack<StoredMessage>>;
    sealEvents: StoredMessage[];
  }> {
    const repository = new TrackingRepository(this.deps.db);
    const messages = await repository.messagesOf(movementId);
    const sealEvents = messages.filter((m, i) => m.eventCode !== undefined || (i > 0 && m.sealState !== messages[i - 1]!.sealState) || (i === 0 && m.sealState !== 'armed'));
    return {
      movementId,
      devices: (await repository.bindingsOf(movementId)).map(({ deviceId, boundAt, unboundAt }) => ({ deviceId, boundAt, unboundAt })),
      messages: messages.length,
      positions: thinTrack(messages, toleranceKm),
      sealEvents,
    };
  }

  /**
   * Messages of a device, bound or not: what an unbound device sent is kept and visible here. A caller
   * limited to some offices sees only the messages of movements touching them.
   */
  async deviceMessages(deviceId: string, limit = 500, scope: OfficeScope = { offices: 'all' }): Promise<StoredMessage[]> {
    const repository = new TrackingRepository(this.deps.db);
    const messages = await repository.messagesOfDevice(deviceId, limit);
    if (scope.offices === 'all') return messages;
    const visible = new Map<string, boolean>();
    for (const movementId of new Set(messages.flatMap((m) => (m.movementId ? [m.movementId] : [])))) {
      const stored = await repository.context(movementId);
      visible.set(movementId, stored !== undefined && inScope(stored.context, scope));
    }
    return messages.filter((m) => m.movementId !== null && visible.get(m.movementId) === true);
  }

  /** The latest trusted position of every movement on the road (within the caller's offices), for the live map. */
  positions(scope: OfficeScope = { offices: 'all' }): { movementId: string; lrn: string; time: string; lat: number; lon: number; lastMessageAt: string }[] {
    const out = [];
    for (const [movementId, watched] of this.watched) {
      const fix = watched.state.trusted;
      if (!fix || watched.movement.context.phase !== 'released' || !inScope(watched.movement.context, scope)) continue;
      out.push({
        movementId,
        lrn: watched.movement.context.lrn,
        time: new Date(fix.t).toISOString(),
        lat: fix.lat,
        lon: fix.lon,
        lastMessageAt: new Date(watched.state.lastMessageAt).toISOString(),
      });
    }
    return out;
  }
}
