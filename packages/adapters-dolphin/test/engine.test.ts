import type { Task } from '@dataportal/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDolphinEngine,
  type DolphinEngine,
  isDolphinError,
  readDolphinRef,
} from '../src/index';
import { createFakeDolphinScheduler, type FakeDolphinScheduler } from '../src/testing/index';
import { LINES, makeTask, noSleep } from './helpers';

let ds: FakeDolphinScheduler | undefined;
let other: FakeDolphinScheduler | undefined;
afterEach(async () => {
  await ds?.close();
  await other?.close();
  ds = undefined;
  other = undefined;
});

function engineFor(
  fake: FakeDolphinScheduler,
  extra: Partial<Parameters<typeof createDolphinEngine>[0]> = {},
): DolphinEngine {
  return createDolphinEngine({
    baseUrl: fake.url,
    token: fake.token,
    project: 'dataportal',
    timeZone: 'Asia/Shanghai',
    sleep: noSleep,
    retryBackoffMs: 1,
    ...extra,
  });
}

function withRef(task: Task, refs: ReadonlyMap<number, Record<string, unknown>>): Task {
  return { ...task, engineRef: refs.get(task.id) ?? null, status: 'online' };
}

describe.each(LINES)('createDolphinEngine on %s', (line) => {
  it('publishes a SQL task as an online workflow with an online Quartz schedule', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const dsId = ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const engine = engineFor(ds);
    const task = makeTask({
      name: 'orders_daily',
      schedule: '30 2 * * *',
      preStatements: ['set @a = 1'],
      postStatements: ['analyze table dw.orders_daily'],
      retries: 2,
    });
    const res = await engine.publish({
      unitName: 'orders_daily',
      tasks: [task],
      dependencies: [],
      external: [],
      schedule: '30 2 * * *',
      online: true,
    });
    expect(res.online).toBe(true);
    const ref = readDolphinRef(res.refs.get(task.id));
    expect(ref).toMatchObject({
      line,
      workflowName: 'orders_daily',
      taskName: 'orders_daily',
      unitTaskCount: 1,
    });
    const wf = ds.state.workflows[0];
    expect(ds.state.workflows).toHaveLength(1);
    expect(wf?.releaseState).toBe('ONLINE');
    expect(String(wf?.code)).toBe(ref?.workflowCode);
    expect(wf?.tasks[0]).toMatchObject({
      taskType: 'SQL',
      failRetryTimes: 2,
      taskParams: {
        type: 'MYSQL',
        datasource: dsId,
        sqlType: '1',
        preStatements: ['set @a = 1'],
        postStatements: ['analyze table dw.orders_daily'],
      },
    });
    expect(ds.state.schedules).toHaveLength(1);
    expect(ds.state.schedules[0]).toMatchObject({
      crontab: '0 30 2 * * ? *',
      timezoneId: 'Asia/Shanghai',
      releaseState: 'ONLINE',
      id: ref?.scheduleId,
    });
  });

  it('publishes a SHELL task and refuses a SQL task whose data source is unknown', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const engine = engineFor(ds);
    const shell = makeTask({ name: 'export', kind: 'shell', sql: 'echo done', datasource: null });
    await engine.publish({
      unitName: 'export',
      tasks: [shell],
      dependencies: [],
      external: [],
      schedule: null,
      online: true,
    });
    expect(ds.state.workflows[0]?.tasks[0]).toMatchObject({
      taskType: 'SHELL',
      taskParams: { rawScript: 'echo done' },
    });
    const sql = makeTask({ name: 'x', datasource: 'nowhere' });
    const err = await engine
      .publish({
        unitName: 'x',
        tasks: [sql],
        dependencies: [],
        external: [],
        schedule: null,
        online: true,
      })
      .catch((e: unknown) => e);
    expect(isDolphinError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect(ds.state.workflows).toHaveLength(1);
  });

  it('runs end to end: trigger, success and failure, log, republish with stable codes, offline, unpublish', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const engine = engineFor(ds);
    let task = makeTask({ name: 'orders', schedule: '0 3 * * *' });
    const req = {
      unitName: 'orders',
      dependencies: [],
      external: [],
      schedule: '0 3 * * *',
      online: true,
    };
    const first = await engine.publish({ ...req, tasks: [task] });
    task = withRef(task, first.refs);
    const ref1 = readDolphinRef(task.engineRef);

    ds.setRunPlan({ outcome: 'SUCCESS', durationMs: 4_000, log: ['rows: 42', 'finished'] });
    const { externalRunId } = await engine.trigger(task);
    expect((await engine.getRun(task, externalRunId))?.status).toBe('SUBMITTED');
    await ds.advanceRuns();
    expect((await engine.getRun(task, externalRunId))?.status).toBe('RUNNING');
    await ds.advanceRuns();
    const done = await engine.getRun(task, externalRunId);
    expect(done?.status).toBe('SUCCESS');
    expect((done?.endTime?.getTime() ?? 0) - (done?.startTime?.getTime() ?? 0)).toBe(4_000);
    const log = await engine.getLog(task, externalRunId);
    expect(log.text).toContain('rows: 42');
    expect(log.complete).toBe(true);
    const paged = await engine.getLog(task, externalRunId, { offset: 0, limit: 1 });
    expect(paged).toMatchObject({ nextOffset: 1, complete: false });
    const rest = await engine.getLog(task, externalRunId, { offset: paged.nextOffset, limit: 10 });
    expect(paged.text + rest.text).toBe(log.text);

    ds.setRunPlan({ outcome: 'FAILURE', durationMs: 1_500 });
    const failed = await engine.trigger(task);
    await ds.settleRuns();
    const f = await engine.getRun(task, failed.externalRunId);
    expect(f?.status).toBe('FAILED');
    expect(f?.message).toContain('FAILURE');
    const runs = await engine.listRuns(task, { limit: 10 });
    expect(runs.map((r) => [r.externalRunId, r.status])).toEqual([
      [failed.externalRunId, 'FAILED'],
      [externalRunId, 'SUCCESS'],
    ]);

    task = { ...task, sql: 'insert into dw.orders select 2' };
    const second = await engine.publish({ ...req, tasks: [task] });
    const ref2 = readDolphinRef(second.refs.get(task.id));
    expect(ds.state.workflows).toHaveLength(1);
    expect(ref2?.workflowCode).toBe(ref1?.workflowCode);
    expect(ref2?.taskCode).toBe(ref1?.taskCode);
    expect(ref2?.workflowVersion).toBe((ref1?.workflowVersion ?? 0) + 1);
    expect(ref2?.taskVersion).toBe((ref1?.taskVersion ?? 0) + 1);
    expect(ds.state.schedules).toHaveLength(1);
    expect(ds.state.schedules[0]?.releaseState).toBe('ONLINE');
    task = withRef(task, second.refs);

    await engine.setOnline(task, false);
    expect(ds.state.workflows[0]?.releaseState).toBe('OFFLINE');
    expect(ds.state.schedules[0]?.releaseState).toBe('OFFLINE');
    const refused = await engine.trigger(task).catch((e: unknown) => e);
    expect(isDolphinError(refused, 'NOT_RELEASED')).toBe(true);
    await engine.setOnline(task, true);
    expect(ds.state.schedules[0]?.releaseState).toBe('ONLINE');

    await engine.unpublish?.(task);
    expect(ds.state.workflows).toHaveLength(0);
    expect(ds.state.schedules).toHaveLength(0);
  });

  it('stops a running run, and answers a finished run with its final state instead of an error', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const engine = engineFor(ds);
    let task = makeTask({ name: 'stoppable' });
    const req = {
      unitName: 'stoppable',
      dependencies: [],
      external: [],
      schedule: null,
      online: true,
    };
    task = withRef(task, (await engine.publish({ ...req, tasks: [task] })).refs);
    ds.setRunPlan({ outcome: 'SUCCESS', durationMs: 1_000 });
    const done = await engine.trigger(task);
    await ds.settleRuns();
    // 3.1/3.2 answer 50006, 3.3 answers 10000 for a run that already ended (reference §11.5, §12).
    expect(await engine.stopRun(task, done.externalRunId)).toMatchObject({ status: 'SUCCESS' });
    const running = await engine.trigger(task);
    await ds.advanceRuns();
    expect(await engine.stopRun(task, running.externalRunId)).toMatchObject({ status: 'KILLED' });
    expect(await engine.stopRun(task, running.externalRunId)).toMatchObject({ status: 'KILLED' });
  });

  it('publishes a lineage group as one workflow with relations, DEPENDENT nodes and a constant number of calls', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const engine = engineFor(ds);
    await engine.ping?.();
    // An upstream unit published first.
    let up = makeTask({ name: 'ods_orders' });
    up = withRef(
      up,
      (
        await engine.publish({
          unitName: 'ods',
          tasks: [up],
          dependencies: [],
          external: [],
          schedule: null,
          online: true,
        })
      ).refs,
    );

    const publishCalls = async (n: number) => {
      const tasks = Array.from({ length: n }, (_, i) => makeTask({ name: `g${n}_t${i}` }));
      const dependencies = tasks
        .slice(1)
        .map((t, i) => ({ upstream: (tasks[Math.floor(i / 2)] as Task).id, downstream: t.id }));
      const before = engine.client.callCount;
      const res = await engine.publish({
        unitName: `group_${n}`,
        tasks,
        dependencies,
        external: [{ task: (tasks[0] as Task).id, dependsOn: up }],
        schedule: '0 4 * * *',
        online: true,
      });
      return { calls: engine.client.callCount - before, tasks, res, dependencies };
    };
    const one = await publishCalls(1);
    const twenty = await publishCalls(20);
    expect(twenty.calls).toBe(one.calls);
    expect(one.calls).toBe(7);

    const wf = ds.state.workflows.find((w) => w.name === 'group_20');
    expect(wf?.tasks).toHaveLength(21);
    const codeOf = (name: string) => wf?.tasks.find((t) => t.name === name)?.code;
    const dep = wf?.tasks.find((t) => t.taskType === 'DEPENDENT');
    expect(dep?.name).toBe('wait__ods_orders');
    const upRef = readDolphinRef(up.engineRef);
    expect(JSON.stringify(dep?.taskParams)).toContain(String(upRef?.taskCode));
    const edges = new Set(wf?.relations.map((r) => `${r.preTaskCode}>${r.postTaskCode}`));
    for (const d of twenty.dependencies) {
      const a = twenty.tasks.find((t) => t.id === d.upstream)?.name ?? '';
      const b = twenty.tasks.find((t) => t.id === d.downstream)?.name ?? '';
      expect(edges.has(`${codeOf(a)}>${codeOf(b)}`)).toBe(true);
    }
    expect(edges.has(`0>${dep?.code}`)).toBe(true);
    expect(edges.has(`${dep?.code}>${codeOf('g20_t0')}`)).toBe(true);
    expect([...edges].filter((e) => e.startsWith('0>'))).toHaveLength(1);

    // Re-publishing the group updates in place with a constant number of calls too.
    const tasks = twenty.tasks.map((t) =>
      withRef({ ...t, sql: `${t.sql} -- v2` }, twenty.res.refs),
    );
    const before = engine.client.callCount;
    await engine.publish({
      unitName: 'group_20',
      tasks,
      dependencies: twenty.dependencies,
      external: [{ task: (tasks[0] as Task).id, dependsOn: up }],
      schedule: '0 4 * * *',
      online: true,
    });
    expect(engine.client.callCount - before).toBe(8);
    expect(ds.state.workflows.filter((w) => w.name === 'group_20')).toHaveLength(1);
    expect(ds.state.workflows.find((w) => w.name === 'group_20')?.version).toBe(2);

    // Triggering one task of the group runs only that task; its status is the task's own.
    const t5 = tasks[5] as Task;
    const run = await engine.trigger(t5);
    await ds.settleRuns();
    const got = await engine.getRun(t5, run.externalRunId);
    expect(got?.status).toBe('SUCCESS');
    expect(await engine.getRun(tasks[6] as Task, run.externalRunId)).toBeNull();
    expect((await engine.listRuns(t5)).map((r) => r.externalRunId)).toEqual([run.externalRunId]);
    expect(await engine.listRuns(tasks[6] as Task)).toEqual([]);

    // Unpublishing one task of the group keeps the workflow with the others.
    await engine.unpublish?.(tasks[19] as Task);
    const after = ds.state.workflows.find((w) => w.name === 'group_20');
    expect(after?.tasks.map((t) => t.name)).not.toContain('g20_t19');
    expect(after?.tasks).toHaveLength(20);
  });
});

describe('createDolphinEngine across an upgrade', () => {
  it('keeps working when a 3.2 server becomes 3.3 (new server with the same state, or in place)', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.2' });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const engine32 = engineFor(ds);
    let task = makeTask({ name: 'kept', schedule: '0 1 * * *' });
    task = withRef(
      task,
      (
        await engine32.publish({
          unitName: 'kept',
          tasks: [task],
          dependencies: [],
          external: [],
          schedule: '0 1 * * *',
          online: true,
        })
      ).refs,
    );
    expect(readDolphinRef(task.engineRef)?.line).toBe('3.2');

    other = await createFakeDolphinScheduler({ version: '3.3', state: ds.snapshot() });
    const engine33 = engineFor(other);
    const run = await engine33.trigger(task);
    await other.settleRuns();
    expect((await engine33.getRun(task, run.externalRunId))?.status).toBe('SUCCESS');
    const republished = await engine33.publish({
      unitName: 'kept',
      tasks: [{ ...task, sql: 'insert into dw.kept select 3' }],
      dependencies: [],
      external: [],
      schedule: '0 1 * * *',
      online: true,
    });
    const ref = readDolphinRef(republished.refs.get(task.id));
    expect(ref?.line).toBe('3.3');
    expect(ref?.workflowCode).toBe(readDolphinRef(task.engineRef)?.workflowCode);
    expect(other.state.workflows).toHaveLength(1);

    // In place: the same engine re-probes when the old paths answer HTML.
    ds.setVersion('3.3');
    const again = await engine32.trigger(task);
    await ds.settleRuns();
    expect((await engine32.getRun(task, again.externalRunId))?.status).toBe('SUCCESS');
  });

  it('carries codes above 2^53 exactly', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.3', largeCodes: true });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const engine = engineFor(ds);
    let task = makeTask({ name: 'big' });
    task = withRef(
      task,
      (
        await engine.publish({
          unitName: 'big',
          tasks: [task],
          dependencies: [],
          external: [],
          schedule: null,
          online: true,
        })
      ).refs,
    );
    const ref = readDolphinRef(task.engineRef);
    expect(BigInt(ref?.workflowCode ?? 0) > 2n ** 53n).toBe(true);
    expect(ref?.workflowCode).toBe(String(ds.state.workflows[0]?.code));
    expect(ref?.taskCode).toBe(String(ds.state.workflows[0]?.tasks[0]?.code));
    const run = await engine.trigger(task);
    await ds.settleRuns();
    expect((await engine.getRun(task, run.externalRunId))?.status).toBe('SUCCESS');
  });
});

describe('createDolphinEngine.trigger on 3.1', () => {
  it('finds its own instance by the start token even when a newer run appears first', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.1' });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const fake = ds;
    let workflowCode = '';
    let scheduledId = 0;
    const engine = engineFor(fake, {
      fetch: async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const res = await fetch(input, init);
        if (url.includes('start-process-instance') && workflowCode) {
          scheduledId = fake.fireSchedule(workflowCode); // a scheduled run sneaks in, newer id
        }
        return res;
      },
    });
    let task = makeTask({ name: 'racy', schedule: '0 5 * * *' });
    task = withRef(
      task,
      (
        await engine.publish({
          unitName: 'racy',
          tasks: [task],
          dependencies: [],
          external: [],
          schedule: '0 5 * * *',
          online: true,
        })
      ).refs,
    );
    workflowCode = readDolphinRef(task.engineRef)?.workflowCode ?? '';
    const run = await engine.trigger(task);
    expect(scheduledId).toBeGreaterThan(0);
    expect(Number(run.externalRunId)).toBeLessThan(scheduledId);
    const mine = fake.state.instances.find((i) => i.id === Number(run.externalRunId));
    expect(mine?.commandType).toBe('START_PROCESS');
  });
});

describe('createDolphinEngine.publish offline', () => {
  it('leaves a new workflow offline without a schedule and creates it when taken online', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.2' });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const engine = engineFor(ds);
    let task = makeTask({ name: 'later', schedule: '15 4 * * 1-5' });
    const res = await engine.publish({
      unitName: 'later',
      tasks: [task],
      dependencies: [],
      external: [],
      schedule: '15 4 * * 1-5',
      online: false,
    });
    expect(res.online).toBe(false);
    expect(ds.state.workflows[0]?.releaseState).toBe('OFFLINE');
    expect(ds.state.schedules).toHaveLength(0);
    task = withRef(task, res.refs);
    const ref = await engine.setOnline(task, true);
    expect(ds.state.workflows[0]?.releaseState).toBe('ONLINE');
    expect(ds.state.schedules[0]).toMatchObject({
      releaseState: 'ONLINE',
      crontab: '0 15 4 ? * 2,3,4,5,6 *',
    });
    expect(readDolphinRef(ref)?.scheduleId).toBe(ds.state.schedules[0]?.id);
    // Removing the cron on re-publish deletes the schedule.
    await engine.publish({
      unitName: 'later',
      tasks: [{ ...task, engineRef: ref, schedule: null }],
      dependencies: [],
      external: [],
      schedule: null,
      online: true,
    });
    expect(ds.state.schedules).toHaveLength(0);
    expect(ds.state.workflows[0]?.releaseState).toBe('ONLINE');
  });
});
