#!/usr/bin/env node
// The `dataportal` command. Plain JavaScript for any Node (18+): it brings Node >= 22.13 the
// way `npm start` does (Node 24 from the npm registry when the machine's is older), then runs
// the CLI on it: from the TypeScript sources in a repository checkout (so `npx dataportal` at
// the root needs no build), from dist/ in an installed package.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeBinDir } from './node-runtime.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, '..', 'src', 'cli.ts');
const built = join(here, '..', 'dist', 'cli.js');

function tsxLoader() {
  try {
    // tsx's main export is its ESM loader (dist/loader.mjs), the same for import and require.
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return null;
  }
}

const loader = existsSync(source) ? tsxLoader() : null;
let args;
if (loader && existsSync(new URL(loader))) {
  args = ['--import', loader, '--conditions', '@dataportal/source', source];
} else if (existsSync(built)) {
  args = [built];
} else {
  process.stderr.write(
    'dataportal: the CLI is not built; hint: run `npm run build` (or `npm install` in the repository)\n',
  );
  process.exit(1);
}

const bin = nodeBinDir();
const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
const child = spawn(join(bin, 'node'), [...args, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
