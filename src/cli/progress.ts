import cliProgress from 'cli-progress';

export interface Progress {
  tick(by?: number): void;
  stop(): void;
}

/** A progress bar on stderr when a person watches; silent when output goes to a file or pipe. */
export const startProgress = (label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress => {
  if (!stream.isTTY || total <= 0) return { tick: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (by = 1) => bar.increment(by), stop: () => bar.stop() };
};

/**
 * Runs work that reports how much of it is done so far (a running total), with a bar while it runs;
 * the bar is stopped however the work ends.
 */
export const withProgress = async <T>(label: string, total: number, work: (done: (count: number) => void) => Promise<T>): Promise<T> => {
  const progress = startProgress(label, total);
  let shown = 0;
  try {
    return await work((count) => {
      progress.tick(count - shown);
      shown = count;
    });
  } finally {
    progress.stop();
  }
};
