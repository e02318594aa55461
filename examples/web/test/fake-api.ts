import { vi } from 'vitest';

/** One canned answer of the fake API. */
export type Handler = (
  req: Request,
  body: unknown,
) => { status?: number; body: unknown } | undefined;

/**
 * Replaces `fetch` with a fake API: each request goes to the first handler that answers it; the
 * calls are recorded. Unanswered requests get the API's 404 body.
 */
export function fakeApi(handlers: Record<string, Handler>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetch = vi.fn(async (arg: Request | string) => {
    const input = typeof arg === 'string' ? new Request(new URL(arg, location.origin)) : arg;
    const url = new URL(input.url);
    const text = input.method === 'GET' ? '' : await input.text();
    const body = text ? JSON.parse(text) : undefined;
    calls.push({ method: input.method, path: url.pathname + url.search, body });
    const key = `${input.method} ${url.pathname}`;
    const handler = handlers[key];
    const answer = handler?.(input, body) ?? {
      status: 404,
      body: { statusCode: 404, code: 'ROUTE_NOT_FOUND', error: 'Not Found', message: key },
    };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return { calls, fetch };
}

/** Waits until `check` passes (the component fetched and re-rendered), or fails after `ms`. */
export async function eventually(check: () => void, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
