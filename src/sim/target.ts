import type { SimRecord } from './dataset.js';
import type { TrafficFeed } from './feed.js';

export interface TargetOptions {
  /** Base URL of a running Caravan, e.g. http://127.0.0.1:8080 */
  url: string;
  /** A machine token (Authorization: Bearer) with declarations, events and telemetry write permissions. */
  token: string;
  /** Records per request at most. */
  batchSize?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Called after each request with the number of records sent so far. */
  onSent?(sent: { declarations: number; events: number; telemetry: number }): void;
}

export interface TargetReport {
  sent: { declarations: number; events: number; telemetry: number };
  /** Records the server refused or rejected, with its reasons (first 50). */
  problems: string[];
  problemCount: number;
}

const PATHS = {
  declaration: '/api/v1/movements/bulk',
  event: '/api/v1/events/bulk',
  telemetry: '/api/v1/telemetry',
} as const;

type SentKind = keyof typeof PATHS;

const countProblems = (body: unknown): string[] => {
  if (typeof body !== 'object' || body === null) return [];
  const problems: string[] = [];
  for (const key of ['rejected', 'refused']) {
    const list = (body as Record<string, unknown>)[key];
    if (Array.isArray(list)) {
      for (const item of list) problems.push(`${key}: ${JSON.stringify(item).slice(0, 300)}`);
    } else if (typeof list === 'number' && list > 0) {
      problems.push(`${key}: ${list} records`);
    }
  }
  return problems;
};

/**
 * Sends a feed to a running server through the public API, in time order: what is due now at once, the
 * rest as its time comes (the server's clock is the wall clock, so future telemetry would be refused).
 * Records are sent in windows of one batch; within a window declarations go first, then events, then
 * telemetry, so a movement always exists before its events and messages arrive.
 */
export const sendToServer = async (feed: TrafficFeed, options: TargetOptions): Promise<TargetReport> => {
  const base = options.url.replace(/\/+$/, '');
  const batchSize = options.batchSize ?? 1000;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const sent = { declarations: 0, events: 0, telemetry: 0 };
  const problems: string[] = [];
  let problemCount = 0;

  const post = async (kind: SentKind, records: SimRecord[]): Promise<void> => {
    if (records.length === 0) return;
    const response = await fetch(`${base}${PATHS[kind]}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/x-ndjson' },
      body: `${records.map((record) => JSON.stringify(record.record)).join('\n')}\n`,
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${PATHS[kind]} answered ${response.status}: ${text.slice(0, 500)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const found = countProblems(body);
    problemCount += found.length;
    for (const problem of found) if (problems.length < 50) problems.push(problem);
    if (kind === 'declaration') sent.declarations += records.length;
    else if (kind === 'event') sent.events += records.length;
    else sent.telemetry += records.length;
    options.onSent?.(sent);
  };

  while (!feed.done) {
    const window = feed.takeUntil(now(), batchSize);
    if (window.length === 0) {
      const next = feed.nextTime();
      if (!next) break;
      await sleep(Math.min(30_000, Math.max(250, next.getTime() - now().getTime())));
      continue;
    }
    await post('declaration', window.filter((record) => record.kind === 'declaration'));
    await post('event', window.filter((record) => record.kind === 'event'));
    await post('telemetry', window.filter((record) => record.kind === 'telemetry'));
  }
  return { sent, problems, problemCount };
};
