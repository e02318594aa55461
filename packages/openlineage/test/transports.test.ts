import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConsoleTransport,
  createTransport,
  FileTransport,
  HttpTransport,
  isOpenLineageError,
  type RunEvent,
} from '../src/index';

function event(n: number): RunEvent {
  return {
    eventType: 'START',
    eventTime: new Date(1_700_000_000_000 + n).toISOString(),
    producer: 'https://example.invalid/p',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: `0190b7e0-0000-7000-8000-${String(n).padStart(12, '0')}` },
    job: { namespace: 'dataportal', name: `job_${n}` },
  };
}

/** A loopback OpenLineage receiver whose availability the test switches. */
class Receiver {
  readonly received: Array<{ body: RunEvent; auth: string | undefined; path: string }> = [];
  up = true;
  #server: Server | undefined;
  port = 0;

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        if (!this.up) {
          res.writeHead(503).end();
          return;
        }
        this.received.push({
          body: JSON.parse(body) as RunEvent,
          auth: req.headers.authorization,
          path: req.url ?? '',
        });
        res.writeHead(201).end();
      });
    });
    this.#server = server;
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (s !== undefined) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }
}

let dir: string;
let receiver: Receiver;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ol-'));
  receiver = new Receiver();
  await receiver.start();
});
afterEach(async () => {
  await receiver.stop();
  await rm(dir, { recursive: true, force: true });
});

const fast = { retries: 1, maxBackoffMs: 5, retryIntervalMs: 60_000, timeoutMs: 2000 };

describe('HttpTransport', () => {
  it('posts events to url + endpoint with a bearer token', async () => {
    const t = new HttpTransport({
      url: `http://127.0.0.1:${receiver.port}/`,
      endpoint: '/api/v1/lineage',
      apiKey: 'k3y',
      ...fast,
    });
    await t.emit(event(1));
    await t.close();
    expect(receiver.received).toEqual([
      { body: event(1), auth: 'Bearer k3y', path: '/api/v1/lineage' },
    ]);
    expect(await t.pending()).toBe(0);
  });

  it('keeps events on disk in order through an outage and delivers them when the receiver is back', async () => {
    const queueDir = join(dir, 'queue');
    const errors: unknown[] = [];
    const config = {
      url: `http://127.0.0.1:${receiver.port}`,
      queueDir,
      ...fast,
      onError: (e: unknown) => errors.push(e),
    };
    const t = new HttpTransport(config);
    receiver.up = false;
    await t.emit(event(1));
    await t.emit(event(2));
    expect(await t.pending()).toBe(2);
    expect((await readdir(queueDir)).length).toBe(2);
    expect(errors.length).toBeGreaterThan(0);
    await t.close();
    // The portal restarts during the outage: a new transport finds the queue on disk.
    const port = receiver.port;
    await receiver.stop();
    const t2 = new HttpTransport(config);
    await t2.emit(event(3));
    expect(await t2.pending()).toBe(3);
    receiver = new Receiver();
    await receiver.start(port);
    expect(await t2.flush()).toBe(0);
    await t2.close();
    expect(receiver.received.map((r) => r.body.job.name)).toEqual(['job_1', 'job_2', 'job_3']);
    expect(await readdir(queueDir)).toEqual([]);
  });

  it('drops the oldest events beyond the bound and says so', async () => {
    const drops: number[] = [];
    receiver.up = false;
    const t = new HttpTransport({
      url: `http://127.0.0.1:${receiver.port}`,
      queueDir: join(dir, 'q'),
      maxQueuedEvents: 2,
      ...fast,
      retries: 0,
      onDrop: (d) => drops.push(d.count),
    });
    for (const n of [1, 2, 3]) await t.emit(event(n));
    receiver.up = true;
    await t.flush();
    await t.close();
    expect(drops).toEqual([1]);
    expect(receiver.received.map((r) => r.body.job.name)).toEqual(['job_2', 'job_3']);
  });

  it('refuses a URL that is not http(s)', () => {
    let caught: unknown;
    try {
      new HttpTransport({ url: 'ftp://x' });
    } catch (err) {
      caught = err;
    }
    expect(isOpenLineageError(caught) && caught.code).toBe('INVALID_CONFIG');
  });
});

describe('FileTransport', () => {
  it('appends one NDJSON line per event', async () => {
    const path = join(dir, 'sub', 'events.ndjson');
    const t = new FileTransport(path);
    await Promise.all([t.emit(event(1)), t.emit(event(2))]);
    await t.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as RunEvent).job.name)).toEqual(['job_1', 'job_2']);
  });
});

describe('ConsoleTransport and createTransport', () => {
  it('writes JSON lines and fans out in a composite', async () => {
    const lines: string[] = [];
    const t = createTransport({
      type: 'composite',
      transports: [
        { type: 'console', write: (l) => lines.push(l) },
        { type: 'file', path: join(dir, 'e.ndjson') },
      ],
    });
    await t.emit(event(1));
    await t.close();
    expect(lines).toEqual([JSON.stringify(event(1))]);
    expect(new ConsoleTransport(() => {})).toBeInstanceOf(ConsoleTransport);
  });
});
