import { registerAuthRoutes } from './fake/auth';
import { registerJobInstanceRoutes, settle } from './fake/job-instances';
import { registerMetricRoutes } from './fake/metrics';
import { registerSavepointRoutes } from './fake/savepoints';
import { listen } from './fake/server';
import { addTask, createState, setState } from './fake/state';
import { registerTaskEditingRoutes } from './fake/task-editing';
import { registerTaskRoutes } from './fake/tasks';
import type { FakeDinky, FakeDinkyOptions, FakeJobInstance } from './fake/types';

export type {
  FakeDinky,
  FakeDinkyOptions,
  FakeDinkyRequest,
  FakeDinkyTask,
  FakeDinkyTaskInput,
  FakeJobGraph,
  FakeJobInstance,
  FakeJobStatus,
  FakeSavepoint,
} from './fake/types';

// The fake is split by Dinky resource in ./fake/, each file next to the client file of the same
// name in ../client/: tasks, savepoints, job-instances, metrics, task-editing, auth, plus the
// shared state and the HTTP server.

/**
 * Starts an in-memory HTTP server that behaves like Dinky for the calls the adapter makes,
 * following the reference's checklist: 1.x and 0.7 envelopes (failures in HTTP 200 with codes
 * 1/5/6, 401 with code 7), `msg` in a random language, unauthenticated `/openapi/**`, login-based
 * `/api/**` with the version's token header (a second login of a user kicks out the first), a task
 * store with lifecycle steps, job instances whose state the test drives, a stale stored
 * `duration`, savepoint types (unknown types trigger), the slow restart path and its timeout
 * error, no duplicate-submit guard, and the `getTaskLineage` null bug. Listens on a random
 * loopback port.
 *
 * @param options - version, zone, language, users, clock, restart delay
 * @returns the running fake; call `close()` when done
 * @example
 * ```ts
 * const fake = await createFakeDinky({ version: '1.1.0' });
 * const task = fake.addTask({ name: 'orders_agg', statement: 'insert into t select * from s' });
 * // … drive the client against fake.url, then:
 * fake.setJobState(task.jobInstanceId ?? 0, 'FAILED', { error: 'boom' });
 * await fake.close();
 * ```
 */
export async function createFakeDinky(options: FakeDinkyOptions = {}): Promise<FakeDinky> {
  const s = createState(options);
  registerJobInstanceRoutes(s);
  registerTaskRoutes(s);
  registerSavepointRoutes(s);
  registerAuthRoutes(s);
  registerTaskEditingRoutes(s);
  registerMetricRoutes(s);
  const { server, port } = await listen(s);

  const instanceOrThrow = (id: number): FakeJobInstance => {
    const inst = s.instances.get(id);
    if (!inst) throw new Error(`fake dinky: no job instance ${id}`);
    return inst;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    version: s.legacy ? null : s.rawVersion,
    legacy: s.legacy,
    tokenName: s.tokenName,
    timeZone: s.zone,
    requests: s.requests,
    now: s.now,
    advance(ms) {
      s.offset += ms;
    },
    addTask: (input) => addTask(s, input),
    task: (id) => s.tasks.get(id),
    taskByName: (name) => [...s.tasks.values()].find((t) => t.name === name),
    instance: (id) => s.instances.get(id),
    instances: (taskId) =>
      [...s.instances.values()].filter((i) => taskId === undefined || i.taskId === taskId),
    setJobState(id, status, detail = {}) {
      setState(s, instanceOrThrow(id), status, detail.error);
    },
    addRecords(id, records) {
      instanceOrThrow(id).records += records;
    },
    setRecordRate(id, perSecond) {
      instanceOrThrow(id).rate = perSecond;
    },
    persistInstance(id) {
      const inst = instanceOrThrow(id);
      inst.storedDuration = (inst.finishTime ?? s.now()) - inst.startTime;
      inst.updateTime = s.now();
    },
    deleteInstance(id) {
      s.instances.delete(id);
      for (const t of s.tasks.values()) if (t.jobInstanceId === id) t.jobInstanceId = null;
    },
    failNextSubmit(
      message = 'org.apache.flink.table.api.ValidationException: SQL validation failed',
    ) {
      s.submitFailure = message;
    },
    setCancelRefused(refused) {
      s.cancelRefused = refused;
    },
    setSavepointFails(fails) {
      s.savepointFails = fails;
    },
    refreshJobs() {
      settle(s, true);
    },
    setClusterDown(down) {
      s.clusterDown = down;
    },
    setStuckOnStop(taskId, isStuck) {
      if (isStuck) s.stuck.add(taskId);
      else s.stuck.delete(taskId);
    },
    setTaskLineage(taskId, lineage) {
      const task = s.tasks.get(taskId);
      if (!task) throw new Error(`fake dinky: no task ${taskId}`);
      task.lineage = lineage;
    },
    savepoints: (taskId) =>
      s.savepoints.filter((sp) => taskId === undefined || sp.taskId === taskId),
    activeTokens: () => [...s.tokens.keys()],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
