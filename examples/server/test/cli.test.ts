import { describe, expect, it } from 'vitest';
import { createProgram } from '../src/cli-program';

function helpOf(args: string[]): string {
  let out = '';
  const program = createProgram({
    out: (t) => (out += t),
    err: (t) => (out += t),
    interactive: false,
  });
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    program.parse(['node', 'dataportal', ...args]);
  } catch (err) {
    if ((err as { code?: string }).code !== 'commander.helpDisplayed') throw err;
  }
  return out;
}

describe('dataportal CLI', () => {
  it('lists every command in --help', () => {
    const help = helpOf(['--help']);
    for (const c of ['serve', 'migrate', 'seed-demo', 'lineage', 'publish', 'runs', 'sync']) {
      expect(help).toContain(c);
    }
  });

  it('has --help on every command, with its options', () => {
    expect(helpOf(['lineage', '--help'])).toMatch(/--up[\s\S]*--down[\s\S]*--depth[\s\S]*--format/);
    expect(helpOf(['publish', '--help'])).toMatch(/--all[\s\S]*--scheduler/);
    expect(helpOf(['runs', '--help'])).toContain('--limit');
    for (const c of ['serve', 'migrate', 'seed-demo'])
      expect(helpOf([c, '--help'])).toContain(`Usage: dataportal ${c}`);
  });
});
