import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunEvent } from '../../src/index';

/**
 * A loopback OpenLineage consumer (Marquez-like `POST /api/v1/lineage`, 201 on success) whose
 * availability a test switches, or which it stops and starts on the same port (an outage).
 */
export class Receiver {
  readonly received: Array<{ body: RunEvent; auth: string | undefined; path: string }> = [];
  up = true;
  port = 0;
  #server: Server | undefined;

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

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
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
