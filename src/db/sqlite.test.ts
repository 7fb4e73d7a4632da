import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { openSqlite } from './sqlite.js';

describe('SQLite store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'caravan-sqlite-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('copies a grown write-ahead log into the database file in the background, and closes cleanly', async () => {
    const file = path.join(dir, 'wal.db');
    const db = openSqlite({ file });
    await db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const body = 'x'.repeat(2000);
    // About 8 MB: past the size at which the checkpointer starts, far below SQLite's own raised threshold.
    for (let batch = 0; batch < 8; batch++) {
      await db.runMany('INSERT INTO blobs (id, body) VALUES (?, ?)', Array.from({ length: 500 }, (_, row) => [batch * 500 + row, body]));
    }
    assert.ok(statSync(`${file}-wal`).size > 4_000_000, 'the rows are in the WAL');
    const deadline = Date.now() + 20_000;
    while (statSync(file).size < 4_000_000 && Date.now() < deadline) await delay(50);
    assert.ok(statSync(file).size >= 4_000_000, `database file holds ${statSync(file).size} bytes: the WAL was never copied back`);
    assert.deepEqual(await db.get('SELECT COUNT(*) AS n FROM blobs'), { n: 4000 });
    await db.close();
  });

  it('writes many rows, each with its own outcome: conflicts skipped, upserts applied in order', async () => {
    const db = openSqlite({ file: path.join(dir, 'rows.db') });
    await db.exec('CREATE TABLE pairs (a INTEGER PRIMARY KEY, b TEXT)');
    const rows = Array.from({ length: 203 }, (_, index) => [index % 150, `v${index}`]);
    const inserted = await db.runMany('INSERT INTO pairs (a, b) VALUES (?, ?) ON CONFLICT (a) DO NOTHING', rows);
    assert.equal(inserted.changes, 150);
    assert.deepEqual(await db.get('SELECT b FROM pairs WHERE a = 149'), { b: 'v149' });
    assert.deepEqual(await db.get('SELECT b FROM pairs WHERE a = 0'), { b: 'v0' });
    const upserted = await db.runMany('INSERT INTO pairs (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = excluded.b', [[1, 'first'], [1, 'second']]);
    assert.equal(upserted.changes, 2);
    assert.deepEqual(await db.get('SELECT b FROM pairs WHERE a = 1'), { b: 'second' });
    await db.close();
  });
});
