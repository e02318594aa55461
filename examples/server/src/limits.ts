import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';

/**
 * How long a client may take and how many connections it may hold. A stalled upload, a
 * slow-loris header or a forgotten keep-alive socket is closed instead of holding the server.
 */
export interface RequestLimits {
  /** Milliseconds to receive a whole request, headers and body (408 after). Default 30 000. */
  readonly requestTimeoutMs: number;
  /** Milliseconds to receive the request headers (408 after). Default 10 000. */
  readonly headersTimeoutMs: number;
  /** Milliseconds an idle keep-alive connection stays open. Default 5 000. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections one client address may hold; more are answered 503 and closed. Default 256. */
  readonly maxConnectionsPerIp: number;
  /** How often Node checks the request and header timeouts, in ms. Default 1 000. */
  readonly checkIntervalMs: number;
}

/** The defaults of {@link RequestLimits}. */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnectionsPerIp: 256,
  checkIntervalMs: 1_000,
};

function rawResponse(status: number, code: string, message: string): string {
  const body = JSON.stringify({ statusCode: status, code, error: STATUS_CODES[status], message });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * Fastify's `clientErrorHandler`: a request that was not received in time answers 408
 * `REQUEST_TIMEOUT` in the API's error shape, an unreadable one 400, headers too large 431; the
 * socket is closed either way.
 *
 * @param limits - the limits (named in the message)
 * @param log - where to note it (debug level)
 * @returns the handler
 */
export function clientErrorHandler(
  limits: RequestLimits,
  log: () => FastifyBaseLogger,
): (err: Error & { code?: string }, socket: Socket) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let text: string;
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      text = rawResponse(
        408,
        'REQUEST_TIMEOUT',
        `the request was not received completely within ${limits.requestTimeoutMs / 1000} s (headers within ${limits.headersTimeoutMs / 1000} s); send it again`,
      );
    } else if (err.code === 'HPE_HEADER_OVERFLOW') {
      text = rawResponse(431, 'HEADERS_TOO_LARGE', 'the request headers are too large');
    } else {
      text = rawResponse(400, 'BAD_REQUEST', 'the request could not be parsed as HTTP');
    }
    log().debug({ code: err.code, remote: socket.remoteAddress }, 'client error');
    if (socket.writable) socket.end(text);
    socket.destroy();
  };
}

/**
 * Caps the open connections per client address on a Node HTTP server: the connection over the
 * cap is answered 503 `TOO_MANY_CONNECTIONS` (with `Retry-After`) and closed at once.
 *
 * @param server - the HTTP server (before it listens)
 * @param maxPerIp - connections one address may hold
 * @param log - where to note refusals (warn, at most once per address and second)
 */
export function limitConnectionsPerIp(
  server: Server,
  maxPerIp: number,
  log: () => FastifyBaseLogger,
): void {
  const open = new Map<string, number>();
  const lastWarned = new Map<string, number>();
  // Gate the HTTP server's own connection listeners, so a refused socket is never parsed.
  const inner = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? 'unknown';
    const n = (open.get(ip) ?? 0) + 1;
    if (n > maxPerIp) {
      const now = Date.now();
      if ((lastWarned.get(ip) ?? 0) < now - 1000) {
        lastWarned.set(ip, now);
        log().warn({ remote: ip, max: maxPerIp }, 'too many connections from one address');
      }
      socket.on('error', () => undefined);
      socket.end(
        rawResponse(
          503,
          'TOO_MANY_CONNECTIONS',
          `this address already holds ${maxPerIp} open connections; close some and retry`,
        ).replace('Connection: close\r\n', 'Connection: close\r\nRetry-After: 1\r\n'),
      );
      socket.destroySoon();
      return;
    }
    open.set(ip, n);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
    for (const listener of inner) listener.call(server, socket);
  });
}
