import { afterEach, describe, expect, it } from 'vitest';
import { createFakeDolphinScheduler, type FakeDolphinScheduler } from '../src/testing/index';
import { chain, defPath, LINES, raw, rawField, wfParam } from './helpers';

let ds: FakeDolphinScheduler;
afterEach(async () => {
  await ds?.close();
});

async function projectAndCodes(fake: FakeDolphinScheduler, n: number) {
  const p = await raw(fake, 'POST', '/projects', { projectName: `p${Math.random()}` });
  const projectCode = rawField(p.text, 'code');
  const g = await raw(fake, 'GET', `/projects/${projectCode}/task-definition/gen-task-codes`, {
    genNum: n,
  });
  const codes = [...g.text.matchAll(/(\d{6,})/g)].map((m) => m[1] as string);
  return { projectCode, codes };
}

async function workflow(fake: FakeDolphinScheduler, line: string, n = 2) {
  const { projectCode, codes } = await projectAndCodes(fake, n);
  const { tasks, relations } = chain(codes);
  const created = await raw(fake, 'POST', `/projects/${projectCode}/${defPath(line)}`, {
    name: 'wf',
    taskDefinitionJson: tasks,
    taskRelationJson: relations,
    tenantCode: 'default',
  });
  expect(created.code).toBe(0);
  return { projectCode, codes, workflowCode: rawField(created.text, 'code'), tasks, relations };
}

const schedule = (crontab: string) =>
  JSON.stringify({
    startTime: '2025-01-01 00:00:00',
    endTime: '2099-01-01 00:00:00',
    crontab,
    timezoneId: 'UTC',
  });

describe.each(LINES)('createFakeDolphinScheduler %s', (line) => {
  it('answers 401 with an empty body without a valid token', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const a = await raw(ds, 'GET', '/projects', { pageNo: 1, pageSize: 10 }, { token: null });
    expect([a.status, a.text]).toEqual([401, '']);
    const b = await raw(ds, 'GET', '/projects', { pageNo: 1, pageSize: 10 }, { token: 'wrong' });
    expect([b.status, b.text]).toEqual([401, '']);
  });

  it('answers unknown paths and the other lines’ paths with HTML (3.1: 401 without a token, else 404)', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const a = await raw(ds, 'GET', '/no/such/thing');
    expect(a.status).toBe(line === '3.1' ? 404 : 200);
    expect(a.contentType).toContain('text/html');
    if (line === '3.1') {
      expect((await raw(ds, 'GET', '/no/such/thing', {}, { token: null })).status).toBe(401);
      const probe32 = await raw(ds, 'GET', '/alert-groups/normal-list');
      expect([probe32.status, probe32.contentType]).toEqual([405, 'text/html;charset=UTF-8']);
    }
    const other = line === '3.3' ? 'process-definition' : 'workflow-definition';
    const b = await raw(ds, 'GET', `/projects/1/${other}/simple-list`);
    expect(b.contentType).toContain('text/html');
    // Before 3.3 the probe path is caught by /ui-plugins/{id}: 110003 (measured on 3.1.1).
    const probe = await raw(ds, 'GET', '/ui-plugins/query-product-info');
    expect(probe.code).toBe(line === '3.3' ? 0 : 110003);
  });

  it('answers HTTP 201 with code 10019 for a duplicate project name (map-style error)', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    expect((await raw(ds, 'POST', '/projects', { projectName: 'x' })).code).toBe(0);
    const dup = await raw(ds, 'POST', '/projects', { projectName: 'x' });
    expect([dup.status, dup.code]).toEqual([201, 10019]);
  });

  it('ignores JSON bodies: a required parameter is reported missing with the endpoint code', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const a = await raw(ds, 'POST', '/projects', { projectName: 'x' }, { json: true });
    expect([a.status, a.code]).toEqual([200, 10048]);
    const b = await raw(ds, 'GET', '/projects', { pageNo: 0, pageSize: 10 });
    expect(b.code).toBe(10001);
  });

  it('bounds gen-task-codes to 1..100 (50017) and never repeats a code', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const { projectCode, codes } = await projectAndCodes(ds, 50);
    expect(new Set(codes).size).toBe(50);
    for (const genNum of [0, 101]) {
      const a = await raw(ds, 'GET', `/projects/${projectCode}/task-definition/gen-task-codes`, {
        genNum,
      });
      expect(a.code).toBe(50017);
    }
  });

  it('validates definitions: empty JSON 50017, unknown type 10001, bad params 50020, unknown code 50030, cycle 50019, post 0 50036, duplicate name 10168', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const { projectCode, codes } = await projectAndCodes(ds, 2);
    const [a = '', b = ''] = codes;
    const post = (taskDefinitionJson: string, taskRelationJson: string, name = 'wf') =>
      raw(ds, 'POST', `/projects/${projectCode}/${defPath(line)}`, {
        name,
        taskDefinitionJson,
        taskRelationJson,
        tenantCode: 'default',
      });
    const ok = chain([a, b]);
    expect((await post('[]', ok.relations)).code).toBe(50017);
    expect((await post(ok.tasks.replaceAll('SHELL', 'NOPE'), ok.relations)).code).toBe(10001);
    expect(
      (await post(ok.tasks.replaceAll(/"rawScript":"[^"]*"/g, '"rawScript":""'), ok.relations))
        .code,
    ).toBe(50020);
    expect((await post(ok.tasks, `[{"preTaskCode":0,"postTaskCode":123}]`)).code).toBe(50030);
    expect(
      (
        await post(
          ok.tasks,
          `[{"preTaskCode":${a},"postTaskCode":${b}},{"preTaskCode":${b},"postTaskCode":${a}}]`,
        )
      ).code,
    ).toBe(50019);
    expect((await post(ok.tasks, `[{"preTaskCode":${a},"postTaskCode":0}]`)).code).toBe(50036);
    expect((await post(ok.tasks, ok.relations)).code).toBe(0);
    expect((await post(ok.tasks, ok.relations)).code).toBe(10168);
  });

  it('requires tenantCode on definition create only on 3.1', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const { projectCode, codes } = await projectAndCodes(ds, 1);
    const { tasks, relations } = chain(codes);
    const a = await raw(ds, 'POST', `/projects/${projectCode}/${defPath(line)}`, {
      name: 'wf',
      taskDefinitionJson: tasks,
      taskRelationJson: relations,
    });
    expect(a.code).toBe(line === '3.1' ? 10105 : 0);
    if (line === '3.1') {
      const b = await raw(ds, 'POST', `/projects/${projectCode}/${defPath(line)}`, {
        name: 'wf',
        taskDefinitionJson: tasks,
        taskRelationJson: relations,
        tenantCode: 'nobody',
      });
      expect(b.code).toBe(10017);
    }
  });

  it('refuses updates while online (50008) and bumps versions only on change', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const w = await workflow(ds, line);
    const base = `/projects/${w.projectCode}/${defPath(line)}/${w.workflowCode}`;
    const update = (tasks: string) =>
      raw(ds, 'PUT', base, {
        name: 'wf',
        taskDefinitionJson: tasks,
        taskRelationJson: w.relations,
        tenantCode: 'default',
      });
    expect((await raw(ds, 'POST', `${base}/release`, { releaseState: 'ONLINE' })).code).toBe(0);
    expect((await update(w.tasks)).code).toBe(50008);
    expect((await raw(ds, 'POST', `${base}/release`, { releaseState: 'OFFLINE' })).code).toBe(0);
    const same = await update(w.tasks);
    expect(same.code).toBe(0);
    expect((same.data as { version: number }).version).toBe(1);
    const changed = await update(w.tasks.replace('echo 0', 'echo changed'));
    expect((changed.data as { version: number }).version).toBe(2);
    const dag = await raw(ds, 'GET', base);
    const list = (dag.data as { taskDefinitionList: Array<{ name: string; version: number }> })
      .taskDefinitionList;
    expect(list.map((t) => [t.name, t.version])).toEqual([
      ['t0', 2],
      ['t1', 1],
    ]);
    expect(Object.keys(dag.data as object)).toContain(
      line === '3.3' ? 'workflowDefinition' : 'processDefinition',
    );
  });

  it('requires an online workflow to start (50004) and to create or online a schedule', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const w = await workflow(ds, line);
    const start = await raw(
      ds,
      'POST',
      `/projects/${w.projectCode}/executors/${line === '3.3' ? 'start-workflow-instance' : 'start-process-instance'}`,
      {
        [wfParam(line)]: w.workflowCode,
        scheduleTime: '',
        failureStrategy: 'END',
        warningType: 'NONE',
      },
    );
    expect(start.code).toBe(50004);
    const sched = await raw(ds, 'POST', `/projects/${w.projectCode}/schedules`, {
      [wfParam(line)]: w.workflowCode,
      schedule: schedule('0 0 3 * * ? *'),
    });
    expect([sched.status, sched.code]).toEqual([200, 50004]);
  });

  it('enforces schedule rules: Quartz only, one per workflow on 3.2+, offline to update, 3.1 online twice', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const w = await workflow(ds, line);
    const pc = w.projectCode;
    await raw(ds, 'POST', `/projects/${pc}/${defPath(line)}/${w.workflowCode}/release`, {
      releaseState: 'ONLINE',
    });
    const create = (crontab: string) =>
      raw(ds, 'POST', `/projects/${pc}/schedules`, {
        [wfParam(line)]: w.workflowCode,
        schedule: schedule(crontab),
      });
    expect((await create('0 3 * * *')).code).toBe(10001);
    expect((await create('0 0 3 * * * *')).code).toBe(10001);
    const first = await create('0 0 3 * * ? *');
    expect([first.status, first.code]).toEqual([201, 0]);
    const id = (first.data as { id: number }).id;
    expect((await create('0 0 4 * * ? *')).code).toBe(line === '3.1' ? 0 : 10204);
    expect((await raw(ds, 'POST', `/projects/${pc}/schedules/${id}/online`)).code).toBe(0);
    expect((await raw(ds, 'POST', `/projects/${pc}/schedules/${id}/online`)).code).toBe(
      line === '3.1' ? 10126 : 0,
    );
    const upd = await raw(ds, 'PUT', `/projects/${pc}/schedules/${id}`, {
      schedule: schedule('0 0 5 * * ? *'),
    });
    expect(upd.code).toBe(10023);
    expect((await raw(ds, 'DELETE', `/projects/${pc}/schedules/${id}`)).code).toBe(50023);
    // workflow offline takes the schedule offline
    await raw(ds, 'POST', `/projects/${pc}/${defPath(line)}/${w.workflowCode}/release`, {
      releaseState: 'OFFLINE',
    });
    const bad = await raw(ds, 'PUT', `/projects/${pc}/schedules/${id}`, {
      schedule: schedule('5 3 * * *'),
    });
    expect(bad.code).toBe(10024);
    expect(
      (await raw(ds, 'PUT', `/projects/${pc}/schedules/${id}`, { schedule: 'nope' })).code,
    ).toBe(10140);
    expect(
      (
        await raw(ds, 'PUT', `/projects/${pc}/schedules/${id}`, {
          schedule: schedule('0 0 5 * * ? *'),
        })
      ).code,
    ).toBe(0);
    expect(
      (
        await raw(ds, 'PUT', `/projects/${pc}/schedules/9999`, {
          schedule: schedule('0 0 5 * * ? *'),
        })
      ).code,
    ).toBe(line === '3.1' ? 10022 : 10203);
    const preview = await raw(ds, 'POST', `/projects/${pc}/schedules/preview`, {
      schedule: schedule('0 0 3 * * ? *'),
    });
    expect(preview.status).toBe(201);
    expect(preview.data).toHaveLength(5);
  });

  it('runs a workflow through the state machine the test controls and pages its log', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    ds.setRunPlan({
      outcome: 'FAILURE',
      durationMs: 65_000,
      log: ['a', 'b', 'c'],
      failTasks: ['t1'],
    });
    const w = await workflow(ds, line);
    const pc = w.projectCode;
    await raw(ds, 'POST', `/projects/${pc}/${defPath(line)}/${w.workflowCode}/release`, {
      releaseState: 'ONLINE',
    });
    const start = await raw(
      ds,
      'POST',
      `/projects/${pc}/executors/${line === '3.3' ? 'start-workflow-instance' : 'start-process-instance'}`,
      {
        [wfParam(line)]: w.workflowCode,
        scheduleTime: '',
        failureStrategy: 'END',
        warningType: 'NONE',
      },
    );
    expect(start.code).toBe(0);
    if (line === '3.1') expect(start.data).toBeNull();
    if (line === '3.2') expect(String(start.data)).toMatch(/^\d+$/);
    if (line === '3.3') expect(start.data).toHaveLength(1);
    const inst = line === '3.3' ? 'workflow-instances' : 'process-instances';
    await ds.advanceRuns();
    const list = await raw(ds, 'GET', `/projects/${pc}/${inst}`, {
      [line === '3.3' ? 'workflowDefinitionCode' : 'processDefineCode']: w.workflowCode,
      pageNo: 1,
      pageSize: 10,
    });
    const id = (list.data as { totalList: Array<{ id: number; state: string }> }).totalList[0]?.id;
    const tasks = await raw(ds, 'GET', `/projects/${pc}/${inst}/${id}/tasks`);
    const td = tasks.data as Record<string, unknown> & {
      taskList: Array<{ id: number; name: string; state: string }>;
    };
    expect(td[line === '3.3' ? 'workflowInstanceState' : 'processInstanceState']).toBe(
      line === '3.1' ? "WorkflowExecutionStatus{code=1, desc='running'}" : 'RUNNING_EXECUTION',
    );
    const waiting = td.taskList.find((t) => t.name === 't1');
    expect(
      (
        await raw(ds, 'GET', '/log/detail', {
          taskInstanceId: waiting?.id ?? 0,
          skipLineNum: 0,
          limit: 10,
        })
      ).code,
    ).toBe(10191);
    await ds.advanceRuns();
    const one = await raw(ds, 'GET', `/projects/${pc}/${inst}/${id}`);
    const i = one.data as { state: string; startTime: string; endTime: string };
    expect(i.state).toBe('FAILURE');
    expect(Date.parse(`${i.endTime}Z`) - Date.parse(`${i.startTime}Z`)).toBe(65_000);
    const listed = await raw(ds, 'GET', `/projects/${pc}/${inst}`, { pageNo: 1, pageSize: 10 });
    expect((listed.data as { totalList: Array<{ duration: string }> }).totalList[0]?.duration).toBe(
      '1m 5s',
    );
    const first = await raw(ds, 'GET', '/log/detail', {
      taskInstanceId: waiting?.id ?? 0,
      skipLineNum: 0,
      limit: 2,
    });
    expect(first.data).toMatchObject({ lineNum: 2 });
    expect((first.data as { message: string }).message).toMatch(/^\[LOG-PATH\]: .*\[HOST\]: /);
    const rest = await raw(ds, 'GET', '/log/detail', {
      taskInstanceId: waiting?.id ?? 0,
      skipLineNum: 2,
      limit: 10,
    });
    // The worker joins file lines with \r\n; the header line (\n) is not a file line; lineNum is
    // the API's split("\r\n").length, so an empty page still says 1.
    expect((first.data as { message: string }).message).toMatch(/\[HOST\]: [^\n]+\na\r\nb\r\n$/);
    expect(rest.data).toEqual({ lineNum: 1, message: 'c\r\n' });
    const empty = await raw(ds, 'GET', '/log/detail', {
      taskInstanceId: waiting?.id ?? 0,
      skipLineNum: 3,
      limit: 10,
    });
    expect(empty.data).toEqual({ lineNum: 1, message: '' });
    const stop = await raw(ds, 'POST', `/projects/${pc}/executors/execute`, {
      [line === '3.3' ? 'workflowInstanceId' : 'processInstanceId']: id ?? 0,
      executeType: 'STOP',
    });
    expect(stop.code).toBe(line === '3.3' ? 10000 : 50006);
  });

  it('requires instanceType and warningType for alert plugin instances only on 3.2', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const params = JSON.stringify([
      { field: 'url', value: 'http://127.0.0.1:1/x' },
      { field: 'headerParams', value: '{}' },
      { field: 'contentField', value: 'content' },
    ]);
    const a = await raw(ds, 'POST', '/alert-plugin-instances', {
      pluginDefineId: 6,
      instanceName: 'a',
      pluginInstanceParams: params,
    });
    expect(a.code).toBe(line === '3.2' ? 110008 : 0);
  });

  it('reads plugin params without type/title as empty, like PluginParams.Builder', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const extra = line === '3.2' ? { instanceType: 'NORMAL', warningType: 'ALL' } : {};
    const bare = await raw(ds, 'POST', '/alert-plugin-instances', {
      pluginDefineId: 6,
      instanceName: 'bare',
      pluginInstanceParams: JSON.stringify([{ field: 'url', value: 'http://127.0.0.1:1/x' }]),
      ...extra,
    });
    expect(bare.code).toBe(0);
    const full = await raw(ds, 'POST', '/alert-plugin-instances', {
      pluginDefineId: 6,
      instanceName: 'full',
      pluginInstanceParams: JSON.stringify([
        { field: 'url', name: 'url', type: 'input', title: 'url', value: 'http://127.0.0.1:1/x' },
      ]),
      ...extra,
    });
    expect(full.code).toBe(0);
    expect(ds.state.alertInstances.map((i) => [i.instanceName, i.params])).toEqual([
      ['bare', {}],
      ['full', { url: 'http://127.0.0.1:1/x' }],
    ]);
  });
});

describe('createFakeDolphinScheduler state', () => {
  it('keeps codes above 2^53 exact on the wire', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.2', largeCodes: true });
    const p = await raw(ds, 'POST', '/projects', { projectName: 'big' });
    const code = rawField(p.text, 'code');
    expect(BigInt(code) > 2n ** 53n).toBe(true);
    const back = await raw(ds, 'GET', `/projects/${code}`);
    expect(rawField(back.text, 'code')).toBe(code);
  });

  it('can be upgraded in place from 3.2 to 3.3 keeping its metadata', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.2' });
    const w = await workflow(ds, '3.2');
    ds.setVersion('3.3');
    const old = await raw(
      ds,
      'GET',
      `/projects/${w.projectCode}/process-definition/${w.workflowCode}`,
    );
    expect(old.contentType).toContain('text/html');
    const now = await raw(
      ds,
      'GET',
      `/projects/${w.projectCode}/workflow-definition/${w.workflowCode}`,
    );
    expect(now.code).toBe(0);
    const copy = await createFakeDolphinScheduler({ version: '3.3', state: ds.snapshot() });
    const there = await raw(
      copy,
      'GET',
      `/projects/${w.projectCode}/workflow-definition/${w.workflowCode}`,
    );
    expect(there.code).toBe(0);
    await copy.close();
  });
});

describe('createFakeDolphinScheduler runs', () => {
  it('never runs a node whose flag is not exactly YES and can drop finish alerts like 3.3.0-alpha', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.3', finishAlerts: false });
    const w = await workflow(ds, '3.3', 2);
    const base = `/projects/${w.projectCode}/workflow-definition/${w.workflowCode}`;
    const lower = w.tasks.replace('"flag":"YES"', '"flag":"yes"');
    expect(
      (
        await raw(ds, 'PUT', base, {
          name: 'wf',
          taskDefinitionJson: lower,
          taskRelationJson: w.relations,
        })
      ).code,
    ).toBe(0);
    await raw(ds, 'POST', `${base}/release`, { releaseState: 'ONLINE' });
    const inst = await raw(ds, 'POST', '/alert-plugin-instances', {
      pluginDefineId: 6,
      instanceName: 'cb',
      pluginInstanceParams: JSON.stringify([
        { field: 'url', name: 'url', type: 'input', title: 'url', value: 'http://127.0.0.1:9/x' },
      ]),
    });
    const group = await raw(ds, 'POST', '/alert-groups', {
      groupName: 'g',
      alertInstanceIds: String((inst.data as { id: number }).id),
    });
    const start = await raw(
      ds,
      'POST',
      `/projects/${w.projectCode}/executors/start-workflow-instance`,
      {
        workflowDefinitionCode: w.workflowCode,
        scheduleTime: '',
        failureStrategy: 'END',
        warningType: 'ALL',
        warningGroupId: (group.data as { id: number }).id,
      },
    );
    const [id] = start.data as number[];
    await ds.settleRuns();
    const tasks = await raw(ds, 'GET', `/projects/${w.projectCode}/workflow-instances/${id}/tasks`);
    expect(
      (tasks.data as { taskList: Array<{ name: string }> }).taskList.map((t) => t.name),
    ).toEqual(['t1']);
    expect(ds.alerts).toHaveLength(0);
  });
});
