import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the API or the server itself, never to the web app's fallback. */
const NOT_WEB = /^\/(api|docs|openapi\.json|healthz|readyz|assets)(\/|\?|$)/;
/** File names a browser asks for; a page path may still hold dots (`/tables/ods.orders`). */
const FILE =
  /\.(js|mjs|css|map|json|png|jpe?g|gif|svg|ico|webp|woff2?|ttf|wasm|txt|xml|webmanifest)$/i;

/**
 * Whether a request that found no route should get the web app's `index.html` (SPA fallback):
 * a GET or HEAD for a page path (not the API, not an asset or a file name such as `x.js`) from a client
 * that accepts HTML.
 *
 * @param req - the unmatched request
 * @returns true to answer with the app shell
 */
export function wantsAppShell(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = req.url.split('?')[0] ?? '/';
  if (NOT_WEB.test(path)) return false;
  if (FILE.test(path)) return false;
  const accept = String(req.headers.accept ?? '');
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

/**
 * Serves the built web app (`examples/web/dist`) at `/`: hashed files under `/assets/` are
 * cached for a year (immutable), `index.html` is revalidated on every load, and the API keeps
 * `/api`. The caller's not-found handler asks {@link wantsAppShell} and answers with
 * {@link sendAppShell} for the app's own routes (`/tasks/12`, `/lineage` …).
 *
 * @param app - the Fastify instance
 * @param root - absolute path of the built app (must contain `index.html`)
 * @returns true when the folder holds a built app and was registered
 */
export async function registerWeb(app: FastifyInstance, root: string): Promise<boolean> {
  if (!existsSync(join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (reply, path) => {
      const immutable = /[/\\]assets[/\\]/.test(path);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
    // The static routes are not API routes: keep them out of the OpenAPI document.
    schemaHide: true,
  });
  return true;
}

/**
 * Answers with the web app's shell, `index.html`, revalidated on every load.
 *
 * @param reply - the reply of an unmatched page request
 * @returns the reply
 */
export function sendAppShell(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html');
}
