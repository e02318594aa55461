import { randomBytes } from 'node:crypto';
import type { DinkyLineage } from '../../schemas';
import { settle } from './job-instances';
import { savepointTask, takeSavepoint } from './savepoints';
import {
  bodyOf,
  bool,
  bus,
  current,
  DONE,
  exception,
  Fail,
  type FakeState,
  MSG,
  needParam,
  num,
  scheduleRefresh,
  setState,
  splitStatements,
  substitute,
  taskOf,
} from './state';
import type { FakeDinkyTask, FakeJobInstance } from './types';

// Task operations of the OpenAPI: submit, cancel, restart, export SQL, lineage
// (1.x `controller/APIController.java` + `service/impl/TaskServiceImpl.java`; 0.7
// `dlink-admin/.../controller/APIController.java`). Mirrors ../../client/tasks.ts.

/** `TaskServiceImpl.submitTask`: a new INITIALIZING instance; no duplicate guard. */
export function submit(
  s: FakeState,
  task: FakeDinkyTask,
  vars: Readonly<Record<string, string>>,
  savePointPath: string | null,
): unknown {
  if (s.submitFailure !== null) {
    const reason = s.submitFailure;
    s.submitFailure = null;
    throw new Fail('exception', reason, reason);
  }
  const statements = splitStatements(task.statement)
    .map((st) => (task.fragment ? substitute(st, vars) : st).trim())
    .filter((st) => st !== '');
  const t = s.now();
  const inst: FakeJobInstance = {
    id: s.nextInstance++,
    taskId: task.id,
    jid: randomBytes(16).toString('hex'),
    status: 'INITIALIZING',
    error: null,
    startTime: t,
    finishTime: null,
    storedDuration: 0,
    updateTime: t,
    statements,
    variables: { ...vars },
    savePointPath,
    records: 0,
    rate: null,
    parallelism: task.parallelism,
    graph: task.graph,
  };
  s.instances.set(inst.id, inst);
  task.jobInstanceId = inst.id;
  return {
    id: inst.id,
    jobInstanceId: inst.id,
    jobId: inst.jid,
    jobManagerAddress: '127.0.0.1:8081',
    status: 'SUCCESS',
    success: true,
    statement: statements.join(';\n'),
    error: null,
    startTime: new Date(t).toISOString().slice(0, 23),
    endTime: new Date(t).toISOString().slice(0, 23),
    // Real Dinky returns the whole job config, including base64 database credentials.
    jobConfig: {
      type: task.type,
      taskId: task.id,
      jobName: task.name,
      // `TaskSubmitDto.savePointPath` makes the savepoint strategy CUSTOM with this path.
      savePointPath,
      gatewayConfig: {
        appConfig: {
          userJarParas: ['--config', 'eyJ1cmwiOiJteXNxbDovL3Jvb3Q6c2VjcmV0QGRiIn0='],
        },
      },
    },
  };
}

/**
 * 1.x `TaskServiceImpl.cancelTaskJob`: no instance → code 1; cluster unreachable → with
 * `forceCancel` the row becomes UNKNOWN and the answer is `true` without contacting Flink, else the
 * exception (code 5); with a savepoint it runs `savepointTaskJob(CANCEL)` and falls back to a plain
 * cancel when that fails; the answer is whether a cancel went through. It then force-refreshes the
 * row (`refreshJobInfoDetail(id, true)`), which catches Flink mid-cancel: the row reads CANCELLING
 * (Flink 1.20 measured: CANCELLING after ~0.05 s, CANCELED after ~0.2 s) until the next refresh.
 */
export function cancel(
  s: FakeState,
  task: FakeDinkyTask,
  withSavepoint: boolean,
  force: boolean,
): boolean {
  const inst = current(s, task);
  if (DONE.includes(inst.status)) return true;
  if (s.clusterDown) {
    if (force) {
      setState(s, inst, 'UNKNOWN');
      return true;
    }
    throw exception(['cluster is unreachable', '集群不可达']);
  }
  if (s.cancelRefused) return false;
  // Dinky falls back to a plain cancel when the savepoint fails, and still answers true.
  if (withSavepoint && !s.savepointFails) takeSavepoint(s, inst, 'cancel');
  setState(s, inst, 'CANCELLING');
  scheduleRefresh(s, inst, 'CANCELED');
  return true;
}

/**
 * 0.7 `TaskServiceImpl.savepointTask` → `savepointJobInstance` (`dlink-admin`, v0.7.5): no
 * instance → `true`; `canceljob` → `JobManager.cancel` (Flink's answer as a boolean); other types →
 * a savepoint (`cancel` also ends the job). Nothing refreshes the row: it reads RUNNING until
 * Dinky's refresh loop (`job/FlinkJobTask.java`, 5 s) sees the end.
 */
function savepointTask07(s: FakeState, task: FakeDinkyTask, rawType: string): boolean {
  const inst = task.jobInstanceId === null ? undefined : s.instances.get(task.jobInstanceId);
  if (!inst) return true;
  if (s.clusterDown) throw exception(['cluster is unreachable', '集群不可达']);
  if (rawType === 'canceljob') {
    if (s.cancelRefused) return false;
    if (!DONE.includes(inst.status)) scheduleRefresh(s, inst, 'CANCELED');
    return true;
  }
  if (s.savepointFails) return false;
  takeSavepoint(s, inst, rawType);
  if (rawType === 'cancel' && !DONE.includes(inst.status)) scheduleRefresh(s, inst, 'CANCELED');
  if (rawType === 'stop' && !DONE.includes(inst.status)) scheduleRefresh(s, inst, 'FINISHED');
  return true;
}

/**
 * `TaskServiceImpl.restartTask` (1.x): an instance id without a row → code 1; a job not done is
 * stopped (a given savepoint path → plain cancel, else `savepointTaskJob(CANCEL)`, whose failure is
 * code 5), then Dinky polls `refreshJobInfoDetail(id, false)` every 2 s and gives up after 11 waits
 * (~22 s) with BusException "stop job failed, please check job status" (code 1); then it submits
 * from the savepoint. The fake's clock moves 2 s per wait, so the refresh cadence decides how long
 * the call blocks; `restartDelayMs` adds real time for client timeout tests.
 */
export async function restart(
  s: FakeState,
  task: FakeDinkyTask,
  savePointPath: string | null,
): Promise<unknown> {
  let path = savePointPath;
  if (task.jobInstanceId !== null) {
    const inst = s.instances.get(task.jobInstanceId);
    if (!inst) throw bus(MSG.instanceMissing);
    if (!DONE.includes(inst.status)) {
      if (savePointPath) {
        cancel(s, task, false, true);
      } else {
        const sp = savepointTask(s, task, 'cancel') as { jobInfos: { savePoint: string }[] };
        path = sp.jobInfos[0]?.savePoint ?? null;
      }
      const delay = s.options.restartDelayMs ?? 0;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      for (let count = 0; ; count++) {
        settle(s, false);
        if (DONE.includes(inst.status)) break;
        if (count > 10) throw bus(MSG.stopFailed);
        s.offset += 2000;
      }
    }
  }
  return submit(s, task, {}, path);
}

const lineageOf = (task: FakeDinkyTask): DinkyLineage | null => task.lineage;

/** The OpenAPI task routes of the emulated version. */
export function registerTaskRoutes(s: FakeState): void {
  const idOf = (v: string | undefined): FakeDinkyTask => taskOf(s, num(needParam(v, 'id')));
  s.route('GET', '/openapi/getTaskLineage', (req) => {
    const task = idOf(req.query['id']);
    if (s.lineageBug && task.dialect === 'FlinkSql') return s.ok(null, MSG.query);
    return s.ok(lineageOf(task), MSG.query);
  });

  if (s.legacy) {
    s.route('GET', '/openapi/submitTask', (req) =>
      s.ok(submit(s, idOf(req.query['id']), {}, null), MSG.exec),
    );
    s.route('POST', '/openapi/savepointTask', (req) => {
      const b = bodyOf(req);
      const task = taskOf(s, typeof b['taskId'] === 'number' ? b['taskId'] : undefined);
      return s.ok(savepointTask07(s, task, String(b['type'] ?? 'trigger')), MSG.exec);
    });
    s.route('GET', '/openapi/restartTask', async (req) =>
      s.ok(await restart(s, idOf(req.query['id']), null), MSG.exec),
    );
    s.route('GET', '/openapi/selectSavePointRestartTask', async (req) =>
      s.ok(
        await restart(
          s,
          idOf(req.query['id']),
          needParam(req.query['savePointPath'], 'savePointPath'),
        ),
        MSG.exec,
      ),
    );
    s.route('GET', '/openapi/onLineTask', (req) => {
      const task = idOf(req.query['id']);
      task.step = 5;
      return s.ok(submit(s, task, {}, null), MSG.exec);
    });
    s.route('GET', '/openapi/offLineTask', (req) => {
      const task = idOf(req.query['id']);
      savepointTask07(s, task, 'canceljob');
      task.step = 4;
      return s.ok(true, MSG.exec);
    });
    return;
  }

  // `APIController.getVersionInfo` (1.x only; 0.7 has no such route).
  s.route('GET', '/openapi/version', () => s.ok(s.rawVersion, MSG.query));
  s.route('POST', '/openapi/submitTask', (req) => {
    const b = bodyOf(req);
    const task = taskOf(s, typeof b['id'] === 'number' ? b['id'] : undefined);
    const vars =
      b['variables'] !== null && typeof b['variables'] === 'object'
        ? (b['variables'] as Record<string, string>)
        : {};
    const sp =
      typeof b['savePointPath'] === 'string' && b['savePointPath'] !== ''
        ? b['savePointPath']
        : null;
    return s.ok(submit(s, task, vars, sp), MSG.exec);
  });
  s.route('GET', '/openapi/cancel', (req) => {
    const task = idOf(req.query['id']);
    return s.ok(
      cancel(
        s,
        task,
        bool(req.query['withSavePoint'], false),
        bool(req.query['forceCancel'], true),
      ),
      MSG.exec,
    );
  });
  s.route('GET', '/openapi/restartTask', async (req) => {
    const task = idOf(req.query['id']);
    const sp = req.query['savePointPath'];
    return s.ok(await restart(s, task, sp === undefined || sp === '' ? null : sp), MSG.exec);
  });
  s.route('GET', '/openapi/exportSql', (req) => {
    const task = idOf(req.query['id']);
    const env = task.envSql.trim() === '' ? '' : `${task.envSql.trim()}\n`;
    return s.ok(`${env}${task.statement}`, MSG.query);
  });
}
