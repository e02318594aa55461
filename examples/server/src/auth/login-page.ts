import type { FastifyInstance } from 'fastify';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>DataPortal sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto;">
<h1>DataPortal</h1>
<form id="f"><label>Token <input id="t" name="token" type="password" autocomplete="off" size="48"></label>
<button type="submit">Sign in</button></form>
<p id="m" role="status"></p>
<script src="/login.js"></script>
</body></html>
`;

const script = (home: string) => `'use strict';
async function signIn(token) {
  const res = await fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ token: token }),
  });
  if (res.ok) { location.replace(${JSON.stringify(home)}); return; }
  const body = await res.json().catch(function () { return {}; });
  document.getElementById('m').textContent = body.message || ('sign-in failed: HTTP ' + res.status);
}
const m = /[#&]token=([^&]+)/.exec(location.hash);
if (m) { history.replaceState(null, '', location.pathname); signIn(decodeURIComponent(m[1])); }
document.getElementById('f').addEventListener('submit', function (e) {
  e.preventDefault();
  signIn(document.getElementById('t').value.trim());
});
`;

/**
 * The sign-in page at `/login`: `/login#token=dp_…` (the URL the server prints at first start)
 * signs the browser in without the token ever reaching a server log (a fragment is not sent),
 * and a form takes a pasted token. Both post to `POST /api/v1/session`, then open the web page
 * (`/` when one is served, else `/docs`).
 *
 * @param app - the app
 */
export function registerLoginPage(app: FastifyInstance): void {
  app.get('/login', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(PAGE),
  );
  app.get('/login.js', { schema: { hide: true } }, async (_req, reply) => {
    const home = app.hasRoute({ method: 'GET', url: '/' }) ? '/' : '/docs';
    return reply.type('text/javascript; charset=utf-8').send(script(home));
  });
}
