// Fails when a published package's `exports` map, its tsup entries and its typedoc entry
// points disagree, so the public API is declared in one place and checked in the others.
import { readFileSync } from 'node:fs';

const root = JSON.parse(readFileSync('package.json', 'utf8'));
let failures = 0;
for (const dir of root.workspaces) {
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  if (pkg.private) continue;
  const fromExports = Object.entries(pkg.exports)
    .filter(([key]) => key !== './package.json')
    .map(([, v]) => v['@dataportal/source'])
    .map((p) => p.replace(/^\.\//, ''))
    .sort();
  const tsup = readFileSync(`${dir}/tsup.config.ts`, 'utf8');
  const fromTsup = [...tsup.matchAll(/'([^']+\.ts)'/g)].map((m) => m[1]).sort();
  const typedoc = JSON.parse(readFileSync(`${dir}/typedoc.json`, 'utf8'));
  const fromTypedoc = [...typedoc.entryPoints].sort();
  for (const [what, list] of [
    ['tsup entries', fromTsup],
    ['typedoc entry points', fromTypedoc],
  ]) {
    if (JSON.stringify(list) !== JSON.stringify(fromExports)) {
      console.error(
        `${pkg.name}: ${what} ${JSON.stringify(list)} differ from exports ${JSON.stringify(fromExports)}`,
      );
      failures++;
    }
  }
  for (const [key, v] of Object.entries(pkg.exports)) {
    if (key === './package.json') continue;
    const base = v['@dataportal/source'].replace(/^\.\/src\//, '').replace(/\.ts$/, '');
    if (v.types !== `./dist/${base}.d.ts` || v.default !== `./dist/${base}.js`) {
      console.error(
        `${pkg.name}: export ${key} points at ${v.default}, expected ./dist/${base}.js`,
      );
      failures++;
    }
  }
  if (pkg.engines?.node !== root.engines.node) {
    console.error(
      `${pkg.name}: engines.node ${pkg.engines?.node} differs from the root ${root.engines.node}`,
    );
    failures++;
  }
}
if (failures > 0) process.exit(1);
console.log('exports, tsup entries and typedoc entry points agree');
