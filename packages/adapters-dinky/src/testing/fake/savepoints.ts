import { bodyOf, current, exception, type FakeState, MSG, needParam, num, taskOf } from './state';
import type { FakeDinkyTask, FakeJobInstance } from './types';

// Savepoints: `POST /openapi/savepointTask` and `POST /openapi/savepoint` (1.x `APIController`),
// types from `dinky-gateway/.../enums/SavePointType.java`. Mirrors ../../client/savepoints.ts.

/** Records a savepoint of the instance and returns its path. */
export function takeSavepoint(s: FakeState, inst: FakeJobInstance, type: string): string {
  const path = `file:///tmp/dinky/savepoints/sp-${s.nextSavepoint++}`;
  s.savepoints.push({ taskId: inst.taskId, instanceId: inst.id, type, path });
  return path;
}

function savepointResult(inst: FakeJobInstance, type: string, path: string): unknown {
  return {
    appId: null,
    type: type.toUpperCase(),
    success: true,
    isSuccess: true,
    error: null,
    exceptionMsg: null,
    jobInfos: [{ jobId: inst.jid, savePoint: path, status: 'RUN' }],
  };
}

/** `TaskServiceImpl.savepointTaskJob`: unknown types become TRIGGER; cancel/stop end the job. */
export function savepointTask(s: FakeState, task: FakeDinkyTask, rawType: string): unknown {
  const inst = current(s, task);
  const known = ['trigger', 'dispose', 'stop', 'cancel'];
  // Dinky's SavePointType.get falls back to TRIGGER for unknown values.
  const type = known.includes(rawType.toLowerCase()) ? rawType.toLowerCase() : 'trigger';
  if (s.savepointFails || s.clusterDown) {
    throw exception(['savepoint failed: checkpoint coordinator is shut down', '保存点失败']);
  }
  const path = takeSavepoint(s, inst, type);
  // Flink ends the job, but Dinky's instance row changes only on its next refresh.
  if (type === 'cancel') s.pending.set(inst.id, { status: 'CANCELED', at: s.now() });
  if (type === 'stop') s.pending.set(inst.id, { status: 'FINISHED', at: s.now() });
  return savepointResult(inst, type, path);
}

/** The 1.x savepoint routes (0.7's savepointTask lives in ./tasks.ts: it also cancels). */
export function registerSavepointRoutes(s: FakeState): void {
  if (s.legacy) return;
  s.route('POST', '/openapi/savepointTask', (req) => {
    const b = bodyOf(req);
    const task = taskOf(s, typeof b['taskId'] === 'number' ? b['taskId'] : undefined);
    return s.ok(savepointTask(s, task, String(b['type'] ?? 'trigger')), MSG.exec);
  });
  s.route('POST', '/openapi/savepoint', (req) => {
    const task = taskOf(s, num(needParam(req.query['taskId'], 'taskId')));
    const type = needParam(req.query['savePointType'], 'savePointType').toLowerCase();
    if (!['trigger', 'dispose', 'stop', 'cancel'].includes(type)) {
      throw exception([
        `No enum constant SavePointType.${type}`,
        `No enum constant SavePointType.${type}`,
      ]);
    }
    return s.ok(savepointTask(s, task, type), MSG.exec);
  });
}
