/**
 * Starts the real DolphinScheduler 3.1.1 standalone server once per `npm run test:dolphin` (the
 * kit in `../shared/dolphinscheduler`, or `DS_KIT`), with the MySQL JDBC driver from Maven Central
 * appended to its classpath, then prepares what every test file needs: an access token, a tenant
 * and a MYSQL datasource pointing at the local MariaDB. `DOLPHIN_TEST_URL` reuses a server that is
 * already running (admin / dolphinscheduler123) instead of starting one.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import type { TestProject } from 'vitest/node';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const DRIVER = { group: 'com.mysql', artifact: 'mysql-connector-j', version: '8.0.33' };
const MYSQL_DB = 'dp_dolphin_real';
const ADMIN = { userName: 'admin', userPassword: 'dolphinscheduler123' };

/** What the set-up hands to every test file (`inject('dolphin')`). */
export interface RealDolphin {
  readonly url: string;
  readonly token: string;
  readonly tenantCode: string;
  readonly datasource: string;
  readonly mysqlUrl: string;
  readonly mysqlDatabase: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    dolphin: RealDolphin;
  }
}

function log(message: string): void {
  process.stderr.write(`[test:dolphin ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Downloads the JDBC driver once into the gitignored `.cache/dolphin`. */
function ensureDriver(workDir: string): string {
  const jar = join(workDir, `${DRIVER.artifact}-${DRIVER.version}.jar`);
  if (existsSync(jar)) return jar;
  log(`fetching ${DRIVER.artifact} ${DRIVER.version} from Maven Central`);
  const r = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      'dependency:copy',
      `-Dartifact=${DRIVER.group}:${DRIVER.artifact}:${DRIVER.version}`,
      `-DoutputDirectory=${workDir}`,
    ],
    { cwd: workDir, encoding: 'utf8' },
  );
  if (r.status !== 0 || !existsSync(jar)) {
    throw new Error(`mvn could not fetch the MySQL driver:\n${r.stdout}\n${r.stderr}`);
  }
  return jar;
}

async function startKit(workDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const kit = process.env['DS_KIT'] ?? resolve(repo, '../shared/dolphinscheduler');
  const script = join(kit, 'run-ds.sh');
  if (!existsSync(script)) {
    throw new Error(`DolphinScheduler kit not found at ${kit} (set DS_KIT to its folder)`);
  }
  const driver = ensureDriver(workDir);
  const out = createWriteStream(join(workDir, 'run-ds.log'));
  const child: ChildProcess = spawn('bash', [script], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      JAVA: join(here, 'java-with-extra-classpath.sh'),
      DS_EXTRA_CLASSPATH: driver,
      DS_HEAP: process.env['DS_HEAP'] ?? '768m',
      // The kit gives up after 300 s; a loaded 2-core machine has needed more (measured 286 s).
      DS_READY_TIMEOUT: process.env['DS_READY_TIMEOUT'] ?? '900',
      // A loaded 2-core machine needs more than the default 9 s to connect to the embedded
      // ZooKeeper (measured: "zookeeper connect timeout" and the server exits).
      DS_JAVA_OPTS: [
        '-Dregistry.zookeeper.connection-timeout=60s',
        '-Dregistry.zookeeper.block-until-connected=60s',
        '-Dregistry.zookeeper.session-timeout=60s',
        process.env['DS_JAVA_OPTS'] ?? '',
      ].join(' '),
    },
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(line.trim());
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      log('stopping DolphinScheduler');
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      }, 45_000);
      await exited;
      clearTimeout(timer);
    }
    out.end();
  };
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<string>((resolveReady, reject) => {
    lines.on('line', (line) => {
      out.write(`${line}\n`);
      const m = /^DS_READY (\S+)/.exec(line);
      if (m?.[1]) {
        log(line);
        resolveReady(m[1]);
      }
    });
    void exited.then((code) => reject(new Error(`run-ds.sh exited (${code}) before DS_READY`)));
  });
  const limit = Number(process.env['DS_START_TIMEOUT_MS'] ?? 15 * 60_000);
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await Promise.race([
      ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no DS_READY after ${limit} ms`)), limit);
      }),
    ]);
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function api(
  url: string,
  path: string,
  init: {
    method?: string;
    form?: Record<string, string>;
    json?: unknown;
    headers?: Record<string, string>;
  },
): Promise<{ code: number; msg: string; data: unknown }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as { code: number; msg: string; data: unknown };
  } catch {
    throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
}

/** Logs in as admin and prepares token, tenant and the MYSQL datasource. */
async function prepare(url: string, mysqlUrl: string): Promise<RealDolphin> {
  const login = await api(url, '/login', { method: 'POST', form: ADMIN });
  const sessionId = (login.data as { sessionId?: string } | null)?.sessionId;
  if (login.code !== 0 || !sessionId) throw new Error(`login failed: ${login.msg}`);
  const session = { sessionId, cookie: `sessionId=${sessionId}` };
  const expire = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
  const tokenAnswer = await api(url, '/access-tokens', {
    method: 'POST',
    headers: session,
    form: { userId: '1', expireTime: expire },
  });
  const token = (tokenAnswer.data as { token?: string } | null)?.token;
  if (!token) throw new Error(`access token: ${tokenAnswer.msg}`);
  const auth = { token };
  // The worker checks that the tenant is an OS user ("TenantCode: x doesn't exist", measured):
  // use the user the server runs as.
  const tenantCode = userInfo().username;
  const tenant = await api(url, '/tenants', {
    method: 'POST',
    headers: auth,
    form: { tenantCode, queueId: '1', description: 'DataPortal tests' },
  });
  if (tenant.code !== 0 && !/exist/i.test(tenant.msg)) throw new Error(`tenant: ${tenant.msg}`);

  const conn = await mysql.createConnection(mysqlUrl);
  await conn.query(`CREATE DATABASE IF NOT EXISTS ${MYSQL_DB}`);
  await conn.end();
  const my = new URL(mysqlUrl);
  const datasource = 'warehouse';
  const ds = await api(url, '/datasources', {
    method: 'POST',
    headers: auth,
    json: {
      type: 'MYSQL',
      name: datasource,
      note: 'DataPortal tests (local MariaDB)',
      host: my.hostname,
      port: Number(my.port || 3306),
      database: MYSQL_DB,
      userName: decodeURIComponent(my.username || 'root'),
      password: decodeURIComponent(my.password),
      other: {},
    },
  });
  if (ds.code !== 0 && ds.code !== 10015) throw new Error(`datasource: ${ds.code} ${ds.msg}`);
  return { url, token, tenantCode, datasource, mysqlUrl, mysqlDatabase: MYSQL_DB };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workDir = resolve(repo, '.cache/dolphin');
  mkdirSync(workDir, { recursive: true });
  const mysqlUrl = process.env['DATAPORTAL_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
  const started = Date.now();
  let stop = async () => {};
  let url = process.env['DOLPHIN_TEST_URL'];
  if (url) {
    log(`using the running server at ${url}`);
  } else {
    const kit = await startKit(workDir);
    url = kit.url;
    stop = kit.stop;
    log(`DolphinScheduler ready after ${Math.round((Date.now() - started) / 1000)} s`);
  }
  try {
    project.provide('dolphin', await prepare(url, mysqlUrl));
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
