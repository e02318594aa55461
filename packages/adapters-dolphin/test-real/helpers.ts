import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import type { RealDolphin } from './global-setup';

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
  intervalMs = 500,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A loopback endpoint standing in for the portal's alert callback; hands each body to `onBody`. */
export async function startCallback(onBody: (body: string) => Promise<void>): Promise<{
  readonly url: string;
  readonly bodies: string[];
  close(): Promise<void>;
}> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      onBody(body).then(
        () => res.writeHead(200).end('ok'),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/tasks/callback`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs statements in the MariaDB database the DolphinScheduler datasource points at. */
export async function sql(ds: RealDolphin, statements: readonly string[]): Promise<unknown[]> {
  const url = new URL(ds.mysqlUrl);
  url.pathname = `/${ds.mysqlDatabase}`;
  const conn = await mysql.createConnection(url.toString());
  try {
    const out: unknown[] = [];
    for (const s of statements) out.push((await conn.query(s))[0]);
    return out;
  } finally {
    await conn.end();
  }
}

/** A unique suffix so repeated runs against one server never collide. */
export function unique(): string {
  return Date.now().toString(36);
}
