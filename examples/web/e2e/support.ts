import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** The repository root. */
export const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
/** Where screenshots go (CI copies this folder into its log folder). */
export const OUTPUT = join(REPO, 'examples/web/test-output');
/** Debian's Chromium (`apt-get install -y chromium`); never downloaded by an install step. */
export const CHROMIUM = process.env['DATAPORTAL_CHROMIUM'] ?? '/usr/bin/chromium';
/** The admin token the test server starts with (used once authentication is on). */
export const ADMIN_TOKEN = 'dp_e2e_admin_token_0123456789abcdefghijklmnop';

/**
 * Chromium's flags for a quiet, headless, sandbox-free run on a CI machine; the fresh
 * `--user-data-dir` is given as playwright's persistent-context folder.
 */
export function chromiumArgs(): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** A running portal server on a fresh SQLite file. */
export interface PortalServer {
  readonly url: string;
  readonly dataDir: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the server the way `npm start` does after its build step (`dataportal serve` from the
 * built bundle, demo data, local engine), on a free port and a fresh data folder; builds first
 * when the bundle or the web app is missing.
 */
export async function startPortal(env: Record<string, string> = {}): Promise<PortalServer> {
  const cli = join(REPO, 'examples/server/dist/cli.js');
  if (!existsSync(cli) || !existsSync(join(REPO, 'examples/web/dist/index.html'))) {
    execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' });
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'dataportal-e2e-'));
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve'], {
    cwd: REPO,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATAPORTAL_DATA_DIR: dataDir,
      DATAPORTAL_LOG_LEVEL: 'info',
      DATAPORTAL_ADMIN_TOKEN: ADMIN_TOKEN,
      DATAPORTAL_POLL_INTERVAL_SECONDS: '2',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dataDir,
    log: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launches Debian's Chromium with a fresh profile folder (`--user-data-dir`). */
export async function launchChromium(
  options: { width?: number; height?: number; locale?: string } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``);
  }
  const profile = mkdtempSync(join(tmpdir(), 'dataportal-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs(),
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    locale: options.locale ?? 'en-US',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under test-output/screenshots and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(OUTPUT, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
