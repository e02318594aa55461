import { type Role, roleAtLeast } from '@dataportal/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RULES, type RouteRule } from '../src/auth/route-rules';
import { storeDialects } from './support/dialects';
import { type As, createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();
const CALLERS: readonly As[] = ['anonymous', 'viewer', 'developer', 'admin'];

/** What a cell must answer: 401, 403, or "past the gate" (anything but 401/403). */
function expected(rule: RouteRule, as: As): 401 | 403 | 'pass' {
  if (rule.access === 'public') return 'pass';
  if (as === 'anonymous') return 401;
  if (rule.access === 'user') return 'pass';
  // Engines without the callback secret: a developer's token vouches, a viewer's does not.
  if (rule.access === 'callback') return roleAtLeast(as, 'developer') ? 'pass' : 401;
  return roleAtLeast(as, rule.role) ? 'pass' : 403;
}

// The full route × role matrix, generated from the OpenAPI document: every documented route
// has a rule, and every (route, caller) cell answers what the rule says. Ownership routes are
// called on entities the developer owns, so "past the gate" means the role check alone.
describe.each(dialects)('route × role matrix from the OpenAPI document on %s', (dialect) => {
  let h: Harness;
  let cells: { method: string; path: string; rule: RouteRule | undefined }[];
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(dialect, { demo: true });
    const doc = (await h.call({ method: 'GET', url: '/openapi.json', as: 'anonymous' })).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    cells = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => {
        const method = m.toUpperCase();
        return { method, path, rule: ROUTE_RULES[`${method} ${path}`] };
      }),
    );
    const table = await h.call({
      as: 'developer',
      method: 'POST',
      url: '/api/v1/tables',
      payload: { qualified_name: 'dev.matrix_out', layer: 'DWD' },
    });
    expect(table.status).toBe(201);
    expect(table.body.owner).toBe('test-developer');
    const task = await h.call({
      as: 'developer',
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'matrix_task',
        sql: 'INSERT INTO dev.matrix_out SELECT * FROM ods.users',
        task_type: 'batch',
        engine: 'local',
        inputs: ['ods.users'],
        outputs: ['dev.matrix_out'],
      },
    });
    expect(task.status).toBe(201);
    // A throwaway token, so DELETE /tokens/{id} never revokes the harness's own.
    const spare = await h.call({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'spare' },
    });
    expect(spare.status).toBe(201);
    ids['tokens'] = String(spare.body.id);
    ids['tables'] = String(table.body.id);
    ids['tasks'] = String(task.body.id);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('documents a rule for every route, and the table has no rule for a route that is gone', () => {
    expect(cells.filter((c) => !c.rule).map((c) => `${c.method} ${c.path}`)).toEqual([]);
    const documented = new Set(cells.map((c) => `${c.method} ${c.path}`));
    expect(Object.keys(ROUTE_RULES).filter((k) => !documented.has(k))).toEqual([]);
    expect(cells.length).toBeGreaterThanOrEqual(50);
  });

  it('answers 401 without a token, 403 without the right, and lets the right role through', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const as of CALLERS) {
      for (const { method, path, rule } of cells) {
        if (!rule) continue;
        const collection = path.split('/')[3] ?? '';
        const url = path.replace('{id}', ids[collection] ?? '1');
        const res = await h.call({
          as,
          method: method as 'GET',
          url,
          ...(method !== 'GET' && method !== 'DELETE' && { payload: {} }),
        });
        await h.engine.idle();
        const want = expected(rule, as);
        const ok = want === 'pass' ? res.status !== 401 && res.status !== 403 : res.status === want;
        if (!ok) wrong.push(`${as} ${method} ${path}: ${res.status} (want ${want})`);
        if (res.status >= 500) wrong.push(`${as} ${method} ${path}: ${res.status} ${res.body}`);
        checked++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(cells.length * CALLERS.length);
  }, 120_000);

  it('answers 2xx to each role on the reads it has, and on a write it owns', async () => {
    for (const as of ['viewer', 'developer', 'admin'] as Role[]) {
      for (const url of [
        '/api/v1/tasks',
        '/api/v1/tables',
        '/api/v1/lineage',
        '/api/v1/executions',
      ]) {
        expect((await h.call({ as, method: 'GET', url })).status, `${as} ${url}`).toBe(200);
      }
    }
    // The matrix deleted the developer's task; a new one is theirs again.
    const task = await h.call({
      as: 'developer',
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'matrix_task_2',
        sql: 'INSERT INTO dev.matrix_out SELECT * FROM ods.users',
        task_type: 'batch',
        engine: 'local',
        inputs: ['ods.users'],
        outputs: ['dev.matrix_out'],
      },
    });
    expect(task.status).toBe(201);
    const patch = await h.call({
      as: 'developer',
      method: 'PATCH',
      url: `/api/v1/tasks/${task.body.id}`,
      payload: { description: 'mine', version: task.body.version },
    });
    expect(patch.status).toBe(200);
  });
});

describe('ownership', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite', { demo: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("refuses a developer's change to a task someone else owns; the owner may hand it over", async () => {
    const theirs = (await h.call({ method: 'GET', url: '/api/v1/tasks/dim_customer' })).body;
    expect(theirs.owner).not.toBe('test-developer');
    const denied = await h.call({
      as: 'developer',
      method: 'PATCH',
      url: `/api/v1/tasks/${theirs.id}`,
      payload: { sql: 'DROP TABLE dim.customer', version: theirs.version },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    const run = await h.call({
      as: 'developer',
      method: 'POST',
      url: `/api/v1/tasks/${theirs.id}/run`,
    });
    expect(run.status).toBe(403);
    const viewer = await h.call({
      as: 'viewer',
      method: 'DELETE',
      url: `/api/v1/tasks/${theirs.id}`,
    });
    expect(viewer.status).toBe(403);
    // The admin hands it over; now the developer may change it.
    const handed = await h.call({
      method: 'PATCH',
      url: `/api/v1/tasks/${theirs.id}`,
      payload: { owner: 'test-developer', version: theirs.version },
    });
    expect(handed.status).toBe(200);
    const allowed = await h.call({
      as: 'developer',
      method: 'PATCH',
      url: `/api/v1/tasks/${theirs.id}`,
      payload: { description: 'now mine', version: handed.body.version },
    });
    expect(allowed.status).toBe(200);
  });
});
