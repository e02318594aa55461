// `npm run test:dolphin`: runs the real-server suite (test-real/) and prints its duration.
// Skipped, with the reason, only when Java or Maven is missing on a developer machine; in CI
// (CI set) a missing tool is a failure.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const missing = ['java', 'mvn'].filter(
  (tool) => spawnSync(tool, ['-version'], { stdio: 'ignore' }).error !== undefined,
);
if (missing.length > 0) {
  const why = `${missing.join(' and ')} not found: the real DolphinScheduler 3.1.1 needs Java 17 and Maven`;
  if (process.env.CI) {
    console.error(`test:dolphin FAILED: ${why}`);
    process.exit(1);
  }
  console.log(`test:dolphin SKIPPED: ${why} (install them to run this suite; CI always runs it)`);
  process.exit(0);
}
const started = Date.now();
const child = spawn(
  'vitest',
  ['run', '--config', join(here, '../vitest.real.config.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `test:dolphin ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s (server start included)`,
  );
  process.exit(signal ? 1 : (code ?? 1));
});
