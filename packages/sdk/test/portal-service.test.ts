import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchEngine,
  CatalogService,
  LineageHistoryService,
  LineageService,
  PortalService,
  PublishingService,
  RunService,
  TaskService,
} from '../src/index.js';
import type { TestStore } from '../src/testing/index.js';
import { openTestStore } from './support/dialects.js';
import { task } from './support/portal-suite.js';

// The use cases live in one module per concern (catalog.test.ts, tasks.test.ts,
// lineage.test.ts, runs.test.ts; publishing through the engines' end-to-end tests). This file
// checks the entry point that composes them.

function methodsOf(proto: object): string[] {
  return Object.getOwnPropertyNames(proto).filter(
    (n) =>
      n !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, n)?.value === 'function',
  );
}

describe('PortalService, the one entry point', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
  });
  afterAll(async () => {
    await store?.drop();
  });

  it('offers every method of every module under its old name', () => {
    const modules = [
      CatalogService,
      TaskService,
      LineageService,
      LineageHistoryService,
      RunService,
      PublishingService,
    ];
    const facade = new Set(methodsOf(PortalService.prototype));
    const all = modules.flatMap((m) => methodsOf(m.prototype));
    expect(all.filter((n) => !facade.has(n))).toEqual([]);
    // The 41 use cases the single-file PortalService had, none lost and none duplicated, plus
    // lineage history (as-of, graph as-of, diff, drift), the execution listener, resolveTableNames,
    // and lineageTasks (issue 19).
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(48);
  });

  it('makes a namespace call and the flat call the same call, over one shared state', async () => {
    const portal = new PortalService({ store });
    expect(portal.catalog).toBeInstanceOf(CatalogService);
    await portal.catalog.registerTable({ qualifiedName: 'ods.facade_a', layer: 'ODS' });
    await portal.registerTable({ qualifiedName: 'dwd.facade_b', layer: 'DWD' });
    expect((await portal.getTable('ods.facade_a')).layer).toBe('ODS');
    expect((await portal.catalog.getTable('dwd.facade_b')).layer).toBe('DWD');
    const t = await portal.tasks.createTask(task('facade_ab', ['ods.facade_a'], ['dwd.facade_b']));
    expect((await portal.getTask('facade_ab')).id).toBe(t.id);
    // The lineage cache sees writes made through any module.
    const before = await portal.lineage.lineageGraph();
    expect(before.hasEdge('ods.facade_a', 'dwd.facade_b')).toBe(true);
    await portal.deleteTask(t.id);
    expect((await portal.lineageGraph()).hasEdge('ods.facade_a', 'dwd.facade_b')).toBe(false);
    // Run reports know the task is gone (the known-task cache is shared too).
    const { code } = await portal.runs
      .recordExecution({ taskId: t.id, engine: 'local', externalRunId: 'x', status: 'RUNNING' })
      .then(
        () => ({ code: 'none' }),
        (err: { code: string }) => err,
      );
    expect(code).toBe('NOT_FOUND');
  });

  it('names the engines it was given', async () => {
    const bare = new PortalService({ store });
    expect(bare.engines).toEqual([]);
    expect(bare.batchEngine('local')).toBeUndefined();
    const local = { name: 'local' } as unknown as BatchEngine;
    const portal = new PortalService({ store, batchEngines: { local } });
    expect(portal.engines).toEqual(['local']);
    expect(portal.batchEngine('local')).toBe(local);
    expect(portal.streamEngine('dinky')).toBeUndefined();
    expect(portal.store).toBe(store);
  });
});
