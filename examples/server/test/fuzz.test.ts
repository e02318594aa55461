import { roleAtLeast } from '@dataportal/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RULES } from '../src/auth/route-rules';
import { storeDialects } from './support/dialects';
import { type As, createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

// Throws random bodies, queries and ids at every documented route, as every role: bad input must
// be a 4xx in the error shape, never a 5xx, and a caller without the route's right is refused
// (401/403) whatever they send — never a write without the right. ENGINE_FAILED (502) is excluded by construction: the only engine
// is the local one, which does not fail on bad input.
describe.each(dialects)('fuzz: random input never produces a 5xx on %s', (dialect) => {
  let h: Harness;
  let routes: { method: string; path: string }[];
  beforeAll(async () => {
    h = await createHarness(dialect, { demo: true });
    routes = h.app.apiRoutes.map((r) => {
      const [method = 'GET', path = '/'] = r.split(' ');
      return { method, path };
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const scalar = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(
      'ods.orders',
      'dim_product',
      'SUCCESS',
      'batch',
      'local',
      'dinky',
      '0 2 * * *',
      '1',
      '-1',
      '',
    ),
  );
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }),
      tie('object'),
    ),
    object: fc.dictionary(
      fc.constantFrom(
        'name',
        'sql',
        'task_type',
        'engine',
        'schedule',
        'inputs',
        'outputs',
        'task_id',
        'status',
        'start_time',
        'end_time',
        'rows_output',
        'scheduler',
        'auto_start',
        'qualified_name',
        'layer',
        'fields',
        'version',
        'savepoint',
        'run_id',
        'source',
        'target',
        'kind',
        'content',
        'databases',
        'register_missing_tables',
        'tags',
        'owner',
        'type',
      ),
      tie('value'),
      { maxKeys: 8 },
    ),
  })).value;
  const idArb = fc.oneof(
    fc.constantFrom(
      '1',
      '2',
      '3',
      '9',
      '0',
      '99999999',
      'dim_product',
      'ods.orders',
      'x.y',
      '%20',
      '-1',
      '1e3',
    ),
    fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  );
  const queryArb = fc.dictionary(
    fc.constantFrom(
      'limit',
      'cursor',
      'status',
      'engine',
      'task_type',
      'table',
      'direction',
      'depth',
      'format',
      'task_id',
      'from',
      'to',
      'layer',
      'prefix',
      'offset',
      'version',
      'since',
      'window',
      'max_depth',
    ),
    fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer().map(String),
      fc.constantFrom('ods.orders', 'up', 'mermaid', 'SUCCESS'),
    ),
    { maxKeys: 4 },
  );

  it('answers 2xx or 4xx to random requests on every route', async () => {
    const seen = { ok: 0, refused: 0, routes: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom<As>('anonymous', 'viewer', 'developer', 'admin'),
        idArb,
        queryArb,
        fc.option(json, { nil: undefined }),
        async (pick, as, id, query, body) => {
          const route = routes[pick % routes.length] ?? { method: 'GET', path: '/healthz' };
          const rule = ROUTE_RULES[`${route.method} ${route.path}`];
          // Token ids 1–3 are the harness's own credentials: revoking them would end the run.
          const safeId = route.path.startsWith('/api/v1/tokens/') ? `9${id}` : id;
          const url = route.path.replace(/\{[a-z_]+\}/g, safeId);
          const qs = new URLSearchParams(query).toString();
          const res = await h.app.inject({
            headers: h.headersFor(as),
            method: route.method as 'GET',
            url: qs ? `${url}?${qs}` : url,
            ...(body !== undefined && route.method !== 'GET' && route.method !== 'DELETE'
              ? {
                  payload: JSON.stringify(body),
                  headers: { ...h.headersFor(as), 'content-type': 'application/json' },
                }
              : {}),
          });
          await h.engine.idle();
          seen.routes.add(`${route.method} ${route.path}`);
          const allowed =
            rule?.access === 'public' ||
            (as !== 'anonymous' &&
              (rule?.access === 'user' ||
                (rule?.access === 'callback' && roleAtLeast(as, 'developer')) ||
                (rule?.access === 'role' && roleAtLeast(as, rule.role))));
          // An id like "." or ".." makes another path that no route matches: nothing ran.
          const unmatched = res.statusCode === 404 && res.json().code === 'ROUTE_NOT_FOUND';
          if (!allowed && !unmatched) {
            expect([401, 403], `${as} ${route.method} ${route.path}`).toContain(res.statusCode);
          }
          if (res.statusCode < 400) seen.ok++;
          else seen.refused++;
          if (res.statusCode >= 500) {
            throw new Error(
              `${route.method} ${url}?${qs} ${JSON.stringify(body)} -> ${res.statusCode} ${res.body}`,
            );
          }
          if (res.statusCode >= 400) {
            const b = res.json();
            expect(Object.keys(b)).toEqual(
              expect.arrayContaining(['statusCode', 'code', 'error', 'message']),
            );
            expect(b.statusCode).toBe(res.statusCode);
          }
        },
      ),
      { numRuns: dialect === 'sqlite' ? 2000 : 800, seed: 20261123 },
    );
    // The property means something only if it reached every route and got both answers.
    expect(seen.routes.size).toBe(routes.length);
    expect(seen.ok).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(50);
  }, 120_000);
});
