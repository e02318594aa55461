import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness';

describe('OpenAPI document', () => {
  let h: Harness;
  let doc: {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components?: { schemas?: Record<string, unknown> };
  };
  beforeAll(async () => {
    h = await createHarness('sqlite');
    const r = await h.call({ method: 'GET', url: '/openapi.json' });
    expect(r.status).toBe(200);
    doc = r.body;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every API route the app serves', () => {
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const routes = h.app.apiRoutes;
    const missing = routes.filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  it('names the shared schemas as components (Task, Table, Execution, Error)', () => {
    const names = Object.keys(doc.components?.schemas ?? {});
    for (const n of ['Task', 'Table', 'Execution', 'Error', 'LineageGraph', 'NewTaskInput']) {
      expect(names).toContain(n);
    }
  });

  it('serves the interactive docs at /docs', async () => {
    const r = await h.call({ method: 'GET', url: '/docs/' });
    expect(r.status).toBe(200);
    expect(String(r.body)).toContain('Swagger UI');
  });
});
