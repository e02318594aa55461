import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness';

// Bounded requests over real sockets: a stalled upload and a stalled header are answered 408 and
// closed; a client over its connection cap is answered 503 at once. Before these limits, 1,000
// stalled uploads were all still open after 25 s (no request, header or keep-alive timeout).

interface Raw {
  readonly socket: Socket;
  readonly closed: Promise<string>;
}

function open(port: number, send: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (received += d));
    socket.on('error', () => undefined);
    const closed = new Promise<string>((r) => socket.once('close', () => r(received)));
    socket.once('connect', () => {
      socket.write(send);
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

// An authenticated upload that sends its headers and part of its body, then stalls (an
// anonymous one is answered 401 before its body is read).
const stalledUploadAs = (authorization: string) =>
  `POST /api/v1/tables HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"qualified_name":`;

describe('bounded requests', () => {
  let h: Harness;
  let port: number;
  let stalledUpload: string;

  beforeAll(async () => {
    h = await createHarness('sqlite', {
      app: {
        limits: {
          requestTimeoutMs: 600,
          headersTimeoutMs: 300,
          keepAliveTimeoutMs: 300,
          checkIntervalMs: 100,
          maxConnectionsPerIp: 20,
        },
      },
    });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as AddressInfo).port;
    stalledUpload = stalledUploadAs(h.headersFor('admin')['authorization'] ?? '');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('answers stalled uploads 408 REQUEST_TIMEOUT and closes them', async () => {
    const conns = await Promise.all(Array.from({ length: 10 }, () => open(port, stalledUpload)));
    const answers = await Promise.all(conns.map((c) => c.closed));
    for (const a of answers) {
      expect(a).toMatch(/^HTTP\/1\.1 408 /);
      expect(a).toContain('"code":"REQUEST_TIMEOUT"');
    }
  });

  it('answers a request whose headers never end 408 and closes it', async () => {
    const c = await open(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(await c.closed).toMatch(/^HTTP\/1\.1 408 [\s\S]*REQUEST_TIMEOUT/);
  });

  it('closes an idle keep-alive connection', async () => {
    const c = await open(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const answer = await c.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"status":"ok"');
  });

  it('answers 503 TOO_MANY_CONNECTIONS over the per-address cap, and serves again after', async () => {
    const held = await Promise.all(Array.from({ length: 20 }, () => open(port, stalledUpload)));
    const extra = await open(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const refused = await extra.closed;
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused).toContain('"code":"TOO_MANY_CONNECTIONS"');
    expect(refused).toContain('Retry-After: 1');
    await Promise.all(held.map((c) => c.closed));
    const again = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(again.status).toBe(200);
  });
});
