import { Command } from 'commander';
import { storeDescription } from '../db/connect.js';
import { buildHttpApp } from '../http/app.js';
import { configFor, openContext } from './context.js';
import { openDemo } from './demo.js';

const openDemoContext = async (command: Command, options: { port?: string; host?: string }) => {
  const config = configFor(command, { port: options.port, host: options.host });
  process.stderr.write(`Preparing the demo store under ${config.dataDir}/demo …\n`);
  const { context, demo } = await openDemo(config);
  context.backgroundTasks.push({ name: 'demo traffic', everySeconds: 10, run: () => demo.liveTraffic() });
  return context;
};

export const serveCommand = (): Command =>
  new Command('serve')
    .description('Start the HTTP API (and UI) on the configured store')
    .option('--port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
    .option('--demo', 'serve a fresh demo store (<data-dir>/demo, SQLite, recreated at each start) with live simulated traffic')
    .action(async (options: { port?: string; host?: string; demo?: boolean }, command: Command) => {
      const context = options.demo
        ? await openDemoContext(command, options)
        : await openContext(command, { port: options.port, host: options.host });
      const app = await buildHttpApp(context, { logLevel: context.config.logLevel, bodyLimitBytes: context.config.bodyLimitBytes });
      const timers = context.backgroundTasks.map((task) => {
        let running = false;
        const timer = setInterval(() => {
          if (running) return;
          running = true;
          task
            .run()
            .catch((error: unknown) => app.log.error({ err: error }, `${task.name} failed`))
            .finally(() => (running = false));
        }, task.everySeconds * 1000);
        timer.unref();
        return timer;
      });
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        app.log.info(`${signal} received, shutting down`);
        for (const timer of timers) clearInterval(timer);
        await app.close();
        await context.close();
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      for (const task of context.backgroundTasks) await task.run();
      await app.listen({ port: context.config.port, host: context.config.host });
      app.log.info(`Caravan on http://${context.config.host === '0.0.0.0' ? 'localhost' : context.config.host}:${context.config.port} — store: ${storeDescription(context.config)}; API docs at /api/docs`);
    });
