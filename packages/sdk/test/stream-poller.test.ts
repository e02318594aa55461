import { describe, expect, it } from 'vitest';
import type { StreamEngine, StreamStatus } from '../src/engine/stream-engine';
import type { ExecutionInput } from '../src/models/execution';
import type { Task } from '../src/models/task';
import {
  createStreamPoller,
  executionStatusOfStream,
  type StreamPollerClock,
  type StreamPollerPortal,
} from '../src/portal/stream-poller';

function task(id: number, jobInstanceId: number | null, overrides: Partial<Task> = {}): Task {
  const at = new Date(0);
  return {
    id,
    name: `s${id}`,
    description: null,
    kind: 'sql',
    sql: 'INSERT INTO a.b SELECT * FROM c.d',
    taskType: 'stream',
    engine: 'dinky',
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
    engineRef: jobInstanceId === null ? null : { dinkyTaskId: 9, jobInstanceId },
    lastError: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

function status(
  state: StreamStatus['state'],
  runId: string | null,
  extra: Partial<StreamStatus> = {},
): StreamStatus {
  return {
    state,
    engineState: state.toUpperCase(),
    externalRunId: runId,
    startedAt: new Date(1_000),
    uptimeMs: 5_000,
    throughput: null,
    lastError: null,
    ...extra,
  };
}

function harness(initial: Task[]) {
  const tasks = [...initial];
  const recorded: ExecutionInput[] = [];
  const statusCalls: number[] = [];
  const byRun = new Map<string, StreamStatus | Error>();
  let now = 10_000;
  const portal: StreamPollerPortal = {
    async listTasks(query) {
      expect(query.taskType).toBe('stream');
      return { items: tasks.filter((t) => t.status === 'online'), nextCursor: null };
    },
    async recordExecution(input) {
      recorded.push(input);
      return {};
    },
  };
  const engine: StreamEngine = {
    name: 'dinky',
    capabilities: { savepoint: true, restart: true, publish: false },
    async start() {
      throw new Error('unused');
    },
    async stop() {
      throw new Error('unused');
    },
    async status(t) {
      statusCalls.push(t.id);
      const run = String(t.engineRef?.['jobInstanceId']);
      const s = byRun.get(`${t.id}:${run}`);
      if (s instanceof Error) throw s;
      return s ?? status('running', run);
    },
  };
  const timers: { fn: () => void; ms: number }[] = [];
  const clock: StreamPollerClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimeout: () => {
      timers.length = 0;
    },
  };
  return {
    tasks,
    recorded,
    statusCalls,
    timers,
    portal,
    engine,
    clock,
    set: (taskId: number, run: number, s: StreamStatus | Error) => byRun.set(`${taskId}:${run}`, s),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('executionStatusOfStream', () => {
  it.each([
    ['running', 'RUNNING'],
    ['finished', 'SUCCESS'],
    ['stopped', 'KILLED'],
    ['failed', 'FAILED'],
    ['starting', 'SUBMITTED'],
    ['unknown', null],
  ] as const)('maps %s to %s', (state, exec) => {
    expect(executionStatusOfStream(state)).toBe(exec);
  });
});

describe('createStreamPoller', () => {
  it('records each state change once, keyed by the job instance id', async () => {
    const h = harness([task(1, 7)]);
    const poller = createStreamPoller({ portal: h.portal, engine: h.engine, clock: h.clock });
    h.set(1, 7, status('starting', '7'));
    await poller.pollNow();
    h.set(1, 7, status('running', '7'));
    await poller.pollNow();
    await poller.pollNow();
    expect(h.recorded.map((r) => [r.externalRunId, r.status])).toEqual([
      ['7', 'SUBMITTED'],
      ['7', 'RUNNING'],
    ]);
    expect(h.recorded[1]).toMatchObject({ taskId: 1, engine: 'dinky', endTime: null });
  });

  it('records a failure with its message and end time, then stops polling that run', async () => {
    const h = harness([task(1, 7)]);
    const poller = createStreamPoller({ portal: h.portal, engine: h.engine, clock: h.clock });
    await poller.pollNow();
    h.set(1, 7, status('failed', '7', { lastError: 'kafka unreachable', uptimeMs: 60_000 }));
    await poller.pollNow();
    expect(h.recorded.at(-1)).toMatchObject({ status: 'FAILED', message: 'kafka unreachable' });
    expect(h.recorded.at(-1)?.endTime).toEqual(new Date(61_000));
    const calls = h.statusCalls.length;
    const summary = await poller.pollNow();
    expect(h.statusCalls.length).toBe(calls);
    expect(summary.finished).toBe(1);
  });

  it('polls again when the task has a new run, and closes the replaced run', async () => {
    const h = harness([task(1, 7)]);
    const poller = createStreamPoller({ portal: h.portal, engine: h.engine, clock: h.clock });
    await poller.pollNow();
    h.tasks[0] = task(1, 8);
    h.set(1, 7, status('stopped', '7'));
    h.set(1, 8, status('starting', '8'));
    await poller.pollNow();
    expect(h.recorded.map((r) => [r.externalRunId, r.status])).toEqual([
      ['7', 'RUNNING'],
      ['7', 'KILLED'],
      ['8', 'SUBMITTED'],
    ]);
  });

  it('notices a vanished job (the engine reports it failed)', async () => {
    const h = harness([task(1, 7)]);
    const poller = createStreamPoller({ portal: h.portal, engine: h.engine, clock: h.clock });
    h.set(
      1,
      7,
      status('failed', '7', {
        engineState: null,
        startedAt: null,
        uptimeMs: null,
        lastError: 'vanished',
      }),
    );
    await poller.pollNow();
    expect(h.recorded[0]).toMatchObject({
      status: 'FAILED',
      message: 'vanished',
      endTime: new Date(10_000),
    });
  });

  it('records a job stuck in unknown as FAILED only after the grace period', async () => {
    const h = harness([task(1, 7)]);
    const poller = createStreamPoller({
      portal: h.portal,
      engine: h.engine,
      clock: h.clock,
      unknownGraceMs: 60_000,
    });
    h.set(1, 7, status('unknown', '7'));
    await poller.pollNow();
    h.advance(30_000);
    await poller.pollNow();
    expect(h.recorded).toHaveLength(0);
    h.advance(30_000);
    await poller.pollNow();
    expect(h.recorded[0]?.status).toBe('FAILED');
    expect(h.recorded[0]?.message).toMatch(/unknown to the engine for 60 s/);
  });

  it('reports errors per task and keeps polling the others', async () => {
    const h = harness([task(1, 7), task(2, 8)]);
    const errors: unknown[] = [];
    const poller = createStreamPoller({
      portal: h.portal,
      engine: h.engine,
      clock: h.clock,
      onError: (e, ctx) => errors.push([ctx.taskId, (e as Error).message]),
    });
    h.set(1, 7, new Error('dinky down'));
    const summary = await poller.pollNow();
    expect(errors).toEqual([[1, 'dinky down']]);
    expect(summary).toMatchObject({ tasks: 2, errors: 1, recorded: 1 });
    expect(h.recorded[0]?.taskId).toBe(2);
  });

  it('skips tasks of other engines, without engine reference, or not started', async () => {
    const h = harness([task(1, null), task(2, 8, { status: 'offline' }), task(3, 9)]);
    const poller = createStreamPoller({ portal: h.portal, engine: h.engine, clock: h.clock });
    const summary = await poller.pollNow();
    expect(summary.tasks).toBe(1);
    expect(h.statusCalls).toEqual([3]);
  });

  it('turns a failing listTasks into onError, not a rejection', async () => {
    const h = harness([]);
    const errors: unknown[] = [];
    const poller = createStreamPoller({
      portal: { ...h.portal, listTasks: async () => Promise.reject(new Error('db down')) },
      engine: h.engine,
      clock: h.clock,
      onError: (e) => errors.push(e),
    });
    await expect(poller.pollNow()).resolves.toMatchObject({ errors: 1 });
    expect(errors).toHaveLength(1);
  });

  it('schedules passes at the interval within the jitter and stops cleanly', async () => {
    const h = harness([task(1, 7)]);
    const poller = createStreamPoller({
      portal: h.portal,
      engine: h.engine,
      clock: h.clock,
      intervalMs: 10_000,
      jitter: 0.2,
      random: () => 1,
    });
    poller.start();
    poller.start();
    await poller.pollNow();
    await new Promise((r) => setImmediate(r));
    expect(h.timers).toHaveLength(1);
    expect(h.timers[0]?.ms).toBe(12_000);
    h.timers[0]?.fn();
    await poller.pollNow();
    await poller.stop();
    expect(poller.running).toBe(false);
    expect(h.timers).toHaveLength(0);
  });
});
