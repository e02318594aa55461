import { afterEach, describe, expect, it } from 'vitest';
import {
  alertToExecutionInputs,
  createDolphinEngine,
  DolphinClient,
  parseDolphinAlert,
  provisionDolphinAlerts,
} from '../src/index';
import { createFakeDolphinScheduler, type FakeDolphinScheduler } from '../src/testing/index';
import { LINES, makeTask, noSleep, type Receiver, startReceiver } from './helpers';

let ds: FakeDolphinScheduler | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await ds?.close();
  await receiver?.close();
  ds = undefined;
  receiver = undefined;
});

describe.each(LINES)('DolphinScheduler alerts on %s', (line) => {
  it('provisions the HTTP alert plugin idempotently and parses the finish alerts it posts', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    receiver = await startReceiver();
    const client = new DolphinClient({ baseUrl: ds.url, token: ds.token });
    const prov = await provisionDolphinAlerts(client, {
      callbackUrl: receiver.url,
      headers: { 'x-secret': 's3' },
    });
    const again = await provisionDolphinAlerts(client, {
      callbackUrl: receiver.url,
      headers: { 'x-secret': 's3' },
    });
    expect(again).toEqual(prov);
    expect(ds.state.alertInstances).toHaveLength(1);
    expect(ds.state.alertGroups.filter((g) => g.groupName === 'dataportal-callback')).toHaveLength(
      1,
    );

    const engine = createDolphinEngine({
      baseUrl: ds.url,
      token: ds.token,
      project: 'p',
      alertGroupId: prov.alertGroupId,
      sleep: noSleep,
    });
    const task = makeTask({ name: 'alerted' });
    const published = {
      ...task,
      engineRef:
        (
          await engine.publish({
            unitName: 'alerted',
            tasks: [task],
            dependencies: [],
            external: [],
            schedule: null,
            online: true,
          })
        ).refs.get(task.id) ?? null,
    };

    ds.setRunPlan({ outcome: 'SUCCESS', durationMs: 3_000 });
    const ok = await engine.trigger(published);
    await ds.settleRuns();
    expect(receiver.bodies).toHaveLength(1);
    const success = parseDolphinAlert(receiver.bodies[0]);
    expect(success.variant).toBe('success');
    expect(success.keys).toBe(line === '3.3' ? 'workflow' : 'process');
    expect(success.runs[0]?.externalRunId).toBe(ok.externalRunId);
    const [input] = alertToExecutionInputs(success, [published]);
    expect(input).toMatchObject({
      taskId: task.id,
      engine: 'dolphin',
      externalRunId: ok.externalRunId,
      status: 'SUCCESS',
    });
    const times = input as { startTime: Date; endTime: Date };
    expect(times.endTime.getTime() - times.startTime.getTime()).toBe(3_000);
    expect(ds.alerts[0]?.ok).toBe(true);

    ds.setRunPlan({ outcome: 'FAILURE', durationMs: 1_000 });
    const bad = await engine.trigger(published);
    await ds.settleRuns();
    const failure = parseDolphinAlert(receiver.bodies[1]);
    expect(failure.variant).toBe('failure');
    expect(failure.runs[0]).toMatchObject({
      externalRunId: bad.externalRunId,
      taskName: 'alerted',
      status: 'FAILED',
    });
    expect(alertToExecutionInputs(failure, [published])[0]?.status).toBe('FAILED');
  });
});

describe('provisionDolphinAlerts with the portal callback secret', () => {
  it('puts the secret in the x-dataportal-secret header the plugin sends', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.2' });
    const client = new DolphinClient({ baseUrl: ds.url, token: ds.token });
    await provisionDolphinAlerts(client, {
      callbackUrl: 'http://portal.example/api/v1/callbacks/dolphin',
      callbackSecret: 'cb-secret-1',
    });
    const params = JSON.stringify(ds.state.alertInstances[0]?.params ?? {});
    expect(params).toContain('x-dataportal-secret');
    expect(params).toContain('cb-secret-1');
  });
});

describe('parseDolphinAlert', () => {
  it('reads the 3.3 success example of the reference', () => {
    const content =
      '[{"projectCode":1,"projectName":"p","owner":"admin","workflowInstanceId":42,"workflowDefinitionCode":99,"workflowInstanceName":"wf-20250101120000000","commandType":"START_PROCESS","workflowExecutionStatus":"SUCCESS","modifyBy":"admin","recovery":"NO","runTimes":1,"workflowStartTime":"2025-01-01 12:00:00","workflowEndTime":"2025-01-01 12:00:05","workflowHost":"10.0.0.5:5678"}]';
    const alert = parseDolphinAlert(JSON.stringify({ source: 'dolphinscheduler', content }));
    expect(alert).toMatchObject({ variant: 'success', keys: 'workflow' });
    expect(alert.runs[0]).toMatchObject({
      externalRunId: '42',
      workflowCode: '99',
      status: 'SUCCESS',
    });
    expect(alert.runs[0]?.endTime?.toISOString()).toBe('2025-01-01T12:00:05.000Z');
  });

  it('reads 3.1/3.2 failure content with process keys, a custom content field and large codes', () => {
    const content =
      '[{"projectCode":1,"processId":7,"processDefinitionCode":1152921504606859999,"processName":"wf-1","taskCode":1152921504606860001,"taskName":"a","taskType":"SQL","taskState":"FAILURE","taskStartTime":"2025-01-01 12:00:00","taskEndTime":"2025-01-01 12:00:01"}]';
    const alert = parseDolphinAlert(
      { msg: content },
      { contentField: 'msg', timeZone: 'Asia/Shanghai' },
    );
    expect(alert).toMatchObject({ variant: 'failure', keys: 'process' });
    expect(alert.runs[0]).toMatchObject({
      externalRunId: '7',
      workflowCode: '1152921504606859999',
      taskCode: '1152921504606860001',
      status: 'FAILED',
    });
    expect(alert.runs[0]?.startTime?.toISOString()).toBe('2025-01-01T04:00:00.000Z');
  });

  it('treats an empty content (stop/pause alert) as empty and rejects non-alerts', () => {
    expect(parseDolphinAlert('{"content":""}').variant).toBe('empty');
    expect(() => parseDolphinAlert('{"hello":1}')).toThrow(/no content array/);
    expect(() => parseDolphinAlert('<html>')).toThrow(/not JSON/);
  });
});

describe('fake HTTP alert on 3.3', () => {
  it('counts a delivery as failed unless the callback answers exactly 200', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.3' });
    receiver = await startReceiver();
    receiver.status = 204;
    const client = new DolphinClient({ baseUrl: ds.url, token: ds.token });
    const prov = await provisionDolphinAlerts(client, { callbackUrl: receiver.url });
    const engine = createDolphinEngine({
      baseUrl: ds.url,
      token: ds.token,
      project: 'p',
      alertGroupId: prov.alertGroupId,
    });
    const task = makeTask({ name: 's', kind: 'shell', sql: 'echo', datasource: null });
    const ref =
      (
        await engine.publish({
          unitName: 's',
          tasks: [task],
          dependencies: [],
          external: [],
          schedule: null,
          online: true,
        })
      ).refs.get(task.id) ?? null;
    await engine.trigger({ ...task, engineRef: ref });
    await ds.settleRuns();
    expect(receiver.bodies).toHaveLength(1);
    expect(receiver.contentTypes[0]).toContain('application/json');
    expect(ds.alerts[0]?.ok).toBe(false);
  });
});
