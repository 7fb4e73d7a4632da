import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'caravan.js');
const RECORDS = 30_000;
const CHUNK = 500;

describe('import killed mid-file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caravan-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every committed chunk whole, leaves nothing half-stored, and a re-run completes without duplicates', async () => {
    const example = JSON.parse(readFileSync(path.join(root, 'docs', 'examples', 'declaration.json'), 'utf8')) as Record<string, unknown>;
    const file = path.join(dir, 'declarations.ndjson');
    writeFileSync(file, Array.from({ length: RECORDS }, (_, index) => JSON.stringify({ ...example, lrn: `CRASH-${index}` })).join('\n'));
    const dataDir = path.join(dir, 'store');
    const database = path.join(dataDir, 'caravan.db');

    const child = spawn(process.execPath, [cli, '--data-dir', dataDir, 'movements', 'import', file], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let killedAfter = 0;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      try {
        const probe = new Database(database, { readonly: true, fileMustExist: true });
        killedAfter = Number((probe.prepare('SELECT COUNT(*) AS n FROM movements').get() as { n: number }).n);
        probe.close();
      } catch {
        continue;
      }
      if (killedAfter > 0) break;
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const db = new Database(database);
    const count = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
    const movements = count('SELECT COUNT(*) AS n FROM movements');
    assert.ok(movements > 0 && movements < RECORDS, `killed with ${movements} stored`);
    assert.equal(movements % CHUNK, 0, 'only whole chunks are committed');
    assert.equal(count("SELECT COUNT(*) AS n FROM movement_events WHERE type = 'submitted'"), movements);
    assert.equal(count('SELECT COUNT(*) AS n FROM movements m WHERE NOT EXISTS (SELECT 1 FROM movement_search s WHERE s.movement_id = m.id)'), 0);
    assert.equal(count('SELECT COUNT(*) AS n FROM movement_search s WHERE NOT EXISTS (SELECT 1 FROM movements m WHERE m.id = s.movement_id)'), 0);
    db.close();

    const rerun = spawnSync(process.execPath, [cli, '--data-dir', dataDir, 'movements', 'import', file, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const report = JSON.parse(rerun.stdout) as { accepted: number; rejected: { code: string }[] };
    assert.equal(report.accepted, RECORDS - movements);
    assert.equal(report.rejected.length, movements);
    assert.ok(report.rejected.every((record) => record.code === 'duplicate'));
    const final = new Database(database, { readonly: true });
    assert.equal(Number((final.prepare('SELECT COUNT(DISTINCT lrn) AS n FROM movements').get() as { n: number }).n), RECORDS);
    final.close();
  });
});
