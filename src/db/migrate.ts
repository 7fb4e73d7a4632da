import type { Db } from './db.js';
import { migrations as released } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';

/**
 * Forward-only: applies, in order, every migration the store has not recorded yet. Tests of a migration
 * pass the ones before it, to hold rows in the shape it converts.
 */
export const migrate = async (db: Db, migrations: readonly Migration[] = released): Promise<string[]> => {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    (await db.all<{ id: string }>('SELECT id FROM schema_migrations')).map((row) => row.id),
  );
  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    const script = typeof migration.up === 'string' ? migration.up : migration.up[db.dialect];
    // Each migration and its bookkeeping row commit together, so a crash never leaves one half-applied.
    await db.transaction(async (tx) => {
      await tx.exec(script);
      await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [
        migration.id,
        new Date().toISOString(),
      ]);
    });
    newlyApplied.push(migration.id);
  }
  return newlyApplied;
};
