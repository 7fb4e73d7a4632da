import { fileURLToPath } from 'node:url';
import type { Finding } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert.service.js';
import type { Db } from '../db/db.js';
import type { Declaration, GoodsItem } from '../movements/declaration.js';
import { MovementQueue, type QueuedMovement } from '../movements/movement-queue.js';
import { TERMINAL_STATES } from '../movements/movement.js';
import type { MovementObserver } from '../movements/movement.service.js';
import type { OfficeService } from '../offices/office.service.js';
import type { Clock } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import { type Candidate, GoodsClassifier } from './classifier.js';
import { CHPL_LIST_ID, type ControlEntry, type ControlListContent, diffEntries, type ListChange, loadChpl } from './control-list.js';
import {
  type ActiveList,
  checkItem,
  consignmentMassHint,
  type DescriptionClassifier,
  type ItemCheck,
  type ListHit,
  listHits,
  type RouteContext,
  type StoredItemCheck,
  type StoredListHit,
  storedHit,
} from './goods-check.js';
import type { Nomenclature } from './nomenclature.js';
import { type NewUnitValue, storeUnitValues, UnitValueWindows } from './unit-values.js';

/** 2: one alert per movement and list rule, naming every item and entry it found (ADR 0010). */
export const RULE_VERSION = '2';
const VOCABULARY_FILE = fileURLToPath(new URL('./trade-vocabulary.yaml', import.meta.url));
/**
 * Movements checked and committed per transaction by the drain: a durable commit costs a sync of the
 * log, and the pages a batch touches (alert indexes, table tails) are written once per commit. A batch
 * holds the store's write lock for about a second at a few thousand movements a second.
 */
const DRAIN_BATCH = 5_000;
/**
 * Movements checked against the same unit-value statistics: a step's values join the windows before the
 * next step is checked, so what is flagged does not depend on how many steps share a transaction.
 */
const STATS_STEP = 500;
const LIST_CHECK_MS = 5_000;
/** What the checks read of a queued declaration: its route, the consignment's mass and the goods. */
const CHECKED_FIELDS = ['officeOfDeparture', 'officesOfTransit', 'officesOfExit', 'officeOfDestination', 'countriesOfRouting', 'grossMass', 'goodsItems'] as const;
type CheckedMovement = QueuedMovement<(typeof CHECKED_FIELDS)[number]>;

export interface ListVersionSummary {
  listId: string;
  version: number;
  name: string;
  source: string;
  entryCount: number;
  importedBy: string;
  importedAt: string;
}

interface VersionRow {
  list_id: string;
  version: number;
  name: string;
  source: string;
  entries: string;
  entry_count: number;
  imported_by: string;
  imported_at: string;
}

const summary = (row: VersionRow): ListVersionSummary => ({
  listId: row.list_id,
  version: Number(row.version),
  name: row.name,
  source: row.source,
  entryCount: Number(row.entry_count),
  importedBy: row.imported_by,
  importedAt: row.imported_at,
});

/**
 * The classifier's answers for one batch, each description classified once: declarations of the same goods
 * repeat their descriptions word for word, and an answer depends on the description alone.
 */
const memoised = (classifier: GoodsClassifier): DescriptionClassifier => {
  const mentions = new Map<string, boolean>();
  // Keyed by the description itself, one map per limit: a key built from both would be a new string to
  // hash on every item, where the description's hash is computed once for both lookups.
  const candidatesByLimit = new Map<number, Map<string, Candidate[]>>();
  return {
    mentionsTradeTerm: (description) => {
      let answer = mentions.get(description);
      if (answer === undefined) mentions.set(description, (answer = classifier.mentionsTradeTerm(description)));
      return answer;
    },
    classify: (description, limit = 5) => {
      let candidates = candidatesByLimit.get(limit);
      if (!candidates) candidatesByLimit.set(limit, (candidates = new Map()));
      let answer = candidates.get(description);
      if (answer === undefined) candidates.set(description, (answer = classifier.classify(description, limit)));
      return answer;
    },
  };
};

/** A list hit with the item it is on, as a movement's list alert names it. */
interface ItemHit extends ListHit {
  itemIndex: number;
  hsCode: string;
  description: string;
}

/**
 * A movement's list hits make at most two alerts: one for the hits its route is prohibited for, one for
 * the hits that only put its goods on a list. An officer decides about the movement's goods, and one alert
 * per item and entry repeated the same decision (and a multi-item consignment's risk) per line.
 */
type ListRule = 'route' | 'controlled';
const LIST_RULES: readonly ListRule[] = ['route', 'controlled'];

/** A hit as a list alert's evidence names it: the item, and the list version and entry (ADR 0011). */
type EvidenceHit = Pick<ItemHit, 'itemIndex' | 'hsCode' | 'description'> & StoredListHit;

interface EarlierListAlert {
  dedupKey: string;
  closed: boolean;
  evidence: { hits?: EvidenceHit[] };
}

const hitIdentity = (hit: Pick<ItemHit, 'itemIndex' | 'listId' | 'entry'>) => `${hit.itemIndex} ${hit.listId} ${hit.entry}`;

/**
 * The key of the alert a movement's hits of one rule go to. The latest episode takes them while it is open,
 * and also once closed when it already names every one of them (it is refreshed and stays closed); a hit
 * a closed decision did not see opens the next episode, so a list change that puts another item on a list
 * is never hidden behind an officer's earlier decision.
 */
const listAlertKey = (movementId: string, rule: ListRule, hits: readonly ItemHit[], earlier: readonly EarlierListAlert[]): string => {
  const base = `goods:${movementId}:${rule === 'route' ? 'route_prohibited' : 'controlled'}`;
  const episodeOf = (key: string) => (key === base ? 1 : key.startsWith(`${base}:`) ? Number(key.slice(base.length + 1)) : 0);
  const latest = earlier.filter((alert) => episodeOf(alert.dedupKey) > 0).sort((a, b) => episodeOf(b.dedupKey) - episodeOf(a.dedupKey))[0];
  if (!latest) return base;
  const decided = new Set((latest.evidence.hits ?? []).map(hitIdentity));
  if (!latest.closed || hits.every((hit) => decided.has(hitIdentity(hit)))) return latest.dedupKey;
  return `${base}:${episodeOf(latest.dedupKey) + 1}`;
};

const listFinding = (movement: CheckedMovement, rule: ListRule, hits: readonly ItemHit[], earlier: readonly EarlierListAlert[]): Finding => {
  const prohibited = rule === 'route';
  const byItem = new Map<number, ItemHit[]>();
  for (const hit of hits) byItem.set(hit.itemIndex, [...(byItem.get(hit.itemIndex) ?? []), hit]);
  const items = [...byItem.values()].map(
    (itemHits) =>
      `item ${itemHits[0]!.itemIndex + 1} (${itemHits[0]!.hsCode}, ${itemHits[0]!.description.slice(0, 60)}): on ${itemHits.map((hit) => `${hit.list} v${hit.version} ${hit.tier} (entry ${hit.entry})`).join(' and ')}`,
  );
  const prohibitedFor = [...new Set(hits.flatMap((hit) => hit.prohibitedFor))].sort();
  return {
    source: 'goods',
    ruleVersion: RULE_VERSION,
    movementId: movement.id,
    observedAt: movement.declaredAt,
    dedupKey: listAlertKey(movement.id, rule, hits, earlier),
    type: prohibited ? 'goods.route_prohibited' : 'goods.controlled',
    rule: prohibited ? 'control-list-route' : 'control-list',
    severity: prohibited ? 'critical' : 'medium',
    score: prohibited ? 0.95 : 0.6,
    title: `${items.join('; ')}${prohibited ? `, prohibited for ${prohibitedFor.join(', ')} on this route` : ''}`,
    evidence: {
      itemIndexes: [...byItem.keys()],
      ...(prohibited ? { prohibitedFor } : {}),
      hits: hits.map((hit): EvidenceHit => ({ itemIndex: hit.itemIndex, hsCode: hit.hsCode, description: hit.description, ...storedHit(hit) })),
    },
    findingCount: hits.length,
  };
};

/**
 * Goods control: every goods item of every stored movement is checked against the control lists in
 * force for its date and route, and its description and value against what the code says; findings
 * become alerts in the same transaction as the declaration.
 */
export class GoodsControlService {
  readonly classifier: GoodsClassifier;
  private readonly queue: MovementQueue<(typeof CHECKED_FIELDS)[number]>;
  private listsCheckedAt = Date.now();
  private active: ActiveList[] = [];
  private readonly unitValues = new UnitValueWindows();
  /** List versions stored checks name, by `listId@version`: a version never changes once imported. */
  private readonly describedVersions = new Map<string, Promise<ActiveList | undefined>>();

  constructor(
    private readonly deps: { db: Db; clock: Clock; nomenclature: Nomenclature; offices: OfficeService; alerts: AlertService; referenceDir: string },
  ) {
    this.classifier = new GoodsClassifier(deps.nomenclature, VOCABULARY_FILE);
    this.queue = new MovementQueue(deps.db, 'goods_queue', CHECKED_FIELDS);
  }

  /** Loads the CHPL as the first version of its list when the store has none, then the lists in force. */
  async start(): Promise<void> {
    const chpl = await this.deps.db.get('SELECT 1 AS found FROM control_list_versions WHERE list_id = ?', [CHPL_LIST_ID]);
    if (!chpl) await this.importList(loadChpl(this.deps.referenceDir), 'caravan');
    await this.reload();
  }

  private async reload(): Promise<void> {
    const rows = await this.deps.db.all<VersionRow>(
      `SELECT v.* FROM control_list_versions v
       WHERE v.version = (SELECT MAX(version) FROM control_list_versions w WHERE w.list_id = v.list_id) ORDER BY v.list_id`,
    );
    this.active = rows.map((row) => ({ listId: row.list_id, name: row.name, version: Number(row.version), entries: JSON.parse(row.entries) as ControlEntry[] }));
  }

  /** A new version of a list when its entries changed; the same content again changes nothing. */
  async importList(content: ControlListContent, actor: string): Promise<{ version: ListVersionSummary; changes: ListChange[]; unchanged: boolean }> {
    const result = await this.deps.db.transaction(async (tx) => {
      const previous = await tx.get<VersionRow>('SELECT * FROM control_list_versions WHERE list_id = ? ORDER BY version DESC LIMIT 1', [content.listId]);
      const changes = diffEntries(previous ? (JSON.parse(previous.entries) as ControlEntry[]) : [], content.entries);
      if (previous && changes.length === 0) return { version: summary(previous), changes, unchanged: true };
      const row: VersionRow = {
        list_id: content.listId,
        version: Number(previous?.version ?? 0) + 1,
        name: content.name,
        source: content.source,
        entries: JSON.stringify(content.entries),
        entry_count: content.entries.length,
        imported_by: actor,
        imported_at: this.deps.clock.now().toISOString(),
      };
      await tx.run(
        'INSERT INTO control_list_versions (list_id, version, name, source, entries, entry_count, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [row.list_id, row.version, row.name, row.source, row.entries, row.entry_count, row.imported_by, row.imported_at],
      );
      // Movements still under way may now carry goods the new version controls: check them again.
      const underWay = await tx.all<{ id: string }>(
        `SELECT id FROM movements WHERE state NOT IN (${TERMINAL_STATES.map(() => '?').join(', ')})`,
        [...TERMINAL_STATES],
      );
      await this.queue.enqueue(tx, underWay.map((movement) => movement.id), `list ${content.listId} changed`, row.imported_at);
      return { version: summary(row), changes, unchanged: false };
    });
    await this.reload();
    return result;
  }

  /** The list entries in force today that a code (or any code under a chapter or heading) falls under. */
  controlsFor(code: string): ListHit[] {
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    const route = { date: today, countries: [] };
    const direct = listHits(code, this.active, route);
    const below = code.length < 6 ? this.active.flatMap((list) => list.entries.filter((entry) => entry.code.startsWith(code)).flatMap((entry) => listHits(entry.code, [list], route))) : [];
    return [...direct, ...below.filter((hit) => !direct.some((known) => known.listId === hit.listId && known.entry === hit.entry))];
  }

  lists(): ListVersionSummary[] {
    return this.active.map((list) => ({ listId: list.listId, version: list.version, name: list.name, source: '', entryCount: list.entries.length, importedBy: '', importedAt: '' }));
  }

  async versions(listId?: string): Promise<ListVersionSummary[]> {
    const rows = await this.deps.db.all<VersionRow>(
      `SELECT * FROM control_list_versions ${listId ? 'WHERE list_id = ?' : ''} ORDER BY list_id, version DESC`,
      listId ? [listId] : [],
    );
    return rows.map(summary);
  }

  /** What changed between two versions of a list (default: the latest against the one before). */
  async diff(listId: string, from?: number, to?: number): Promise<{ listId: string; from: number; to: number; changes: ListChange[] }> {
    const rows = await this.deps.db.all<VersionRow>('SELECT * FROM control_list_versions WHERE list_id = ? ORDER BY version', [listId]);
    if (rows.length === 0) throw notFound('Control list', listId);
    const target = to ?? Number(rows.at(-1)!.version);
    const base = from ?? target - 1;
    const entriesOf = (version: number) => {
      const row = rows.find((candidate) => Number(candidate.version) === version);
      if (!row && version > 0) throw notFound('Control list version', `${listId} v${version}`);
      return row ? (JSON.parse(row.entries) as ControlEntry[]) : [];
    };
    return { listId, from: base, to: target, changes: diffEntries(entriesOf(base), entriesOf(target)) };
  }

  /** Every country the movement touches or heads toward: routing, destination, and where its offices lead. */
  routeOf(declaration: Pick<Declaration, 'countriesOfRouting' | 'officeOfDestination' | 'officesOfExit' | 'officesOfTransit'>, date: string): RouteContext {
    const countries = new Set(declaration.countriesOfRouting);
    const officeCountries = (code: string) => {
      if (!this.deps.offices.exists(code)) return;
      const office = this.deps.offices.get(code);
      countries.add(office.country);
      if (office.neighbour) countries.add(office.neighbour);
    };
    officeCountries(declaration.officeOfDestination);
    for (const code of [...declaration.officesOfExit, ...declaration.officesOfTransit]) officeCountries(code);
    return { date, countries: [...countries].sort() };
  }

  /** Lists imported by another process (the CLI) while this one runs: looked for at most every 5 s. */
  private async refreshLists(): Promise<void> {
    if (Date.now() - this.listsCheckedAt < LIST_CHECK_MS) return;
    this.listsCheckedAt = Date.now();
    const rows = await this.deps.db.all<{ list_id: string; version: number }>('SELECT list_id, MAX(version) AS version FROM control_list_versions GROUP BY list_id ORDER BY list_id');
    const stored = rows.map((row) => `${row.list_id}@${Number(row.version)}`).join(',');
    const loaded = this.active.map((list) => `${list.listId}@${list.version}`).join(',');
    if (stored !== loaded) await this.reload();
  }

  /** Checks items for a route without storing anything (the `check` API and CLI). */
  async check(items: readonly GoodsItem[], route: RouteContext): Promise<ItemCheck[]> {
    await this.refreshLists();
    await this.unitValues.load(this.deps.db, items);
    const checks: ItemCheck[] = [];
    for (const [index, item] of items.entries()) {
      const stats = this.unitValues.statsFor(item.hsCode.slice(0, 6), item.value?.currency);
      checks.push(checkItem(item, index, { lists: this.active, route, classifier: this.classifier, stats }));
    }
    return checks;
  }

  /** A movement's stored item results, each hit with its list's name and its entry's reason and legal reference. */
  async forMovement(movementId: string): Promise<ItemCheck[]> {
    const row = await this.deps.db.get<{ items: string }>('SELECT items FROM goods_movement_checks WHERE movement_id = ?', [movementId]);
    if (!row) return [];
    const checks = JSON.parse(row.items) as StoredItemCheck[];
    return Promise.all(checks.map(async (check) => ({ ...check, hits: await Promise.all(check.hits.map((hit) => this.describeHit(hit))) })));
  }

  private async describeHit(hit: StoredListHit): Promise<ListHit> {
    const key = `${hit.listId}@${hit.version}`;
    let version = this.describedVersions.get(key);
    if (!version) {
      version = this.deps.db
        .get<VersionRow>('SELECT * FROM control_list_versions WHERE list_id = ? AND version = ?', [hit.listId, hit.version])
        .then((row) => (row ? { listId: row.list_id, name: row.name, version: Number(row.version), entries: JSON.parse(row.entries) as ControlEntry[] } : undefined));
      this.describedVersions.set(key, version);
      // A failed read is not remembered: the next request for the movement's goods tries again.
      version.catch(() => this.describedVersions.delete(key));
    }
    const list = await version;
    const entry = list?.entries.find((candidate) => candidate.code === hit.entry && candidate.tier === hit.tier);
    // Results stored before ADR 0011 carry their own texts, which the spread keeps.
    return { list: list?.name ?? hit.listId, reason: entry?.reason ?? '', legalReference: entry?.legalReference ?? '', ...hit };
  }

  /**
   * A stored declaration only queues its goods check: classification, statistics, alerts and the risk
   * recompute are too much work for the declaration's transaction (ADR 0005). The server drains the queue
   * every few seconds; commands that store declarations drain it before they exit.
   */
  readonly observer: MovementObserver = {
    declarationsStored: (tx, stored) => this.queue.enqueue(tx, stored.map((movement) => movement.id), 'declared', this.deps.clock.now().toISOString()),
  };

  /** Whether a movement's goods are still waiting to be checked. */
  isPending(movementId: string): Promise<boolean> {
    return this.queue.has(movementId);
  }

  /** Checks every queued movement's goods; returns how many movements were checked. */
  async drain(onProgress: (checked: number) => void = () => undefined): Promise<number> {
    await this.refreshLists();
    return this.queue.drain(
      DRAIN_BATCH,
      async (batch, ids) => {
        try {
          await this.deps.db.transaction(async (tx) => {
            const classifier = memoised(this.classifier);
            const newValues: NewUnitValue[] = [];
            // Written step by step: what a step writes is still in the page cache when its alerts are
            // rescored, and the heap holds one step's rows at a time, not the whole batch's.
            for (let start = 0; start < batch.length; start += STATS_STEP) await this.checkStored(tx, batch.slice(start, start + STATS_STEP), classifier, newValues);
            await storeUnitValues(tx, newValues);
            await this.queue.complete(tx, ids);
          });
        } catch (error) {
          // The windows took in values of a batch that was not stored: read them again from the store.
          this.unitValues.forget();
          throw error;
        }
      },
      onProgress,
    );
  }

  /** Checks one step of movements against the same statistics, stores the results, raises the findings. */
  private async checkStored(tx: Db, stored: readonly CheckedMovement[], classifier: DescriptionClassifier, newValues: NewUnitValue[]): Promise<void> {
    const checkRows: string[][] = [];
    const findings: Finding[] = [];
    const stepValues: NewUnitValue[] = [];
    // A movement checked before (a list changed since) gets its results replaced; its unit values are already counted.
    const marks = stored.map(() => '?').join(', ');
    const rechecked = new Set(
      stored.length === 0 ? [] : (await tx.all<{ movement_id: string }>(`SELECT movement_id FROM goods_movement_checks WHERE movement_id IN (${marks})`, stored.map((m) => m.id))).map((row) => row.movement_id),
    );
    if (rechecked.size > 0) await tx.run(`DELETE FROM goods_movement_checks WHERE movement_id IN (${[...rechecked].map(() => '?').join(', ')})`, [...rechecked]);
    const earlierListAlerts = await this.listAlertsOf(tx, [...rechecked]);
    await this.unitValues.load(tx, stored.flatMap((movement) => movement.declaration.goodsItems));
    for (const movement of stored) {
      const route = this.routeOf(movement.declaration, movement.declaredAt.slice(0, 10));
      const listHitsOf: Record<ListRule, ItemHit[]> = { route: [], controlled: [] };
      const itemChecks: StoredItemCheck[] = [];
      for (const [index, item] of movement.declaration.goodsItems.entries()) {
        const hs6 = item.hsCode.slice(0, 6);
        const stats = this.unitValues.statsFor(hs6, item.value?.currency);
        const check = checkItem(item, index, { lists: this.active, route, classifier, stats });
        itemChecks.push({ ...check, hits: check.hits.map(storedHit) });
        const mass = item.netMass ?? item.grossMass;
        if (item.value && item.value.amount > 0 && mass > 0 && !rechecked.has(movement.id)) {
          stepValues.push({ hs6, currency: item.value.currency, unitValue: item.value.amount / mass });
        }
        for (const hit of check.hits) {
          listHitsOf[hit.prohibitedFor.length > 0 ? 'route' : 'controlled'].push({ itemIndex: index, hsCode: check.hsCode, description: item.description, ...hit });
        }
        this.hintFindings(movement, item, check, findings);
      }
      checkRows.push([movement.id, JSON.stringify(itemChecks), movement.declaredAt]);
      for (const rule of LIST_RULES) {
        const hits = listHitsOf[rule];
        if (hits.length > 0) findings.push(listFinding(movement, rule, hits, earlierListAlerts.get(movement.id) ?? []));
      }
      const consignment = consignmentMassHint(movement.declaration);
      if (consignment) {
        findings.push({
          source: 'goods',
          ruleVersion: RULE_VERSION,
          movementId: movement.id,
          observedAt: movement.declaredAt,
          dedupKey: `goods:${movement.id}:consignment-mass`,
          type: 'goods.mass_inconsistent',
          rule: 'consignment-mass',
          severity: 'medium',
          score: 0.5,
          title: `consignment: ${consignment.message}`,
          evidence: consignment.details ?? {},
        });
      }
    }
    await tx.runMany('INSERT INTO goods_movement_checks (movement_id, items, checked_at) VALUES (?, ?, ?)', checkRows);
    await this.deps.alerts.raise(tx, findings, new Map(stored.map((movement) => [movement.id, movement.declaration])));
    this.unitValues.append(stepValues);
    for (const value of stepValues) newValues.push(value);
  }

  /** The list alerts of movements checked before, whose episodes a new check continues. */
  private async listAlertsOf(tx: Db, movementIds: readonly string[]): Promise<Map<string, EarlierListAlert[]>> {
    const earlier = new Map<string, EarlierListAlert[]>();
    if (movementIds.length === 0) return earlier;
    const rows = await tx.all<{ movement_id: string; dedup_key: string; status: string; evidence: string }>(
      `SELECT movement_id, dedup_key, status, evidence FROM alerts
       WHERE movement_id IN (${movementIds.map(() => '?').join(', ')}) AND type IN ('goods.route_prohibited', 'goods.controlled')`,
      movementIds,
    );
    for (const row of rows) {
      const alert = { dedupKey: row.dedup_key, closed: row.status === 'closed', evidence: JSON.parse(row.evidence) as EarlierListAlert['evidence'] };
      const alerts = earlier.get(row.movement_id);
      if (alerts) alerts.push(alert);
      else earlier.set(row.movement_id, [alert]);
    }
    return earlier;
  }

  /** Appends what one checked item's hints raise; its list hits are raised per movement (`listFinding`). */
  private hintFindings(movement: CheckedMovement, item: GoodsItem, check: ItemCheck, findings: Finding[]): void {
    const base = { source: 'goods' as const, ruleVersion: RULE_VERSION, movementId: movement.id, itemIndex: check.itemIndex, observedAt: movement.declaredAt };
    const label = `item ${check.itemIndex + 1} (${check.hsCode}, ${item.description.slice(0, 60)})`;
    for (const hint of check.hints) {
      const type = hint.kind === 'misdeclared' ? 'goods.misdeclared' : hint.kind === 'mass_inconsistent' ? 'goods.mass_inconsistent' : 'goods.value_anomaly';
      const severity = hint.kind === 'misdeclared' ? 'high' : hint.kind === 'value_anomaly' ? 'medium' : 'low';
      findings.push({
        ...base,
        dedupKey: `goods:${movement.id}:${check.itemIndex}:${hint.kind}`,
        type,
        rule: hint.kind,
        severity,
        score: hint.kind === 'misdeclared' ? 0.75 : 0.5,
        title: `${label}: ${hint.message}`,
        evidence: { ...hint, hsCode: check.hsCode, description: item.description },
      });
    }
  }
}
