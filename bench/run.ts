// npm run bench [-- name …]: runs each bench/<name>.bench.ts in a process of its own, so one
// benchmark's heap and caches never colour the next one's figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(folder)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n=== ${name} (${new Date().toISOString()}, Node ${process.version})`);
  const script = `import(${JSON.stringify(path.join(folder, `${name}.bench.ts`))}).then((module) => module.run())`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', '-e', script], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
