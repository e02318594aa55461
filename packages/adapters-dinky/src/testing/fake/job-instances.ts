import { formatWallClock } from '@dataportal/sdk';
import { jobGraphJson } from './metrics';
import {
  bus,
  DONE,
  type FakeState,
  MSG,
  needParam,
  num,
  REFRESH_MS,
  setState,
  taskOf,
} from './state';
import type { FakeJobInstance } from './types';

// Job instances: `GET /openapi/getJobInstance`, `/openapi/getJobInstanceByTaskId`
// (`APIController` → `service/impl/JobInstanceServiceImpl.java`) and the login-based
// `/api/jobInstance/getJobInfoDetail|refreshJobInfoDetail|getLineage` (`JobInstanceController`).
// Mirrors ../../client/job-instances.ts.

/**
 * Applies what Dinky's refresh loop (`job/FlinkJobTask.java`, every 5 s) has not written yet; a
 * forced refresh applies it now. A task marked stuck (`setStuckOnStop`) never reaches its end.
 */
export function settle(s: FakeState, force: boolean): void {
  for (const [id, p] of s.pending) {
    const inst = s.instances.get(id);
    if (!inst) {
      s.pending.delete(id);
    } else if (s.stuck.has(inst.taskId)) {
      // Flink never finishes the stop: the row keeps its status.
    } else if (force || s.now() >= p.at + REFRESH_MS) {
      s.pending.delete(id);
      if (!DONE.includes(inst.status)) setState(s, inst, p.status);
    }
  }
}

/** A `JobInstance` row as Dinky serialises it (times in the server's wall clock). */
export function instanceJson(s: FakeState, inst: FakeJobInstance): unknown {
  const task = s.tasks.get(inst.taskId);
  return {
    id: inst.id,
    tenantId: 1,
    name: task?.name ?? null,
    taskId: inst.taskId,
    step: task?.step ?? 1,
    clusterId: 1,
    jid: inst.jid,
    status: inst.status,
    historyId: inst.id,
    error: inst.error,
    createTime: formatWallClock(inst.startTime, s.zone),
    updateTime: formatWallClock(inst.updateTime, s.zone),
    // A running job's finishTime is Flink's end-time −1 rendered in the server zone.
    finishTime: formatWallClock(inst.finishTime ?? -1, s.zone),
    duration: inst.storedDuration,
    failedRestartCount: 0,
    count: null,
  };
}

function jobDetail(s: FakeState, inst: FakeJobInstance): unknown {
  const t = s.now();
  const end = inst.finishTime ?? -1;
  return {
    id: inst.id,
    instance: instanceJson(s, inst),
    clusterInstance: { id: 1, jobManagerHost: '127.0.0.1:8081' },
    jobDataDto: {
      id: inst.id,
      job: {
        jid: inst.jid,
        name: s.tasks.get(inst.taskId)?.name ?? '',
        state: inst.status,
        'start-time': inst.startTime,
        'end-time': end,
        duration: (inst.finishTime ?? t) - inst.startTime,
        now: t,
        ...jobGraphJson(inst),
      },
      exceptions: inst.error ? { 'root-exception': inst.error } : null,
      error: false,
    },
  };
}

/** The job instance routes of the emulated version. */
export function registerJobInstanceRoutes(s: FakeState): void {
  // `initTenantByJobInstanceId` looks the tenant up first and `Asserts.checkNull`s it: a missing
  // instance is code 1 "Job Instance Not Exist" (1.x BusException; 0.7 RunTimeException, also
  // code 1), never `data: null`.
  s.route('GET', '/openapi/getJobInstance', (req) => {
    const inst = s.instances.get(num(needParam(req.query['id'], 'id')) ?? -1);
    if (!inst) throw bus(MSG.instanceMissing);
    return s.ok(instanceJson(s, inst), MSG.query);
  });
  // `initTenantByTaskId` first: an unknown task is code 1 "Task Not Exist"; a task that never ran
  // answers null (`JobInstanceMapper.xml`: latest by id desc).
  s.route('GET', '/openapi/getJobInstanceByTaskId', (req) => {
    const taskId = taskOf(s, num(needParam(req.query['id'], 'id'))).id;
    const latest = [...s.instances.values()]
      .filter((i) => i.taskId === taskId)
      .sort((a, b) => b.id - a.id)[0];
    return s.ok(latest ? instanceJson(s, latest) : null, MSG.query);
  });
  if (s.legacy) return;
  const detail = (req: { query: Readonly<Record<string, string>> }) => {
    if (req.query['isForce'] === 'true') settle(s, true);
    const inst = s.instances.get(num(needParam(req.query['id'], 'id')) ?? -1);
    if (!inst) throw bus(MSG.instanceMissing);
    return s.ok(jobDetail(s, inst), MSG.query);
  };
  s.route('GET', '/api/jobInstance/getJobInfoDetail', detail);
  s.route('GET', '/api/jobInstance/refreshJobInfoDetail', detail);
  s.route('GET', '/api/jobInstance/getLineage', (req) => {
    const inst = s.instances.get(num(needParam(req.query['id'], 'id')) ?? -1);
    if (!inst) throw bus(MSG.instanceMissing);
    return s.ok(taskOf(s, inst.taskId).lineage, MSG.query);
  });
}
