import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { authorised } from './auth';
import { settle } from './job-instances';
import { Fail, type FakeState, MSG, type Reply, stackTrace } from './state';
import type { FakeDinkyRequest } from './types';

// Dispatch and HTTP: unknown routes 404 without an envelope (Spring's error page), wrong verbs
// code 5, `/api/**` without a live token HTTP 401 code 7 (0.7: code 401), and the exception
// mapping of `aop/exception/WebExceptionHandler.java` (0.7: everything code 1).

async function handle(s: FakeState, req: FakeDinkyRequest): Promise<Reply> {
  settle(s, false);
  const byMethod = s.routes.get(req.path);
  if (!byMethod) {
    if (s.legacy && req.path.startsWith('/api/') && req.path !== '/api/login') {
      return { status: 401, body: s.envelope(401, s.msg(MSG.notLogin), null) };
    }
    return {
      status: 404,
      body: {
        timestamp: new Date(s.now()).toISOString(),
        status: 404,
        error: 'Not Found',
        path: req.path,
      },
    };
  }
  if (!s.legacy && req.path.startsWith('/api/') && req.path !== '/api/login') {
    if (!authorised(s, req)) {
      return { status: 401, body: s.envelope(7, s.msg(MSG.notLogin), null) };
    }
  }
  const h = byMethod.get(req.method);
  try {
    if (!h) {
      throw new Fail(
        'exception',
        `Request method '${req.method}' not supported`,
        `Request method '${req.method}' not supported`,
      );
    }
    return await h(req);
  } catch (err) {
    if (!(err instanceof Fail)) throw err;
    const text = s.msg([err.en, err.zh]);
    if (err.kind === 'params') return { status: 400, body: s.envelope(6, text, null) };
    if (err.kind === 'exception' && !s.legacy) {
      return { body: s.envelope(5, text, stackTrace(err.en)) };
    }
    return { body: s.envelope(1, text, null) };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the HTTP server on a random loopback port. */
export async function listen(s: FakeState): Promise<{ server: Server; port: number }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = await readBody(req);
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const contentType = req.headers['content-type'] ?? '';
      let body: unknown = null;
      if (text !== '' && contentType.includes('application/x-www-form-urlencoded')) {
        for (const [k, v] of new URLSearchParams(text)) query[k] = v;
      } else if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string') headers[k] = v;
      }
      const request: FakeDinkyRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query,
        headers,
        body,
      };
      s.requests.push(request);
      let reply: Reply;
      try {
        reply = await handle(s, request);
      } catch (err) {
        reply = {
          body: s.envelope(s.legacy ? 1 : 5, 'fake failure', stackTrace(String(err))),
        };
      }
      res.statusCode = reply.status ?? 200;
      res.setHeader('content-type', 'application/json;charset=UTF-8');
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      res.end(JSON.stringify(reply.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, port };
}
