import { createRunPoller, openStore, PortalService, type Store } from '@dataportal/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  alertToExecutionInputs,
  createDolphinEngine,
  DolphinClient,
  type DolphinEngine,
  parseDolphinAlert,
  provisionDolphinAlerts,
  readDolphinRef,
} from '../src/index';
import { createFakeDolphinScheduler, type FakeDolphinScheduler } from '../src/testing/index';
import { LINES, noSleep, type Receiver, startReceiver } from './helpers';

let ds: FakeDolphinScheduler | undefined;
let receiver: Receiver | undefined;
let store: Store | undefined;
afterEach(async () => {
  await ds?.close();
  await receiver?.close();
  await store?.close();
  ds = undefined;
  receiver = undefined;
  store = undefined;
});

async function setup(line: '3.1' | '3.2' | '3.3', engineExtra: { timeoutMs?: number } = {}) {
  ds = await createFakeDolphinScheduler({ version: line });
  ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
  receiver = await startReceiver();
  const prov = await provisionDolphinAlerts(
    new DolphinClient({ baseUrl: ds.url, token: ds.token }),
    {
      callbackUrl: receiver.url,
    },
  );
  const engine: DolphinEngine = createDolphinEngine({
    baseUrl: ds.url,
    token: ds.token,
    project: 'dataportal',
    timeZone: 'Asia/Shanghai',
    alertGroupId: prov.alertGroupId,
    sleep: noSleep,
    retryBackoffMs: 1,
    ...engineExtra,
  });
  store = await openStore({ url: 'sqlite::memory:', migrate: true });
  const portal = new PortalService({ store, batchEngines: { dolphin: engine } });
  await portal.registerTable({ qualifiedName: 'ods.orders', layer: 'ODS' });
  await portal.registerTable({ qualifiedName: 'dwd.orders', layer: 'DWD' });
  const poller = createRunPoller({ portal, engines: { dolphin: engine }, intervalMs: 1000 });
  return { engine, portal, poller, fake: ds, rx: receiver };
}

describe.each(LINES)('PortalService with the DolphinScheduler engine on %s', (line) => {
  it('publishes, schedules, runs, records by callback and poller, reads logs, republishes and goes offline', async () => {
    const { engine, portal, poller, fake, rx } = await setup(line);
    const created = await portal.createTask({
      name: 'dwd_orders',
      sql: 'insert into dwd.orders select * from ods.orders',
      taskType: 'batch',
      engine: 'dolphin',
      schedule: '0 2 * * *',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
      datasource: 'warehouse',
    });
    let task = await portal.publishTask(created.id);
    expect(task.status).toBe('online');
    const ref = readDolphinRef(task.engineRef);
    expect(fake.state.workflows[0]?.releaseState).toBe('ONLINE');
    expect(fake.state.schedules[0]).toMatchObject({
      releaseState: 'ONLINE',
      crontab: '0 0 2 * * ? *',
      timezoneId: 'Asia/Shanghai',
    });

    // A manual run that succeeds: the callback records it; a duplicate and a stale report change nothing.
    fake.setRunPlan({ outcome: 'SUCCESS', durationMs: 7_000, log: ['inserted 42 rows'] });
    const exec = await portal.triggerTask(task.id);
    expect(exec.status).toBe('SUBMITTED');
    await fake.settleRuns();
    const tasks = (await portal.listTasks({ engine: 'dolphin' })).items;
    const inputs = alertToExecutionInputs(parseDolphinAlert(rx.bodies[0]), tasks);
    expect(inputs).toHaveLength(1);
    const first = await portal.recordExecution(inputs[0] as (typeof inputs)[number]);
    // The portal keeps the start it recorded at trigger time; the end comes from the engine.
    expect(first.execution).toMatchObject({
      id: exec.id,
      status: 'SUCCESS',
      endTime: inputs[0]?.endTime,
    });
    expect(first.execution.durationMs).toBe(
      (first.execution.endTime?.getTime() ?? 0) - (first.execution.startTime?.getTime() ?? 0),
    );
    expect((await portal.recordExecution(inputs[0] as (typeof inputs)[number])).changed).toBe(
      false,
    );
    const stale = await portal.recordExecution({
      ...(inputs[0] as (typeof inputs)[number]),
      status: 'RUNNING',
      endTime: null,
    });
    expect(stale.execution.status).toBe('SUCCESS');
    const log = await portal.getExecutionLog(exec.id);
    expect(log.text).toContain('inserted 42 rows');
    expect(log.complete).toBe(true);

    // A run that fails while its callback is lost: the poller records it.
    fake.setRunPlan({ outcome: 'FAILURE', durationMs: 2_000 });
    const failed = await portal.triggerTask(task.id);
    await fake.settleRuns();
    await poller.pollNow();
    const afterPoll = await portal.getExecution(failed.id);
    const engineRun = await engine.getRun(await portal.getTask(task.id), failed.externalRunId);
    expect(afterPoll).toMatchObject({ status: 'FAILED', endTime: engineRun?.endTime });
    expect(afterPoll.durationMs).toBe(
      (afterPoll.endTime?.getTime() ?? 0) - (afterPoll.startTime?.getTime() ?? 0),
    );

    // A scheduled run the portal never triggered is discovered by the poller.
    fake.setRunPlan({ outcome: 'SUCCESS', durationMs: 1_000 });
    const scheduled = fake.fireSchedule(ref?.workflowCode ?? '');
    await fake.settleRuns();
    await poller.pollNow();
    const all = (await portal.listExecutions({ taskId: task.id })).items;
    expect(all.map((e) => [e.externalRunId, e.status])).toContainEqual([
      String(scheduled),
      'SUCCESS',
    ]);
    expect(all).toHaveLength(3);
    expect((await poller.pollNow()).recorded).toBe(0);

    // Change the SQL and republish: same workflow and task codes, versions bumped.
    await portal.updateTask(task.id, {
      sql: 'insert into dwd.orders select id from ods.orders',
      version: task.version,
    });
    task = await portal.publishTask(task.id);
    const ref2 = readDolphinRef(task.engineRef);
    expect(fake.state.workflows).toHaveLength(1);
    expect(ref2?.workflowCode).toBe(ref?.workflowCode);
    expect(ref2?.taskCode).toBe(ref?.taskCode);
    expect(ref2?.workflowVersion).toBe((ref?.workflowVersion ?? 0) + 1);
    expect(fake.state.workflows[0]?.tasks[0]?.taskParams['sql']).toBe(
      'insert into dwd.orders select id from ods.orders',
    );

    task = await portal.setTaskOnline(task.id, false);
    expect(task.status).toBe('offline');
    expect(fake.state.workflows[0]?.releaseState).toBe('OFFLINE');
    expect(fake.state.schedules[0]?.releaseState).toBe('OFFLINE');
    task = await portal.setTaskOnline(task.id, true);
    expect(fake.state.schedules[0]?.releaseState).toBe('ONLINE');
    await portal.unpublishTask(task.id);
    expect(fake.state.workflows).toHaveLength(0);
  });

  it('leaves a publish broken by a connection reset retryable and ends with one online workflow', async () => {
    const { portal, fake } = await setup(line);
    const created = await portal.createTask({
      name: 'fragile',
      sql: 'insert into dwd.orders select * from ods.orders',
      taskType: 'batch',
      engine: 'dolphin',
      schedule: '30 1 * * *',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
      datasource: 'warehouse',
    });
    fake.injectFault({ method: 'POST', path: '/release', kind: 'reset' });
    await expect(portal.publishTask(created.id)).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    const failed = await portal.getTask(created.id);
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toMatch(/releaseWorkflow/);
    fake.injectFault({ method: 'POST', path: '/schedules', kind: 'http500' });
    await expect(portal.publishTask(created.id)).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    const ok = await portal.publishTask(created.id);
    expect(ok.status).toBe('online');
    expect(ok.lastError).toBeNull();
    expect(fake.state.workflows).toHaveLength(1);
    expect(fake.state.workflows[0]?.releaseState).toBe('ONLINE');
    expect(fake.state.schedules).toHaveLength(1);
    expect(fake.state.schedules[0]?.releaseState).toBe('ONLINE');
    expect(readDolphinRef(ok.engineRef)?.workflowCode).toBe(String(fake.state.workflows[0]?.code));
  });

  it('yields one workflow for two concurrent publishes and survives 500s and timeouts on reads', async () => {
    const { portal, fake, poller } = await setup(line, { timeoutMs: 300 });
    const created = await portal.createTask({
      name: 'twice',
      sql: 'insert into dwd.orders select * from ods.orders',
      taskType: 'batch',
      engine: 'dolphin',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
      datasource: 'warehouse',
    });
    const [a, b] = await Promise.all([
      portal.publishTask(created.id),
      portal.publishTask(created.id),
    ]);
    expect(readDolphinRef(a.engineRef)?.workflowCode).toBe(
      readDolphinRef(b.engineRef)?.workflowCode,
    );
    expect(fake.state.workflows).toHaveLength(1);

    const exec = await portal.triggerTask(created.id);
    await fake.settleRuns();
    fake.injectFault({ method: 'GET', path: 'instances', kind: 'http500', times: 1 });
    fake.injectFault({ method: 'GET', path: 'instances', kind: 'hang', times: 1 });
    const summary = await poller.pollNow();
    expect(summary.errors).toBe(0);
    expect((await portal.getExecution(exec.id)).status).toBe('SUCCESS');
  });
});

describe('PortalService across a DolphinScheduler upgrade', () => {
  it('keeps a task published on 3.2 working after the server becomes 3.3', async () => {
    const { portal, fake, poller } = await setup('3.2');
    const created = await portal.createTask({
      name: 'survivor',
      sql: 'insert into dwd.orders select * from ods.orders',
      taskType: 'batch',
      engine: 'dolphin',
      schedule: '0 6 * * *',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
      datasource: 'warehouse',
    });
    const published = await portal.publishTask(created.id);
    expect(readDolphinRef(published.engineRef)?.line).toBe('3.2');
    fake.setVersion('3.3');
    const exec = await portal.triggerTask(created.id);
    await fake.settleRuns();
    await poller.pollNow();
    expect((await portal.getExecution(exec.id)).status).toBe('SUCCESS');
    expect((await portal.getExecutionLog(exec.id)).complete).toBe(true);
    const again = await portal.publishTask(created.id);
    expect(readDolphinRef(again.engineRef)).toMatchObject({
      line: '3.3',
      workflowCode: readDolphinRef(published.engineRef)?.workflowCode,
    });
    expect(fake.state.workflows).toHaveLength(1);
    expect((await portal.setTaskOnline(created.id, false)).status).toBe('offline');
    expect(fake.state.schedules[0]?.releaseState).toBe('OFFLINE');
  });
});
