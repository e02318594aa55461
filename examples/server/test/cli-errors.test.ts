import { execFileSync, spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentEnough } from '../bin/node-runtime.mjs';
import { CliError, createProgram, formatCliError } from '../src/cli-program';
import { MYSQL_URL, storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const root = resolve(import.meta.dirname, '../../..');
const launcher = join(root, 'examples/server/bin/dataportal.mjs');
const withMysql = (await storeDialects()).includes('mysql');
// The machine's own Node when it is older than 22.13 (CI's is 20): the case the launcher fixes.
const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((n) => {
  const v = spawnSync(n, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  return v !== undefined && /^v\d/.test(v) && !recentEnough(v.slice(1));
});

async function run(args: string[]): Promise<{ out: string; err: string; error: unknown }> {
  let out = '';
  let err = '';
  const program = createProgram({
    out: (t) => (out += t),
    err: (t) => (err += t),
    interactive: false,
  });
  program.exitOverride();
  try {
    await program.parseAsync(['node', 'dataportal', ...args]);
    return { out, err, error: null };
  } catch (error) {
    return { out, err, error };
  }
}

describe('dataportal launcher (bin/dataportal.mjs)', () => {
  it('runs the CLI from the repository root, as `npx dataportal` does', () => {
    const r = spawnSync(process.execPath, [launcher, '--help'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: dataportal');
  }, 120_000);

  it.runIf(oldNode)(
    'brings Node 24 on an older Node, so migrate opens node:sqlite instead of failing',
    () => {
      const r = spawnSync(oldNode ?? '', [launcher, 'migrate'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, DATAPORTAL_DATABASE_URL: 'sqlite::memory:' },
      });
      expect(r.stderr).not.toContain('node:sqlite');
      expect(r.stdout).toMatch(/applied \d+ migration\(s\)/);
      expect(r.status).toBe(0);
    },
    120_000,
  );

  it('is the root package bin, so `npx dataportal` resolves at the root', () => {
    const out = execFileSync('npm', ['pkg', 'get', 'bin'], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ dataportal: 'examples/server/bin/dataportal.mjs' });
  });

  it('knows which Node versions need Node 24 brought in', () => {
    expect(recentEnough('20.20.2')).toBe(false);
    expect(recentEnough('22.12.0')).toBe(false);
    expect(recentEnough('22.13.0')).toBe(true);
    expect(recentEnough('24.1.0')).toBe(true);
  });
});

describe('CLI errors: one line with the cause and a hint; stacks with --verbose', () => {
  it('prints a CliError with its hint on one line', () => {
    const text = formatCliError(new CliError('nothing to publish', { hint: 'pass --all' }), false);
    expect(text).toBe('dataportal: nothing to publish; hint: pass --all\n');
  });

  it('keeps the cause of a wrapped error and adds the stack only when verbose', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const err = new Error('sdk: cannot open the store', { cause });
    const line = formatCliError(err, false);
    expect(line).toMatch(
      /^dataportal: cannot open the store: connect ECONNREFUSED 127\.0\.0\.1:1; hint: is the database server running/,
    );
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(formatCliError(err, true)).toMatch(/\n\s+at /);
  });

  it.runIf(withMysql)(
    'migrate with a wrong password says "Access denied", not only "migration failed"',
    async () => {
      const u = new URL(MYSQL_URL);
      u.username = 'dp_no_such_user';
      u.password = 'wrong';
      const saved = process.env['DATAPORTAL_DATABASE_URL'];
      process.env['DATAPORTAL_DATABASE_URL'] = u.toString();
      try {
        const r = await run(['migrate']);
        const line = formatCliError(r.error, false);
        expect(line).toMatch(
          /^dataportal: migration failed: Access denied for user 'dp_no_such_user'/,
        );
        expect(line).toContain('hint: check the user and password');
        expect(line).not.toContain('wrong');
        expect(line).not.toMatch(/\n\s+at /);
      } finally {
        if (saved === undefined) delete process.env['DATAPORTAL_DATABASE_URL'];
        else process.env['DATAPORTAL_DATABASE_URL'] = saved;
      }
    },
  );
});

describe('dataportal publish --scheduler', () => {
  let h: Harness;
  const saved = process.env['DATAPORTAL_URL'];
  const savedToken = process.env['DATAPORTAL_TOKEN'];

  beforeAll(async () => {
    h = await createHarness('sqlite');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    process.env['DATAPORTAL_TOKEN'] = h.tokens.admin;
    process.env['DATAPORTAL_URL'] =
      `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    await h.portal.registerTable({ qualifiedName: 'ods.src', layer: 'ODS' });
    await h.portal.registerTable({ qualifiedName: 'dwd.dst', layer: 'DWD' });
    await h.portal.createTask({
      name: 'on_dolphin',
      taskType: 'batch',
      engine: 'dolphin',
      sql: 'insert into dwd.dst select * from ods.src',
      inputs: ['ods.src'],
      outputs: ['dwd.dst'],
    });
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env['DATAPORTAL_URL'];
    else process.env['DATAPORTAL_URL'] = saved;
    if (savedToken === undefined) delete process.env['DATAPORTAL_TOKEN'];
    else process.env['DATAPORTAL_TOKEN'] = savedToken;
    await h?.close();
  });

  it('refuses to move a task to another engine without --move', async () => {
    const r = await run(['publish', 'on_dolphin', '--scheduler', 'local']);
    expect(formatCliError(r.error, false)).toMatch(
      /on_dolphin runs on dolphin; --scheduler local would move it.*hint: pass --move/,
    );
    expect((await h.portal.getTask('on_dolphin')).engine).toBe('dolphin');
  });

  it('--all skips (and reports) tasks on another engine', async () => {
    const r = await run(['publish', '--all', '--scheduler', 'local']);
    expect(r.err).toContain('on_dolphin runs on dolphin');
    expect(formatCliError(r.error, false)).toContain('1 of 1 task(s) were not published');
    expect((await h.portal.getTask('on_dolphin')).engine).toBe('dolphin');
  });

  it('moves it with --move', async () => {
    const r = await run(['publish', 'on_dolphin', '--scheduler', 'local', '--move']);
    expect(r.error).toBeNull();
    expect(r.out).toContain('on_dolphin: online on local');
    expect((await h.portal.getTask('on_dolphin')).engine).toBe('local');
  });
});
