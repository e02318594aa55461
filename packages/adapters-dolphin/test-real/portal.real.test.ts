import { openStore, PortalService, type Store, type Task } from '@dataportal/sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createDolphinEngine,
  type DolphinEngine,
  parseDolphinAlert,
  provisionDolphinAlerts,
  readDolphinRef,
  resolveDolphinAlert,
} from '../src/index';
import { sql, startCallback, unique, waitFor } from './helpers';

// The whole scenario of issue 17 against the real DolphinScheduler 3.1.1, through PortalService.
const ds = inject('dolphin');
const suffix = unique();
const calls: Record<string, number> = {};

let store: Store;
let portal: PortalService;
let engine: DolphinEngine;
let callback: Awaited<ReturnType<typeof startCallback>>;
let extract: Task;
let load: Task;
let agg: Task;
let report: Task;
/** What the callback resolves alerts against (the portal's tasks, re-read after publishing). */
let portalTasks: Task[] = [];
let alertGroupId: number;
/** The execution of the single-task trigger (the workflow run must add new ones). */
let firstRunId = -1;

/** Runs `fn` and records how many HTTP calls it cost on the real server. */
async function measured<T>(op: string, fn: () => Promise<T>): Promise<T> {
  const before = engine.client.callCount;
  const out = await fn();
  calls[op] = engine.client.callCount - before;
  return out;
}

function ref(task: Task) {
  const r = readDolphinRef(task.engineRef);
  if (!r) throw new Error(`${task.name} has no DolphinScheduler reference`);
  return r;
}

beforeAll(async () => {
  await sql(ds, [
    'DROP TABLE IF EXISTS ods_orders',
    'DROP TABLE IF EXISTS dwd_orders',
    'DROP TABLE IF EXISTS dws_orders_daily',
    'CREATE TABLE ods_orders (id INT PRIMARY KEY, amount DECIMAL(10,2))',
    'CREATE TABLE dwd_orders (id INT PRIMARY KEY, amount DECIMAL(10,2))',
    'CREATE TABLE dws_orders_daily (orders INT, amount DECIMAL(12,2))',
    'INSERT INTO ods_orders VALUES (1, 10.50), (2, 20.00), (3, 7.25)',
  ]);
  const db = ds.mysqlDatabase;
  store = await openStore({ url: 'sqlite::memory:', migrate: true });
  callback = await startCallback(async (body) => {
    const alert = parseDolphinAlert(body);
    for (const input of await resolveDolphinAlert(alert, portalTasks, { client: engine.client })) {
      await portal.recordExecution(input);
    }
  });
  alertGroupId = (
    await provisionDolphinAlerts(
      createDolphinEngine({ baseUrl: ds.url, token: ds.token, project: 'x' }).client,
      { callbackUrl: callback.url, name: `dataportal-${suffix}` },
    )
  ).alertGroupId;
  engine = createDolphinEngine({
    baseUrl: ds.url,
    token: ds.token,
    project: `dataportal_${suffix}`,
    tenantCode: ds.tenantCode,
    datasources: { warehouse: ds.datasource },
    alertGroupId,
  });
  portal = new PortalService({ store, batchEngines: { dolphin: engine } });
  for (const [name, layer] of [
    [`${db}.ods_orders`, 'ODS'],
    [`${db}.dwd_orders`, 'DWD'],
    [`${db}.dws_orders_daily`, 'DWS'],
  ] as const) {
    await portal.registerTable({ qualifiedName: name, layer });
  }
  const common = { taskType: 'batch', engine: 'dolphin', datasource: 'warehouse' } as const;
  extract = await portal.createTask({
    ...common,
    name: `extract_orders_${suffix}`,
    kind: 'shell',
    sql: 'echo "extracted orders"',
    inputs: [],
    outputs: [`${db}.ods_orders`],
    schedule: '0 2 * * *',
  });
  load = await portal.createTask({
    ...common,
    name: `load_dwd_orders_${suffix}`,
    sql: `insert into ${db}.dwd_orders select id, amount from ${db}.ods_orders`,
    inputs: [`${db}.ods_orders`],
    outputs: [`${db}.dwd_orders`],
    schedule: '0 2 * * *',
  });
  agg = await portal.createTask({
    ...common,
    name: `agg_orders_daily_${suffix}`,
    sql: `insert into ${db}.dws_orders_daily select count(*), sum(amount) from ${db}.dwd_orders`,
    inputs: [`${db}.dwd_orders`],
    outputs: [`${db}.dws_orders_daily`],
    schedule: '0 2 * * *',
  });
});

afterAll(async () => {
  console.log(
    `calls per operation on the real 3.1.1 server: ${Object.entries(calls)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );
  await callback?.close();
  await store?.close();
});

async function refreshTasks(): Promise<void> {
  portalTasks = (await portal.listTasks({ engine: 'dolphin' })).items;
}

describe('DolphinScheduler 3.1.1 (real server) through PortalService', () => {
  it('publishes a 3-task workflow in lineage order with a cron schedule, online', async () => {
    const first = await measured('publish (3 tasks, new)', () =>
      portal.publishTasks([extract.id, load.id, agg.id], { unitName: `orders_${suffix}` }),
    );
    expect(first.status).toBe('online');
    extract = await portal.getTask(extract.id);
    load = await portal.getTask(load.id);
    agg = await portal.getTask(agg.id);
    await refreshTasks();
    const r = ref(load);
    expect(ref(extract).workflowCode).toBe(r.workflowCode);
    expect(r.unitTaskCount).toBe(3);
    const dag = await engine.client.getWorkflow(r.projectCode, r.workflowCode);
    expect(dag.definition.releaseState).toBe('ONLINE');
    expect(dag.tasks.map((t) => [t.name, t.taskType]).sort()).toEqual(
      [
        [agg.name, 'SQL'],
        [extract.name, 'SHELL'],
        [load.name, 'SQL'],
      ].sort(),
    );
    const code = (t: Task) => ref(t).taskCode;
    const edges = dag.relations
      .filter((x) => x.preTaskCode !== '0')
      .map((x) => [x.preTaskCode, x.postTaskCode]);
    expect(edges.sort()).toEqual(
      [
        [code(extract), code(load)],
        [code(load), code(agg)],
      ].sort(),
    );
    const schedules = await engine.client.listSchedules(r.projectCode, r.workflowCode);
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ releaseState: 'ONLINE', crontab: '0 0 2 * * ? *' });
  });

  it('triggers one task; state, duration, task instance and log come back; the alert records it once', async () => {
    const exec = await measured('trigger', () => portal.triggerTask(extract.id));
    expect(exec.status).toBe('SUBMITTED');
    const run = await waitFor('the extract run to finish', async () => {
      const got = await engine.getRun(await portal.getTask(extract.id), exec.externalRunId);
      return got && got.status !== 'SUBMITTED' && got.status !== 'RUNNING' ? got : undefined;
    });
    expect(run.status).toBe('SUCCESS');
    expect(run.endTime?.getTime()).toBeGreaterThanOrEqual(run.startTime?.getTime() ?? 0);
    const r = ref(extract);
    const instance = await engine.client.getInstanceTasks(
      r.projectCode,
      Number(exec.externalRunId),
    );
    expect(instance.taskList.map((t) => [t.name, t.state])).toEqual([[extract.name, 'SUCCESS']]);
    const stopped = await measured('stop (finished run)', () =>
      engine.stopRun(extract, exec.externalRunId),
    );
    expect(stopped?.status).toBe('SUCCESS');
    const log = await measured('log', () => portal.getExecutionLog(exec.id));
    expect(log.text).toContain('extracted orders');
    const recorded = await waitFor('the alert callback to record the run', async () => {
      const e = await portal.getExecution(exec.id);
      return e.status === 'SUCCESS' ? e : undefined;
    });
    expect(recorded.durationMs).toBeGreaterThanOrEqual(0);
    expect((await portal.listExecutions({ taskId: extract.id })).items).toHaveLength(1);
    firstRunId = exec.id;
  });

  it('a whole-workflow run reports one execution per portal task from its alert', async () => {
    const r = ref(load);
    await engine.client.startWorkflow(r.projectCode, {
      workflowCode: r.workflowCode,
      failureStrategy: 'END',
      warningType: 'ALL',
      warningGroupId: alertGroupId,
      tenantCode: ds.tenantCode,
      workerGroup: 'default',
    });
    // The success alert names no task: the callback reads the instance's task instances.
    await waitFor(
      'one execution per task from the workflow alert',
      async () => {
        for (const t of [extract, load, agg]) {
          const runs = (await portal.listExecutions({ taskId: t.id })).items;
          const fresh = runs.filter((e) => e.id !== firstRunId);
          if (!fresh.some((e) => e.status === 'SUCCESS' && e.durationMs !== null)) return undefined;
        }
        return true;
      },
      180_000,
    );
    const rows = (await sql(ds, ['select orders, amount from dws_orders_daily']))[0] as Array<{
      orders: number;
    }>;
    expect(rows).toEqual([{ orders: 3, amount: '37.75' }]);
    const loadRun = (await portal.listExecutions({ taskId: load.id })).items.find(
      (e) => e.status === 'SUCCESS',
    );
    expect(loadRun?.rowsOutput).toBe(3);
  });

  it('a task reading a table of the first workflow gets a DEPENDENT node and waits for it', async () => {
    const db = ds.mysqlDatabase;
    await sql(ds, [
      'DROP TABLE IF EXISTS ads_orders_report',
      'CREATE TABLE ads_orders_report (orders INT)',
    ]);
    await portal.registerTable({ qualifiedName: `${db}.ads_orders_report`, layer: 'ADS' });
    report = await portal.createTask({
      name: `report_orders_${suffix}`,
      taskType: 'batch',
      engine: 'dolphin',
      datasource: 'warehouse',
      sql: `insert into ${db}.ads_orders_report select orders from ${db}.dws_orders_daily`,
      inputs: [`${db}.dws_orders_daily`],
      outputs: [`${db}.ads_orders_report`],
    });
    report = await measured('publish (1 task + DEPENDENT)', () => portal.publishTask(report.id));
    const r = ref(report);
    expect(r.workflowCode).not.toBe(ref(agg).workflowCode);
    const dag = await engine.client.getWorkflow(r.projectCode, r.workflowCode);
    const wait = dag.tasks.find((t) => t.taskType === 'DEPENDENT');
    expect(wait?.taskParams).toMatchObject({
      dependence: {
        relation: 'AND',
        dependTaskList: [
          {
            relation: 'AND',
            dependItemList: [
              {
                projectCode: Number(ref(agg).projectCode),
                definitionCode: Number(ref(agg).workflowCode),
                depTaskCode: Number(ref(agg).taskCode),
                cycle: 'day',
                dateValue: 'today',
              },
            ],
          },
        ],
      },
    });
    expect(
      dag.relations.some((x) => x.preTaskCode === wait?.code && x.postTaskCode === r.taskCode),
    ).toBe(true);
    // The upstream workflow succeeded today (previous test): the DEPENDENT node passes, the task runs.
    const exec = await portal.triggerTask(report.id);
    const run = await waitFor(
      'the dependent run to finish',
      async () => {
        const got = await engine.getRun(await portal.getTask(report.id), exec.externalRunId);
        return got && got.status !== 'SUBMITTED' && got.status !== 'RUNNING' ? got : undefined;
      },
      180_000,
    );
    expect(run.status).toBe('SUCCESS');
    const tis = await engine.client.getInstanceTasks(r.projectCode, Number(exec.externalRunId));
    expect(tis.taskList.map((t) => [t.taskType, t.state]).sort()).toEqual([
      ['DEPENDENT', 'SUCCESS'],
      ['SQL', 'SUCCESS'],
    ]);
    expect((await sql(ds, [`select orders from ${db}.ads_orders_report`]))[0]).toEqual([
      { orders: 3 },
    ]);
    await portal.unpublishTask(report.id);
  });

  it('republishes changed SQL into the same workflow with a bumped version, then offline and unpublish', async () => {
    const before = ref(load);
    await portal.updateTask(load.id, {
      sql: `insert into ${ds.mysqlDatabase}.dwd_orders select id, amount * 2 from ${ds.mysqlDatabase}.ods_orders where id > 100`,
      version: load.version,
    });
    await measured('republish (3 tasks)', () =>
      portal.publishTasks([extract.id, load.id, agg.id], { unitName: `orders_${suffix}` }),
    );
    load = await portal.getTask(load.id);
    const after = ref(load);
    expect(after.workflowCode).toBe(before.workflowCode);
    expect(after.taskCode).toBe(before.taskCode);
    expect(after.workflowVersion).toBeGreaterThan(before.workflowVersion);
    expect(after.taskVersion).toBeGreaterThan(before.taskVersion);
    await measured('offline', () => portal.setTaskOnline(load.id, false));
    const dag = await engine.client.getWorkflow(after.projectCode, after.workflowCode);
    expect(dag.definition.releaseState).toBe('OFFLINE');
    for (const t of [extract, load, agg]) await portal.unpublishTask(t.id);
    calls['unpublish'] = 0;
    const names = await engine.client.listWorkflowNames(after.projectCode);
    expect(names.find((w) => w.code === after.workflowCode)).toBeUndefined();
  });
});
