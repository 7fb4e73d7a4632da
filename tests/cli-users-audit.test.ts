import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';

const caravan = (dataDir: string, args: string[], input?: string) =>
  spawnSync(process.execPath, ['bin/caravan.js', '--data-dir', dataDir, ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });

describe('caravan users and audit (CLI)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'caravan-cli-audit-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the first admin once, verifies the audit chain, and names the row altered behind its back', () => {
    const created = caravan(dataDir, ['users', 'create-admin', 'chief', '--password-stdin'], 'a-long-secret-1\n');
    assert.equal(created.status, 0, created.stderr);
    const again = caravan(dataDir, ['users', 'create-admin', 'deputy', '--password-stdin'], 'a-long-secret-2\n');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
    const officer = caravan(dataDir, ['users', 'create', 'border-1', '--role', 'officer', '--offices', 'KZ000135', '--password-stdin'], 'a-long-secret-3\n');
    assert.equal(officer.status, 0, officer.stderr);
    const token = caravan(dataDir, ['tokens', 'create', 'eseal-operator', '--scopes', 'telemetry:write']);
    assert.equal(token.status, 0, token.stderr);
    assert.match(token.stdout, /^cvn_/);

    const intact = caravan(dataDir, ['audit', 'verify']);
    assert.equal(intact.status, 0, intact.stderr);
    assert.match(intact.stdout, /intact: 3 records/);

    const db = new Database(join(dataDir, 'caravan.db'));
    db.prepare("UPDATE audit_log SET details = '{}' WHERE seq = 2").run();
    db.close();
    const broken = caravan(dataDir, ['audit', 'verify']);
    assert.equal(broken.status, 1);
    assert.match(broken.stdout, /BROKEN at record 2/);
    const exported = caravan(dataDir, ['audit', 'export']).stdout.trim().split('\n');
    assert.equal(exported.length, 3);
    assert.ok(!exported.join('\n').includes('a-long-secret'));
  });
});
