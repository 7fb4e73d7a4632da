#!/usr/bin/env node
// Runs every *.test.ts under src/ and tests/ with Node's own test runner (Node 20 has no --test globs).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'tests'];

const collect = (entry) => {
  let stats;
  try {
    stats = statSync(entry);
  } catch {
    return [];
  }
  if (stats.isFile()) return entry.endsWith('.test.ts') ? [entry] : [];
  return readdirSync(entry)
    .filter((name) => name !== 'node_modules')
    .flatMap((name) => collect(path.join(entry, name)));
};

const files = roots.flatMap(collect).sort();
if (files.length === 0) {
  console.error(`No test files found under ${roots.join(', ')}`);
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
