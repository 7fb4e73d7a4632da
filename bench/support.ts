import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export const timeMs = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

/**
 * Wall time and the process's CPU time (all threads) of one step. On a machine shared with other work
 * the wall time swings with the load while the CPU time mostly does not, so comparisons lean on it.
 */
export const timeWithCpu = async (fn: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> => {
  const cpuBefore = process.cpuUsage();
  const ms = await timeMs(fn);
  const cpu = process.cpuUsage(cpuBefore);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
};

export const report = (label: string, figures: Record<string, string | number>): void => {
  const parts = Object.entries(figures).map(([key, value]) => `${key}=${typeof value === 'number' ? Number(value.toFixed(2)) : value}`);
  console.log(`${label.padEnd(44)} ${parts.join('  ')}`);
};

export const withTempDir = async <T>(fn: (dir: string) => Promise<T>): Promise<T> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caravan-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Seeded, so every run measures the same data. */
export const seededRandom = (seed: number) => {
  const generator = xoroshiro128plus(seed);
  const next = () => uniformFloat64(generator);
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
};
