import type { Db } from '../db/db.js';
import type { Clock } from '../shared/clock.js';
import { DomainError, type FieldIssue, notFound } from '../shared/errors.js';
import type { IdGenerator } from '../shared/ids.js';
import { compareNames, type NameComparison } from './compare.js';
import type { PartyQuery, QuerySchema, SanctionEntity } from './entity.js';
import { type ListFormat, type LoadedListFile, type LoadOptions, isOfacCompanion, loadListFile } from './list-files.js';
import { diffSnapshots, type EntityChange } from './list-diff.js';
import { parseName } from './name.js';
import { loadVocabulary, type NameVocabulary } from './name-vocabulary.js';
import type { RejectedRecord } from './parsers/parse-result.js';
import { buildScreeningIndex, type ScreeningIndex, type ScreeningMatch, type SearchOptions } from './screening-index.js';
import { type ListVersion, type ScreeningRepository, screeningRepository } from './screening.repository.js';
import { type ScoringConfig, scoringConfig } from './scoring-config.js';

/** Longest name accepted for screening; longer input is a mistake, not a name. */
export const MAX_NAME_LENGTH = 500;
/** How often a running server looks for list versions imported by another process. */
const STALE_CHECK_MS = 5_000;
const SCHEMAS: readonly QuerySchema[] = ['Person', 'Organization', 'Vessel', 'Aircraft', 'Any'];

export interface ImportResult {
  versions: { version: ListVersion; changes: EntityChange[] }[];
  rejected: (RejectedRecord & { file: string })[];
}

export interface CompareResult {
  score: number;
  match: boolean;
  explanation: NameComparison & { summary: string };
}

export interface ScreeningServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  vocabulary: NameVocabulary;
  config: ScoringConfig;
}

/** Checks a party before screening: a DomainError naming the field, never a crash on odd input. */
export const validateParty = (party: unknown, path = ''): PartyQuery => {
  const issues: FieldIssue[] = [];
  const at = (field: string): string => (path ? `${path}/${field}` : field);
  if (!party || typeof party !== 'object') throw new DomainError('validation', 'A party must be an object', [{ path, message: 'not an object' }]);
  const p = party as Record<string, unknown>;
  const name = typeof p.name === 'string' ? p.name : '';
  if (typeof p.name !== 'string') issues.push({ path: at('name'), message: 'is required and must be text' });
  else if (name.length > MAX_NAME_LENGTH) issues.push({ path: at('name'), message: `is longer than ${MAX_NAME_LENGTH} characters` });
  else if (name.replace(/[^\p{L}\p{N}]/gu, '').length < 2) issues.push({ path: at('name'), message: 'needs at least two letters or digits' });
  if (p.schema !== undefined && !SCHEMAS.includes(p.schema as QuerySchema)) issues.push({ path: at('schema'), message: `must be one of ${SCHEMAS.join(', ')}` });
  for (const field of ['id', 'birthDate', 'country'] as const) {
    if (p[field] !== undefined && typeof p[field] !== 'string') issues.push({ path: at(field), message: 'must be text' });
  }
  if (issues.length > 0) throw new DomainError('validation', 'Invalid party', issues);
  const query: PartyQuery = { name };
  if (typeof p.id === 'string') query.id = p.id;
  if (p.schema !== undefined) query.schema = p.schema as QuerySchema;
  if (typeof p.birthDate === 'string') query.birthDate = p.birthDate;
  if (typeof p.country === 'string') query.country = p.country;
  if (Array.isArray(p.identifiers)) {
    query.identifiers = p.identifiers
      .filter((i): i is { type?: unknown; value: string } => !!i && typeof (i as { value?: unknown }).value === 'string')
      .map((i) => ({ type: typeof i.type === 'string' ? i.type : 'id', value: i.value }));
  }
  return query;
};

/**
 * Screening over the active list versions: imports snapshots, keeps the in-memory index in step with
 * them, answers single and batch searches, pairwise comparisons, and false-positive suppressions.
 */
export class ScreeningService {
  private readonly repository: ScreeningRepository;
  private cached: { index: ScreeningIndex; hashes: Map<string, string>; activeVersions: string } | null = null;
  private checkedAt = 0;

  constructor(private readonly deps: ScreeningServiceDeps) {
    this.repository = screeningRepository(deps.db);
  }

  /**
   * Parses every file first; only when all parse are the snapshots stored (one new version per source),
   * so a malformed file leaves every previous version active.
   */
  async importFiles(
    files: string[],
    options: { format?: ListFormat; source?: string; ofacCompanionDir?: string } = {},
    onFile: (file: string) => void = () => undefined,
  ): Promise<ImportResult> {
    const loaded: LoadedListFile[] = [];
    for (const file of files) {
      if (isOfacCompanion(file)) {
        onFile(file);
        continue;
      }
      const load: LoadOptions = {};
      if (options.format) load.format = options.format;
      if (options.source) load.source = options.source;
      if (options.ofacCompanionDir) load.ofacCompanionDir = options.ofacCompanionDir;
      loaded.push(loadListFile(file, load));
      onFile(file);
    }
    if (loaded.length === 0) throw new DomainError('validation', 'No list file to import', [{ path: 'files', message: 'empty' }]);
    const bySource = new Map<string, LoadedListFile[]>();
    for (const item of loaded) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
    const result: ImportResult = { versions: [], rejected: [] };
    for (const [source, items] of bySource) {
      const entities = new Map<string, SanctionEntity>();
      for (const item of items) for (const entity of item.entities) if (!entities.has(entity.id)) entities.set(entity.id, entity);
      const rejected = items.flatMap((item) => item.rejected.map((r) => ({ ...r, file: item.file })));
      result.rejected.push(...rejected);
      result.versions.push(
        await this.repository.saveVersion({
          id: this.deps.ids.next(),
          source,
          format: [...new Set(items.map((i) => i.format))].join(','),
          files: items.map((i) => i.file),
          publishedAt: items.map((i) => i.publishedAt).find((p) => p !== null) ?? null,
          importedAt: this.deps.clock.now().toISOString(),
          rejected: rejected.length,
          entities: [...entities.values()],
        }),
      );
    }
    this.cached = null;
    return result;
  }

  versions(): Promise<ListVersion[]> {
    return this.repository.versions();
  }

  /** Entries added, removed and changed going from version a to version b (ids, "source@n" or a source name). */
  async diff(a: string, b: string): Promise<{ from: ListVersion; to: ListVersion; changes: EntityChange[] }> {
    const from = await this.repository.findVersion(a);
    if (!from) throw notFound('list version', a);
    const to = await this.repository.findVersion(b);
    if (!to) throw notFound('list version', b);
    const changes = diffSnapshots(await this.repository.versionHashes(from.id), await this.repository.versionHashes(to.id));
    return { from, to, changes };
  }

  /** Entities whose change in a version could change a stored party's result: re-screen parties that hit or may hit them. */
  changesOf(versionId: string): Promise<EntityChange[]> {
    return this.repository.changes(versionId);
  }

  /** The active version ids: another process (the CLI) may import while the server runs. */
  private async activeVersions(): Promise<string> {
    const rows = await this.deps.db.all<{ id: string }>('SELECT id FROM screening_list_versions WHERE active = 1 ORDER BY id');
    return rows.map((row) => row.id).join(',');
  }

  private async current(): Promise<{ index: ScreeningIndex; hashes: Map<string, string> }> {
    const now = Date.now();
    if (this.cached && now - this.checkedAt > STALE_CHECK_MS) {
      this.checkedAt = now;
      if ((await this.activeVersions()) !== this.cached.activeVersions) this.cached = null;
    }
    if (!this.cached) {
      const activeVersions = await this.activeVersions();
      const active = await this.repository.activeEntities();
      this.checkedAt = now;
      this.cached = {
        index: buildScreeningIndex(active.map((a) => a.entity), this.deps.vocabulary, this.deps.config),
        hashes: new Map(active.map((a) => [a.entity.id, a.contentHash])),
        activeVersions,
      };
    }
    return this.cached;
  }

  /** The index over active lists (built on first use, rebuilt after an import). */
  async index(): Promise<ScreeningIndex> {
    return (await this.current()).index;
  }

  /** Active entries with these ids (the entries a new version added or changed). */
  async activeEntitiesById(ids: readonly string[]): Promise<SanctionEntity[]> {
    const { index } = await this.current();
    return ids.map((id) => index.entity(id)).filter((entity): entity is SanctionEntity => entity !== undefined);
  }

  /** An index over a few entries only: to find which stored parties a list change could concern. */
  indexOver(entities: readonly SanctionEntity[]): ScreeningIndex {
    return buildScreeningIndex([...entities], this.deps.vocabulary, this.deps.config);
  }

  /** Stable key of a party for suppressions: its id when it has one, else its romanised name. */
  partyKey(party: PartyQuery): string {
    if (party.id) return `id:${party.id}`;
    const parsed = parseName(party.name, 'any', this.deps.vocabulary, this.deps.config);
    return `name:${parsed.tokens.map((t) => t.light).join(' ')}`;
  }

  /** Screens one party against all active lists; hits a reviewer suppressed for this party (and unchanged since) are left out. */
  async screenParty(input: unknown, options: SearchOptions = {}): Promise<ScreeningMatch[]> {
    const party = validateParty(input);
    const { index, hashes } = await this.current();
    const matches = index.search(party, options);
    if (matches.length === 0) return matches;
    const suppressed = await this.repository.suppressions(this.partyKey(party));
    if (suppressed.length === 0) return matches;
    const live = new Set(suppressed.filter((s) => hashes.get(s.entityId) === s.contentHash).map((s) => s.entityId));
    return matches.filter((m) => !live.has(m.entityId));
  }

  /** Screens many parties; a bad one gets its error and the rest are still screened. */
  async screenBatch(
    inputs: unknown[],
    options: SearchOptions = {},
  ): Promise<({ ok: true; matches: ScreeningMatch[] } | { ok: false; error: DomainError })[]> {
    const out: ({ ok: true; matches: ScreeningMatch[] } | { ok: false; error: DomainError })[] = [];
    for (const input of inputs) {
      try {
        out.push({ ok: true, matches: await this.screenParty(input, options) });
      } catch (error) {
        if (error instanceof DomainError) out.push({ ok: false, error });
        else throw error;
      }
    }
    return out;
  }

  /** Compares two names directly, without the lists. */
  compare(a: string, b: string, schema: QuerySchema = 'Any', threshold: number = this.deps.config.defaultThreshold): CompareResult {
    const hint = schema === 'Person' ? 'person' : schema === 'Organization' ? 'organization' : 'any';
    validateParty({ name: a }, 'a');
    validateParty({ name: b }, 'b');
    const comparison = compareNames(
      parseName(a, hint, this.deps.vocabulary, this.deps.config),
      parseName(b, hint, this.deps.vocabulary, this.deps.config),
      this.deps.config,
    );
    const score = Math.round(comparison.score * 1000) / 1000;
    const summary = [
      comparison.pairs.map((p) => `"${p.query}"→"${p.candidate}" ${p.method} ${p.score.toFixed(2)}`).join('; ') || 'no tokens matched',
      ...(comparison.unmatchedQuery.length ? [`only in a: ${comparison.unmatchedQuery.join(', ')}`] : []),
      ...(comparison.unmatchedCandidate.length ? [`only in b: ${comparison.unmatchedCandidate.join(', ')}`] : []),
      ...comparison.adjustments.map((x) => `${x.reason} (${x.delta.toFixed(2)})`),
    ].join('; ');
    return { score, match: score >= threshold, explanation: { ...comparison, summary } };
  }

  /** Marks a hit as a false positive for a party; it lapses as soon as the list entry's content changes. */
  async suppress(input: { party: PartyQuery | { key: string }; entityId: string; reason: string; by: string }): Promise<void> {
    const { hashes } = await this.current();
    const hash = hashes.get(input.entityId);
    if (!hash) throw notFound('active list entry', input.entityId);
    if (!input.reason.trim()) throw new DomainError('validation', 'A suppression needs a reason', [{ path: 'reason', message: 'is empty' }]);
    await this.repository.addSuppression({
      id: this.deps.ids.next(),
      partyKey: 'key' in input.party ? input.party.key : this.partyKey(input.party),
      entityId: input.entityId,
      contentHash: hash,
      reason: input.reason,
      createdBy: input.by,
      createdAt: this.deps.clock.now().toISOString(),
    });
  }
}

/** The service over an app context: vocabularies read from the reference directory, default scoring. */
export const createScreeningService = (context: {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  config: { referenceDir: string };
}): ScreeningService =>
  new ScreeningService({
    db: context.db,
    clock: context.clock,
    ids: context.ids,
    vocabulary: loadVocabulary(context.config.referenceDir),
    config: scoringConfig,
  });
