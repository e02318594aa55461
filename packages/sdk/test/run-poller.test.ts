import { describe, expect, it } from 'vitest';
import type { BatchEngine, EngineRun, Execution, ExecutionInput, Task } from '../src/index.js';
import {
  createRunPoller,
  type RunPollerPortal,
  type RunPollerTimers,
} from '../src/portal/run-poller.js';

function task(id: number, over: Partial<Task> = {}): Task {
  const now = new Date('2025-01-01T00:00:00Z');
  return {
    id,
    name: `t${id}`,
    description: null,
    kind: 'sql',
    sql: 'insert into a.b select 1',
    taskType: 'batch',
    engine: 'dolphin',
    schedule: null,
    inputs: [],
    outputs: ['a.b'],
    owner: null,
    datasource: null,
    retries: 0,
    timeoutSeconds: 0,
    preStatements: [],
    postStatements: [],
    status: 'online',
    engineRef: { workflowCode: '1' },
    lastError: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

const RANK = { SUBMITTED: 0, RUNNING: 1, SUCCESS: 2, FAILED: 2, KILLED: 2 } as const;

/** An in-memory portal with the forward-only, idempotent recordExecution contract. */
function memoryPortal(tasks: Task[]) {
  const executions: Execution[] = [];
  const recorded: ExecutionInput[] = [];
  const portal: RunPollerPortal = {
    async listTasks(q) {
      const items = tasks.filter((t) => !q.engine || t.engine === q.engine);
      const start = q.cursor ? Number(q.cursor) : 0;
      const limit = 1; // force paging
      const page = items.slice(start, start + limit);
      return {
        items: page,
        nextCursor: start + limit < items.length ? String(start + limit) : null,
      };
    },
    async listExecutions(q) {
      const statuses = q.status === undefined ? null : ([] as string[]).concat(q.status);
      return {
        items: executions
          .filter(
            (e) =>
              (q.taskId === undefined || e.taskId === q.taskId) &&
              (!statuses || statuses.includes(e.status)),
          )
          .slice(0, q.limit ?? 100),
      };
    },
    async recordExecution(input) {
      recorded.push(input);
      const existing = executions.find(
        (e) =>
          e.taskId === input.taskId &&
          e.engine === input.engine &&
          e.externalRunId === input.externalRunId,
      );
      const now = new Date();
      if (!existing) {
        executions.push({
          id: executions.length + 1,
          taskId: input.taskId,
          engine: input.engine,
          externalRunId: input.externalRunId,
          status: input.status,
          startTime: (input.startTime as Date | null | undefined) ?? null,
          endTime: (input.endTime as Date | null | undefined) ?? null,
          durationMs: null,
          rowsOutput: input.rowsOutput ?? null,
          message: input.message ?? null,
          logRef: null,
          createdAt: now,
          updatedAt: now,
        });
      } else if (RANK[input.status] >= RANK[existing.status] && RANK[existing.status] < 2) {
        existing.status = input.status;
        existing.startTime = (input.startTime as Date | null | undefined) ?? existing.startTime;
        existing.endTime = (input.endTime as Date | null | undefined) ?? existing.endTime;
      }
      return existing;
    },
  };
  return { portal, executions, recorded };
}

function stubEngine(runs: Map<number, EngineRun[]>, fail: Set<number> = new Set()): BatchEngine {
  return {
    name: 'dolphin',
    capabilities: { schedule: true, dagSync: true, logs: true, stop: false },
    publish: async () => ({ refs: new Map(), online: true }),
    setOnline: async () => ({}),
    trigger: async () => ({ externalRunId: 'x' }),
    getRun: async (t, id) => runs.get(t.id)?.find((r) => r.externalRunId === id) ?? null,
    listRuns: async (t) => {
      if (fail.has(t.id)) throw new Error('engine down');
      return runs.get(t.id) ?? [];
    },
    getLog: async () => ({ text: '', nextOffset: 0, complete: true }),
  };
}

function run(id: string, status: EngineRun['status']): EngineRun {
  return {
    externalRunId: id,
    status,
    startTime: status === 'SUBMITTED' ? null : new Date('2025-01-01T01:00:00Z'),
    endTime: RANK[status] === 2 ? new Date('2025-01-01T01:00:05Z') : null,
    rowsOutput: null,
    message: null,
  };
}

function manualTimers() {
  let now = Date.parse('2025-01-01T02:00:00Z');
  const queue: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  const timers: RunPollerTimers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      queue.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = queue.findIndex((q) => q.id === h);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  return {
    timers,
    pending: () => queue.map((q) => q.at - now),
    async fire() {
      queue.sort((a, b) => a.at - b.at);
      const next = queue.shift();
      if (!next) return;
      now = next.at;
      next.fn();
    },
  };
}

describe('createRunPoller', () => {
  it('records runs it has not seen and moves in-flight runs forward, across task pages', async () => {
    const tasks = [task(1), task(2), task(3, { engineRef: null })];
    const { portal, executions } = memoryPortal(tasks);
    const runs = new Map([
      [1, [run('10', 'RUNNING')]],
      [2, [run('20', 'SUCCESS'), run('21', 'FAILED')]],
    ]);
    const poller = createRunPoller({ portal, engines: { dolphin: stubEngine(runs) } });
    const first = await poller.pollNow();
    expect(first).toMatchObject({ tasks: 2, recorded: 3, errors: 0 });
    expect(executions.map((e) => [e.externalRunId, e.status])).toEqual([
      ['10', 'RUNNING'],
      ['20', 'SUCCESS'],
      ['21', 'FAILED'],
    ]);
    runs.set(1, [run('10', 'SUCCESS')]);
    const second = await poller.pollNow();
    expect(second.recorded).toBe(1);
    expect(executions.find((e) => e.externalRunId === '10')?.status).toBe('SUCCESS');
    expect((await poller.pollNow()).recorded).toBe(0);
  });

  it('asks the engine about in-flight runs older than the look-back window', async () => {
    const { portal, executions } = memoryPortal([task(1)]);
    await portal.recordExecution({
      taskId: 1,
      engine: 'dolphin',
      externalRunId: '99',
      status: 'SUBMITTED',
    });
    const engine = stubEngine(new Map());
    engine.getRun = async () => run('99', 'KILLED');
    const poller = createRunPoller({ portal, engines: { dolphin: engine } });
    await poller.pollNow();
    expect(executions[0]?.status).toBe('KILLED');
  });

  it('reports engine failures to onError and keeps going with the other tasks', async () => {
    const { portal, executions } = memoryPortal([task(1), task(2)]);
    const errors: Array<number | undefined> = [];
    const poller = createRunPoller({
      portal,
      engines: { dolphin: stubEngine(new Map([[2, [run('5', 'SUCCESS')]]]), new Set([1])) },
      onError: (_e, ctx) => errors.push(ctx.taskId),
    });
    const summary = await poller.pollNow();
    expect(summary.errors).toBe(1);
    expect(errors).toEqual([1]);
    expect(executions).toHaveLength(1);
  });

  it('polls on its own timer with jitter, never overlaps passes and stops cleanly', async () => {
    const { portal } = memoryPortal([task(1)]);
    let calls = 0;
    const engine = stubEngine(new Map());
    engine.listRuns = async () => {
      calls += 1;
      return [];
    };
    const clock = manualTimers();
    const poller = createRunPoller({
      portal,
      engines: { dolphin: engine },
      intervalMs: 1000,
      jitter: 0.5,
      random: () => 1,
      timers: clock.timers,
    });
    poller.start();
    poller.start();
    const a = poller.pollNow();
    const b = poller.pollNow();
    expect(a).toBe(b);
    await a;
    await Promise.resolve();
    expect(calls).toBe(1);
    expect(clock.pending()).toEqual([1500]);
    await clock.fire();
    await poller.pollNow();
    await Promise.resolve();
    expect(calls).toBe(2);
    await poller.stop();
    expect(poller.running).toBe(false);
    expect(clock.pending()).toEqual([]);
  });
});
