import type { Db, SqlValue } from '../db/db.js';
import { contentHash, type SanctionEntity } from './entity.js';
import { countChanges, diffSnapshots, type EntityChange } from './list-diff.js';

export interface ListVersion {
  id: string;
  source: string;
  version: number;
  format: string;
  files: string[];
  publishedAt: string | null;
  importedAt: string;
  entityCount: number;
  added: number;
  removed: number;
  changed: number;
  rejected: number;
  active: boolean;
}

export interface NewListVersion {
  id: string;
  source: string;
  format: string;
  files: string[];
  publishedAt: string | null;
  importedAt: string;
  rejected: number;
  entities: SanctionEntity[];
}

export interface Suppression {
  id: string;
  partyKey: string;
  entityId: string;
  contentHash: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

interface VersionRow {
  id: string;
  source: string;
  version: number | string;
  format: string;
  files: string;
  published_at: string | null;
  imported_at: string;
  entity_count: number | string;
  added: number | string;
  removed: number | string;
  changed: number | string;
  rejected: number | string;
  active: number | string;
}

const toVersion = (row: VersionRow): ListVersion => ({
  id: row.id,
  source: row.source,
  version: Number(row.version),
  format: row.format,
  files: JSON.parse(row.files) as string[],
  publishedAt: row.published_at,
  importedAt: row.imported_at,
  entityCount: Number(row.entity_count),
  added: Number(row.added),
  removed: Number(row.removed),
  changed: Number(row.changed),
  rejected: Number(row.rejected),
  active: Number(row.active) === 1,
});

/** Many rows per INSERT: one round trip per chunk on PostgreSQL instead of one per row. */
const insertChunked = async (db: Db, table: string, columns: string[], rows: SqlValue[][]): Promise<void> => {
  const chunk = 200;
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    await db.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => placeholders).join(', ')}`,
      part.flat(),
    );
  }
};

const VERSION_COLUMNS =
  'id, source, version, format, files, published_at, imported_at, entity_count, added, removed, changed, rejected, active';

export interface ScreeningRepository {
  /** Stores a snapshot as the new active version of its source and records its changes against the previous one. */
  saveVersion(input: NewListVersion): Promise<{ version: ListVersion; changes: EntityChange[] }>;
  versions(): Promise<ListVersion[]>;
  /** By id, or "source@version", or "source" (its active version). */
  findVersion(ref: string): Promise<ListVersion | undefined>;
  activeEntities(): Promise<{ entity: SanctionEntity; contentHash: string }[]>;
  versionHashes(versionId: string): Promise<Map<string, string>>;
  changes(versionId: string): Promise<EntityChange[]>;
  addSuppression(suppression: Suppression): Promise<void>;
  suppressions(partyKey: string): Promise<Suppression[]>;
}

export const screeningRepository = (db: Db): ScreeningRepository => {
  const versionHashes = async (versionId: string, tx: Db = db): Promise<Map<string, string>> => {
    const rows = await tx.all<{ entity_id: string; content_hash: string }>(
      'SELECT entity_id, content_hash FROM screening_entities WHERE version_id = ?',
      [versionId],
    );
    return new Map(rows.map((r) => [r.entity_id, r.content_hash]));
  };

  return {
    versionHashes,
    async saveVersion(input) {
      const hashed = new Map<string, { entity: SanctionEntity; hash: string }>();
      for (const entity of input.entities) hashed.set(entity.id, { entity, hash: contentHash(entity) });
      return db.transaction(async (tx) => {
        const previous = await tx.get<VersionRow>(
          `SELECT ${VERSION_COLUMNS} FROM screening_list_versions WHERE source = ? AND active = 1`,
          [input.source],
        );
        const last = await tx.get<{ version: number | string | null }>(
          'SELECT MAX(version) AS version FROM screening_list_versions WHERE source = ?',
          [input.source],
        );
        const before = previous ? await versionHashes(previous.id, tx) : new Map<string, string>();
        const changes = diffSnapshots(before, new Map([...hashed].map(([id, { hash }]) => [id, hash])));
        const counts = countChanges(changes);
        const version: ListVersion = {
          id: input.id,
          source: input.source,
          version: Number(last?.version ?? 0) + 1,
          format: input.format,
          files: input.files,
          publishedAt: input.publishedAt,
          importedAt: input.importedAt,
          entityCount: hashed.size,
          ...counts,
          rejected: input.rejected,
          active: true,
        };
        if (previous) await tx.run('UPDATE screening_list_versions SET active = 0 WHERE id = ?', [previous.id]);
        await tx.run(
          `INSERT INTO screening_list_versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
          [version.id, version.source, version.version, version.format, JSON.stringify(version.files), version.publishedAt,
            version.importedAt, version.entityCount, version.added, version.removed, version.changed, version.rejected],
        );
        await insertChunked(tx, 'screening_entities', ['version_id', 'entity_id', 'content_hash', 'data'],
          [...hashed.values()].map(({ entity, hash }) => [version.id, entity.id, hash, JSON.stringify(entity)]));
        await insertChunked(tx, 'screening_list_changes', ['version_id', 'entity_id', 'change'],
          changes.map((c) => [version.id, c.entityId, c.change]));
        return { version, changes };
      });
    },
    async versions() {
      const rows = await db.all<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM screening_list_versions ORDER BY source, version`);
      return rows.map(toVersion);
    },
    async findVersion(ref) {
      const at = ref.lastIndexOf('@');
      const row = at > 0
        ? await db.get<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM screening_list_versions WHERE source = ? AND version = ?`,
          [ref.slice(0, at), Number(ref.slice(at + 1)) || -1])
        : (await db.get<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM screening_list_versions WHERE id = ?`, [ref])) ??
          (await db.get<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM screening_list_versions WHERE source = ? AND active = 1`, [ref]));
      return row ? toVersion(row) : undefined;
    },
    async activeEntities() {
      const rows = await db.all<{ data: string; content_hash: string }>(
        `SELECT e.data, e.content_hash FROM screening_entities e
           JOIN screening_list_versions v ON v.id = e.version_id
          WHERE v.active = 1 ORDER BY e.entity_id`,
      );
      return rows.map((r) => ({ entity: JSON.parse(r.data) as SanctionEntity, contentHash: r.content_hash }));
    },
    async changes(versionId) {
      const rows = await db.all<{ entity_id: string; change: EntityChange['change'] }>(
        'SELECT entity_id, change FROM screening_list_changes WHERE version_id = ? ORDER BY entity_id',
        [versionId],
      );
      return rows.map((r) => ({ entityId: r.entity_id, change: r.change }));
    },
    async addSuppression(s) {
      await db.run(
        `INSERT INTO screening_suppressions (id, party_key, entity_id, content_hash, reason, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (party_key, entity_id, content_hash) DO NOTHING`,
        [s.id, s.partyKey, s.entityId, s.contentHash, s.reason, s.createdBy, s.createdAt],
      );
    },
    async suppressions(partyKey) {
      const rows = await db.all<{
        id: string; party_key: string; entity_id: string; content_hash: string; reason: string; created_by: string; created_at: string;
      }>('SELECT id, party_key, entity_id, content_hash, reason, created_by, created_at FROM screening_suppressions WHERE party_key = ? ORDER BY created_at', [partyKey]);
      return rows.map((r) => ({
        id: r.id, partyKey: r.party_key, entityId: r.entity_id, contentHash: r.content_hash,
        reason: r.reason, createdBy: r.created_by, createdAt: r.created_at,
      }));
    },
  };
};
