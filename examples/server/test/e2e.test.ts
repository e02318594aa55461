import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm start` semantics: build every workspace, then run the built CLI's `serve` on a free port
// with a fresh data folder, and talk to it over real HTTP with fetch.
const root = resolve(import.meta.dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

interface Server {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
}

function start(port: number, dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['examples/server/dist/cli.js', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATAPORTAL_DATA_DIR: dataDir,
      DATAPORTAL_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`server did not start:\n${lines.join('\n')}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      for (const l of chunk.toString().split('\n')) {
        if (l === '') continue;
        lines.push(l);
        if (l.includes('API docs at')) {
          clearTimeout(timer);
          res({ child, lines, exited });
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with ${code}:\n${lines.join('\n')}`));
    });
  });
}

describe('end to end: the built server, as `npm start` runs it', () => {
  let port: number;
  let base: string;
  let dataDir: string;
  let server: Server;
  let token = '';

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${token}` },
  ) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text,
    };
  };

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'dataportal-e2e-'));
    server = await start(port, dataDir);
    token = /^\s+(dp_[A-Za-z0-9_-]{43})\s*$/.exec(
      server.lines.find((l) => /^\s+dp_[A-Za-z0-9_-]{43}\s*$/.test(l)) ?? '',
    )?.[1] as string;
  }, 300_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs the /docs URL and serves the docs and the OpenAPI document', async () => {
    expect(server.lines.some((l) => l.includes(`http://localhost:${port}/docs`))).toBe(true);
    const docs = await call('GET', '/docs/');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('Swagger UI');
    const doc = await call('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
  });

  it('refuses unauthenticated calls and prints the admin token with the URL that signs in', async () => {
    expect(token).toMatch(/^dp_/);
    expect(
      server.lines.some((l) =>
        l.includes(`${base.replace('127.0.0.1', 'localhost')}/login#token=${token}`),
      ),
    ).toBe(true);
    const anonymous = await call('GET', '/api/v1/tasks', undefined, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHORIZED');
    expect((await call('GET', '/api/v1/tasks')).status).toBe(200);
    expect((await call('GET', '/healthz', undefined, {})).status).toBe(200);
  });

  it('signs a browser in with the token: httpOnly SameSite=Strict cookie, CSRF on writes, sign out', async () => {
    const login = await call('GET', '/login', undefined, {});
    expect(login.status).toBe(200);
    const res = await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^dp_session=dp_/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const { csrf_token: csrf, role } = (await res.json()) as { csrf_token: string; role: string };
    expect(role).toBe('admin');
    const cookie = { cookie: setCookie.split(';')[0] as string };
    expect((await call('GET', '/api/v1/tables?limit=1', undefined, cookie)).status).toBe(200);
    const edge = { source: 'ods.users', target: 'ads.daily_gmv' };
    const forged = await call('POST', '/api/v1/lineage/edges', edge, cookie);
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('CSRF_FAILED');
    const out = await call('DELETE', '/api/v1/session', undefined, {
      ...cookie,
      'x-csrf-token': csrf,
    });
    expect(out.status).toBe(204);
    expect((await call('GET', '/api/v1/tables?limit=1', undefined, cookie)).status).toBe(401);
  });

  it('loaded the demo warehouse on first start', async () => {
    const tables = await call('GET', '/api/v1/tables?limit=100');
    expect(tables.body.items).toHaveLength(14);
    const online = await call('GET', '/api/v1/tasks?status=online');
    expect(online.body.items).toHaveLength(8);
  });

  let taskId: number;

  it('replays the design examples: create, publish with auto_start, run on the local engine', async () => {
    const created = await call('POST', '/api/v1/tasks', {
      name: 'ads_daily_gmv',
      sql: 'INSERT OVERWRITE TABLE ads.daily_gmv SELECT order_date, SUM(gmv) AS gmv, SUM(orders) AS orders FROM dws.category_daily GROUP BY order_date',
      task_type: 'batch',
      engine: 'local',
      schedule: '0 2 * * *',
      inputs: ['dws.category_daily'],
      outputs: ['ads.daily_gmv'],
    });
    expect(created.status).toBe(201);
    taskId = created.body.id;
    const published = await call('POST', `/api/v1/tasks/${taskId}/publish`, {
      scheduler: 'local',
      auto_start: true,
    });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      status: 'online',
      engine_ref: { unit: 'ads_daily_gmv' },
    });
    let run: { status: string; rows_output: number | null } | undefined;
    for (let i = 0; i < 100; i++) {
      const runs = await call('GET', `/api/v1/tasks/${taskId}/executions`);
      run = runs.body.items[0];
      if (run && (run.status === 'SUCCESS' || run.status === 'FAILED')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(run).toMatchObject({ status: 'SUCCESS', rows_output: 14 });
  });

  it('records a callback and answers the same execution when it is repeated', async () => {
    const payload = {
      task_id: taskId,
      status: 'SUCCESS',
      start_time: '2026-11-23 02:00:00',
      end_time: '2026-11-23 02:03:12',
      rows_output: 1532,
    };
    const a = await call('POST', '/api/v1/tasks/callback', payload);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ task_id: taskId, status: 'SUCCESS', duration_ms: 192_000 });
    const b = await call('POST', '/api/v1/tasks/callback', payload);
    expect(b.body.id).toBe(a.body.id);
  });

  it('answers the lineage JSON with the new edge', async () => {
    const r = await call('GET', '/api/v1/lineage');
    expect(r.body.nodes).toContainEqual({ id: 'ads.daily_gmv', layer: 'ADS' });
    expect(r.body.edges).toContainEqual({ source: 'dws.category_daily', target: 'ads.daily_gmv' });
  });

  it('runs stream calls on the simulated Dinky when no DINKY_URL is set', async () => {
    const stream = await call('GET', '/api/v1/tasks?task_type=stream');
    const id = stream.body.items[0].id;
    const r = await call('POST', '/api/v1/tasks/stream/start', { task_id: id, engine: 'dinky' });
    expect(r.status).toBe(200);
    const s = await call('GET', `/api/v1/tasks/stream/status?task_id=${id}`);
    expect(s.status).toBe(200);
    expect(typeof s.body.status).toBe('string');
  });

  it('shuts down gracefully on SIGTERM and keeps its data across a restart', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    server = await start(port, dataDir);
    expect(server.lines.some((l) => l.includes('loaded the demo warehouse'))).toBe(false);
    // The token was shown once; the restart prints no new one and the old one still works.
    expect(server.lines.some((l) => /^\s+dp_/.test(l))).toBe(false);
    const t = await call('GET', '/api/v1/tasks/ads_daily_gmv');
    expect(t.body.status).toBe('online');
    const runs = await call('GET', `/api/v1/tasks/${taskId}/executions`);
    expect(runs.body.items.length).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
