import type { AlertService } from '../alerts/alert.service.js';
import type { Finding } from '../alerts/alert.js';
import type { Db } from '../db/db.js';
import type { Declaration, Party } from '../movements/declaration.js';
import { MovementQueue, type QueuedMovement } from '../movements/movement-queue.js';
import type { MovementObserver } from '../movements/movement.service.js';
import type { Clock } from '../shared/clock.js';
import type { PartyQuery } from './entity.js';
import type { ScreeningMatch } from './screening-index.js';
import type { ScreeningService } from './screening.service.js';

/** The declaration's parties that are screened, in the order an officer reads them. */
export const SCREENED_ROLES = ['consignor', 'consignee', 'holderOfTheTransitProcedure', 'carrier'] as const;
export type ScreenedRole = (typeof SCREENED_ROLES)[number];

export const SCREENING_RULE_VERSION = 'screening-1';
/** Movements screened per transaction by the background drain. */
const DRAIN_BATCH = 200;
/** Candidates kept with a party's stored result. */
const STORED_MATCHES = 5;

export interface PartyScreening {
  role: ScreenedRole;
  party: PartyQuery | null;
  /** Why a party was not screened (no name to compare); null when it was. */
  skipped: string | null;
  partyKey: string | null;
  matches: ScreeningMatch[];
  screenedAt: string;
}

/**
 * The party as the screening engine sees it. Declarations do not say whether a party is a person or a
 * company, so the schema stays open; the identification number is offered as an identifier both as
 * written and without its two-letter country prefix (EORI-style KZ123… against a listed BIN/INN).
 */
export const partyQueryOf = (party: Party): PartyQuery | null => {
  if (!party.name || party.name.replace(/[^\p{L}\p{N}]/gu, '').length < 2) return null;
  const query: PartyQuery = { name: party.name, schema: 'Any' };
  if (party.identificationNumber) {
    query.id = party.identificationNumber;
    const bare = party.identificationNumber.replace(/^[A-Z]{2}(?=\d)/, '');
    query.identifiers = [...new Set([party.identificationNumber, bare])].map((value) => ({ type: 'id', value }));
  }
  if (party.address?.country) query.country = party.address.country;
  return query;
};

const severityOf = (score: number): Finding['severity'] => (score >= 0.97 ? 'critical' : score >= 0.9 ? 'high' : 'medium');

/**
 * Screening of every declared party: a durable queue filled in the declaration's own transaction (so no
 * stored movement is ever missed, even if the process stops), drained in the background, and refilled for
 * the parties a list update could affect. Hits become `screening.hit` alerts keyed by movement, role and
 * list entry, so a re-screen refreshes the same alert.
 */
export class MovementScreening {
  private readonly queue: MovementQueue;

  constructor(private readonly deps: { db: Db; clock: Clock; screening: ScreeningService; alerts: AlertService }) {
    this.queue = new MovementQueue(deps.db, 'screening_queue');
  }

  readonly observer: MovementObserver = {
    declarationsStored: (tx, stored) => this.queue.enqueue(tx, stored.map((movement) => movement.id), 'declared', this.deps.clock.now().toISOString()),
  };

  /** Movements waiting to be screened. */
  pending(): Promise<number> {
    return this.queue.pending();
  }

  /** Screens queued movements until the queue is empty; returns how many were screened. */
  drain(onProgress: (screened: number) => void = () => undefined): Promise<number> {
    return this.queue.drain(DRAIN_BATCH, (batch, ids) => this.screenBatch(batch, ids), onProgress);
  }

  private async screenBatch(batch: readonly QueuedMovement[], ids: readonly string[]): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const results: { movementId: string; screenings: PartyScreening[] }[] = [];
    for (const movement of batch) results.push({ movementId: movement.id, screenings: await this.screenDeclaration(movement.declaration, now) });
    await this.deps.db.transaction(async (tx) => {
      const rows = results.flatMap(({ movementId, screenings }) =>
        screenings.map((s) => [movementId, s.role, s.partyKey, JSON.stringify(s.party), s.skipped, JSON.stringify(s.matches), s.matches.length, s.matches[0]?.score ?? 0, s.screenedAt]),
      );
      if (rows.length > 0) {
        await tx.run(`DELETE FROM party_screenings WHERE movement_id IN (${ids.map(() => '?').join(', ')})`, ids);
        await tx.runMany(
          `INSERT INTO party_screenings (movement_id, role, party_key, party, skipped, matches, hit_count, best_score, screened_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          rows,
        );
      }
      await this.deps.alerts.raise(tx, results.flatMap(({ movementId, screenings }) => screenings.flatMap((s) => this.findingsOf(movementId, s))));
      await this.queue.complete(tx, ids);
    });
  }

  async screenDeclaration(declaration: Declaration, now: string): Promise<PartyScreening[]> {
    const out: PartyScreening[] = [];
    for (const role of SCREENED_ROLES) {
      const party = declaration[role];
      if (!party) continue;
      const query = partyQueryOf(party);
      if (!query) {
        out.push({ role, party: null, skipped: 'no name to screen (identification number only)', partyKey: null, matches: [], screenedAt: now });
        continue;
      }
      const matches = await this.deps.screening.screenParty(query, { limit: STORED_MATCHES });
      out.push({ role, party: query, skipped: null, partyKey: this.deps.screening.partyKey(query), matches, screenedAt: now });
    }
    return out;
  }

  /**
   * One alert per party, not per list entry: a company called "Avangard" may come near a dozen listed
   * entries, and the officer decides about the party. The best match leads; every candidate is in the
   * evidence, and a false-positive decision suppresses them all for this party.
   */
  private findingsOf(movementId: string, screening: PartyScreening): Finding[] {
    const [best, ...others] = screening.matches;
    if (!best) return [];
    const more = others.length > 0 ? ` and ${others.length} more` : '';
    return [
      {
        dedupKey: `screening:${movementId}:${screening.role}`,
        type: 'screening.hit',
        source: 'screening',
        rule: 'party-screening',
        ruleVersion: SCREENING_RULE_VERSION,
        severity: severityOf(best.score),
        score: best.score,
        title: `${screening.role} "${screening.party?.name ?? ''}" matches ${best.source} entry "${best.name}" (${best.score.toFixed(2)})${more}`,
        movementId,
        partyKey: screening.partyKey,
        evidence: {
          role: screening.role,
          partyName: screening.party?.name,
          partyKey: screening.partyKey,
          entityId: best.entityId,
          entityIds: screening.matches.map((match) => match.entityId),
          source: best.source,
          listedName: best.name,
          schema: best.schema,
          score: best.score,
          summary: best.explanation.summary,
          explanation: best.explanation,
          otherMatches: others.map((match) => ({ entityId: match.entityId, source: match.source, name: match.name, score: match.score, summary: match.explanation.summary })),
        },
        observedAt: screening.screenedAt,
      },
    ];
  }

  /** The stored results of a movement's parties, in the order of SCREENED_ROLES. */
  async forMovement(movementId: string): Promise<{ pending: boolean; parties: PartyScreening[] }> {
    const rows = await this.deps.db.all<{ role: ScreenedRole; party_key: string | null; party: string; skipped: string | null; matches: string; screened_at: string }>(
      'SELECT role, party_key, party, skipped, matches, screened_at FROM party_screenings WHERE movement_id = ?',
      [movementId],
    );
    const queued = await this.queue.has(movementId);
    const parties = rows
      .map((row) => ({
        role: row.role,
        party: JSON.parse(row.party) as PartyQuery | null,
        skipped: row.skipped,
        partyKey: row.party_key,
        matches: JSON.parse(row.matches) as ScreeningMatch[],
        screenedAt: row.screened_at,
      }))
      .sort((a, b) => SCREENED_ROLES.indexOf(a.role) - SCREENED_ROLES.indexOf(b.role));
    return { pending: queued, parties };
  }

  /**
   * After a list import: queues the movements whose result could change. A party that hit an entry now
   * changed or removed is re-screened; so is a party whose name comes near an added or changed entry, found
   * by screening every stored party against an index of those entries alone, which is small and fast.
   * Returns how many movements were queued.
   */
  async requeueForChanges(versionIds: readonly string[]): Promise<number> {
    const changes = (await Promise.all(versionIds.map((id) => this.deps.screening.changesOf(id)))).flat();
    if (changes.length === 0) return 0;
    const touched = new Set(changes.filter((change) => change.change !== 'added').map((change) => change.entityId));
    const fresh = new Set(changes.filter((change) => change.change !== 'removed').map((change) => change.entityId));
    const freshEntities = await this.deps.screening.activeEntitiesById([...fresh]);
    const small = freshEntities.length > 0 ? this.deps.screening.indexOver(freshEntities) : null;
    const requeue = new Set<string>();
    const rows = await this.deps.db.all<{ movement_id: string; party: string; matches: string }>('SELECT movement_id, party, matches FROM party_screenings WHERE party IS NOT NULL');
    for (const row of rows) {
      if (requeue.has(row.movement_id)) continue;
      const matches = JSON.parse(row.matches) as ScreeningMatch[];
      if (matches.some((match) => touched.has(match.entityId))) {
        requeue.add(row.movement_id);
        continue;
      }
      const party = JSON.parse(row.party) as PartyQuery | null;
      if (party && small && small.search(party, { limit: 1 }).length > 0) requeue.add(row.movement_id);
    }
    await this.queue.enqueue(this.deps.db, [...requeue], 'list changed', this.deps.clock.now().toISOString());
    return requeue.size;
  }
}
