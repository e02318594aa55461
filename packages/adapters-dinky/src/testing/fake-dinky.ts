import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatWallClock } from '@dataportal/sdk';
import type { DinkyLineage } from '../schemas';

/**
 * Dinky job statuses (`org.dinky.data.enums.JobStatus`).
 *
 * @example
 * ```ts
 * fake.setJobState(1, 'RECONNECTING' satisfies FakeJobStatus);
 * ```
 */
export type FakeJobStatus =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING'
  | 'RECONNECTING'
  | 'UNKNOWN';

const DONE: readonly FakeJobStatus[] = ['FAILED', 'CANCELED', 'FINISHED', 'UNKNOWN'];

/**
 * Options of {@link createFakeDinky}.
 *
 * @example
 * ```ts
 * const fake = await createFakeDinky({ version: '1.2.0', timeZone: 'UTC', restartDelayMs: 50 } satisfies FakeDinkyOptions);
 * ```
 */
export interface FakeDinkyOptions {
  /**
   * Version to emulate: `'1.1.0'` (default; token header `token`), `'1.0.3'`, `'1.2.0'` (token
   * header `dinky-token`) or `'0.7'` (no `/openapi/version`, `datas` envelope, GET submit).
   */
  readonly version?: string;
  /** Zone of the emulated server's wall clock. Defaults to `Asia/Shanghai`. */
  readonly timeZone?: string;
  /** Language of `msg`: `en`, `zh` or `random` (default, to keep clients from reading it). */
  readonly language?: 'en' | 'zh' | 'random';
  /** Users that may log in to `/api`. Defaults to `admin`/`admin`. */
  readonly users?: readonly { readonly username: string; readonly password: string }[];
  /** Base clock in epoch ms; {@link FakeDinky.advance} adds to it. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** Real milliseconds `restartTask` waits while "stopping the job" (Dinky polls ≈22 s). Defaults to 0. */
  readonly restartDelayMs?: number;
  /**
   * Emulate the 1.x bug where `/openapi/getTaskLineage` answers null for Flink SQL tasks.
   * Defaults to true for 1.x (0.7 is not affected).
   */
  readonly taskLineageBug?: boolean;
  /** Seed of the message-language coin. Defaults to 1. */
  readonly seed?: number;
}

/**
 * A task in the fake's store.
 *
 * @example
 * ```ts
 * const task: FakeDinkyTask = fake.addTask({ name: 'orders_agg', fragment: true });
 * ```
 */
export interface FakeDinkyTask {
  /** Task id. */
  readonly id: number;
  /** Name (unique among catalogue nodes). */
  name: string;
  /** Dialect, e.g. `FlinkSql`. */
  dialect: string;
  /** Run mode, e.g. `local`. */
  type: string;
  /** The SQL. */
  statement: string;
  /** `${var}` substitution on. */
  fragment: boolean;
  /** Lifecycle: 1 develop, 2 publish (0.7: 4 release, 5 online). */
  step: number;
  /** Enabled flag. */
  enabled: boolean;
  /** The latest job instance id. */
  jobInstanceId: number | null;
  /** Catalogue node id. */
  catalogueId: number;
  /** Catalogue folder id. */
  parentId: number;
  /** Parallelism. */
  parallelism: number;
  /** Global env SQL prepended by `exportSql`. */
  envSql: string;
  /** Lineage fixture for this task. */
  lineage: DinkyLineage | null;
}

/**
 * Input to {@link FakeDinky.addTask}.
 *
 * @example
 * ```ts
 * fake.addTask({ name: 'tpl', fragment: true, statement: '${dp_sql_1};' } satisfies FakeDinkyTaskInput);
 * ```
 */
export interface FakeDinkyTaskInput {
  /** Name. */
  readonly name: string;
  /** SQL. Defaults to a one-statement insert. */
  readonly statement?: string;
  /** Dialect. Defaults to `FlinkSql`. */
  readonly dialect?: string;
  /** `${var}` substitution. Defaults to false. */
  readonly fragment?: boolean;
  /** Lifecycle step. Defaults to 1 (develop). */
  readonly step?: number;
  /** Parallelism. Defaults to 1. */
  readonly parallelism?: number;
  /** Env SQL for `exportSql`. Defaults to none. */
  readonly envSql?: string;
}

/**
 * A job instance in the fake. Times are epoch ms of the fake clock.
 *
 * @example
 * ```ts
 * const inst: FakeJobInstance | undefined = fake.instance(1);
 * ```
 */
export interface FakeJobInstance {
  /** Instance id. */
  readonly id: number;
  /** Task id. */
  readonly taskId: number;
  /** Flink job id (32 hex). */
  readonly jid: string;
  /** Status. */
  status: FakeJobStatus;
  /** Error text (FAILED). */
  error: string | null;
  /** Flink start time. */
  startTime: number;
  /** End time, or null while running. */
  finishTime: number | null;
  /** Duration as stored in Dinky's row: only refreshed on status changes and {@link FakeDinky.persistInstance}. */
  storedDuration: number;
  /** Last write of the row. */
  updateTime: number;
  /** Statements as submitted (split, then `${var}` substituted when fragment is on). */
  readonly statements: readonly string[];
  /** Variables of the submit. */
  readonly variables: Readonly<Record<string, string>>;
  /** Savepoint the job started from. */
  readonly savePointPath: string | null;
  /** Records the source vertex wrote (cumulative). */
  records: number;
  /** Flink's `numRecordsOutPerSecond` of the source (per subtask 0), or null when not reported. */
  rate: number | null;
  /** Parallelism. */
  readonly parallelism: number;
}

/**
 * A savepoint the fake took.
 *
 * @example
 * ```ts
 * const [sp]: FakeSavepoint[] = fake.savepoints(1);
 * ```
 */
export interface FakeSavepoint {
  /** Task id. */
  readonly taskId: number;
  /** Instance id. */
  readonly instanceId: number;
  /** Savepoint type (`trigger`, `stop`, `cancel`…). */
  readonly type: string;
  /** Path. */
  readonly path: string;
}

/**
 * One request the fake served.
 *
 * @example
 * ```ts
 * const cancel: FakeDinkyRequest | undefined = fake.requests.find((r) => r.path === '/openapi/cancel');
 * ```
 */
export interface FakeDinkyRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path without query. */
  readonly path: string;
  /** Query parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** Request headers (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, if any. */
  readonly body: unknown;
}

/**
 * A running fake Dinky server.
 *
 * @example
 * ```ts
 * const fake: FakeDinky = await createFakeDinky();
 * await fake.close();
 * ```
 */
export interface FakeDinky {
  /** Base URL (`http://127.0.0.1:<random port>`). */
  readonly url: string;
  /** What `/openapi/version` answers, or null in 0.7 mode. */
  readonly version: string | null;
  /** True in 0.7 mode. */
  readonly legacy: boolean;
  /** Token header/cookie name of this version. */
  readonly tokenName: string;
  /** The server's wall-clock zone. */
  readonly timeZone: string;
  /** Every request served, in order. */
  readonly requests: FakeDinkyRequest[];
  /** The fake clock (epoch ms). */
  now(): number;
  /** Moves the fake clock forward. */
  advance(ms: number): void;
  /** Adds a task to the store. */
  addTask(input: FakeDinkyTaskInput): FakeDinkyTask;
  /** A task by id. */
  task(id: number): FakeDinkyTask | undefined;
  /** A task by name. */
  taskByName(name: string): FakeDinkyTask | undefined;
  /** A job instance by id. */
  instance(id: number): FakeJobInstance | undefined;
  /** Job instances, optionally of one task, in id order. */
  instances(taskId?: number): FakeJobInstance[];
  /** Moves a job to a status (FAILED takes `error`); stamps finish time on done states. */
  setJobState(
    instanceId: number,
    status: FakeJobStatus,
    detail?: { readonly error?: string },
  ): void;
  /** Adds records to the job's cumulative vertex counters. */
  addRecords(instanceId: number, records: number): void;
  /** Sets Flink's per-subtask `numRecordsOutPerSecond` of the source (null: not reported). */
  setRecordRate(instanceId: number, perSecond: number | null): void;
  /** Emulates Dinky's periodic row write (refreshes the stored `duration`). */
  persistInstance(instanceId: number): void;
  /** Removes a job instance (it vanished from Dinky). */
  deleteInstance(instanceId: number): void;
  /** Makes the next submit fail with code 5 and a stack trace. */
  failNextSubmit(message?: string): void;
  /** Makes the cluster unreachable (cancel then fails, or lies with `forceCancel`). */
  setClusterDown(down: boolean): void;
  /** Makes savepoints fail (savepoint calls answer code 5; cancel-with-savepoint silently cancels without one). */
  setSavepointFails(fails: boolean): void;
  /** Applies status changes Dinky has not refreshed yet (its ~5 s refresh loop). */
  refreshJobs(): void;
  /** Makes restart's stop never finish (restart then fails with code 5 after the delay). */
  setStuckOnStop(taskId: number, stuck: boolean): void;
  /** Sets the lineage fixture of a task. */
  setTaskLineage(taskId: number, lineage: DinkyLineage | null): void;
  /** Savepoints taken, optionally of one task. */
  savepoints(taskId?: number): FakeSavepoint[];
  /** Tokens currently accepted on `/api`. */
  activeTokens(): string[];
  /** Stops the server. */
  close(): Promise<void>;
}

interface Reply {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Record<string, string | string[]>;
}

class Fail extends Error {
  constructor(
    readonly kind: 'bus' | 'exception' | 'params' | 'login',
    readonly en: string,
    readonly zh: string,
  ) {
    super(en);
  }
}

const MSG = {
  ok: ['Successfully', '成功'],
  query: ['Query Successfully', '查询成功'],
  exec: ['Execute Successfully', '执行成功'],
  taskMissing: ['Task Not Exist', '任务不存在'],
  instanceMissing: ['Job Instance Not Exist', '作业实例不存在'],
  online: ['Task is online, modification is prohibited', '任务已上线，禁止修改'],
  exists: ['Task is existed', '任务已存在'],
  login: ['User not exist or password error', '用户不存在或密码错误'],
  notLogin: ['token is invalid', '未能读取到有效 token'],
  stopFailed: ['stop job failed, please check job status', '停止作业失败，请检查作业状态'],
} as const;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stackTrace(message: string): string {
  const lines = [`java.lang.RuntimeException: ${message}`];
  for (let i = 0; i < 60; i++) {
    lines.push(
      `\tat org.dinky.service.impl.TaskServiceImpl.frame${i}(TaskServiceImpl.java:${100 + i})`,
    );
  }
  return lines.join('\n');
}

const SPLIT = /;\s*(?:\n|--.*)/;

function splitStatements(sql: string): string[] {
  const parts = sql.replace(/\r\n/g, '\n').split(SPLIT);
  const last = (parts[parts.length - 1] ?? '').trim();
  if (last.endsWith(';')) parts[parts.length - 1] = last.slice(0, -1);
  return parts;
}

function substitute(statement: string, vars: Readonly<Record<string, string>>): string {
  return statement.replace(/\$\{([A-Za-z0-9_.-]+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? (vars[name] as string) : whole,
  );
}

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return v === 'true';
}

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
  const rawVersion = options.version ?? '1.1.0';
  const legacy = rawVersion === '0.7' || rawVersion.startsWith('0.');
  const m = /^(\d+)\.(\d+)/.exec(rawVersion);
  const major = Number(m?.[1] ?? '1');
  const minor = Number(m?.[2] ?? '1');
  const tokenName = legacy
    ? 'satoken'
    : major > 1 || (major === 1 && minor >= 2)
      ? 'dinky-token'
      : 'token';
  const zone = options.timeZone ?? 'Asia/Shanghai';
  const base = options.now ?? Date.now;
  const users = options.users ?? [{ username: 'admin', password: 'admin' }];
  const lineageBug = options.taskLineageBug ?? !legacy;
  const coin = mulberry32(options.seed ?? 1);
  let offset = 0;
  const now = (): number => base() + offset;

  const tasks = new Map<number, FakeDinkyTask>();
  const instances = new Map<number, FakeJobInstance>();
  const savepoints: FakeSavepoint[] = [];
  const requests: FakeDinkyRequest[] = [];
  const tokens = new Map<string, string>(); // token → username
  const stuck = new Set<number>();
  let nextTask = 1;
  let nextInstance = 1;
  let nextCatalogue = 100;
  let nextSavepoint = 1;
  let submitFailure: string | null = null;
  let clusterDown = false;
  let savepointFails = false;
  // Savepoint-with-stop results Dinky only sees on its next refresh (~5 s) or a forced one.
  const pending = new Map<number, { status: FakeJobStatus; at: number }>();
  const REFRESH_MS = 5000;

  const msg = (pair: readonly [string, string]): string => {
    const lang = options.language ?? 'random';
    if (lang === 'en') return pair[0];
    if (lang === 'zh') return pair[1];
    return coin() < 0.5 ? pair[0] : pair[1];
  };

  const envelope = (code: number, message: string, data: unknown): unknown => {
    const time = formatWallClock(now(), zone);
    return legacy
      ? { code, msg: message, datas: data, time }
      : { code, msg: message, data, time, success: code === 0 };
  };

  const ok = (data: unknown, pair: readonly [string, string] = MSG.ok): Reply => ({
    body: envelope(0, msg(pair), data),
  });

  const bus = (pair: readonly [string, string]): Fail => new Fail('bus', pair[0], pair[1]);
  const exception = (pair: readonly [string, string]): Fail =>
    new Fail('exception', pair[0], pair[1]);

  const addTask = (input: FakeDinkyTaskInput): FakeDinkyTask => {
    if ([...tasks.values()].some((t) => t.name === input.name)) throw bus(MSG.exists);
    const task: FakeDinkyTask = {
      id: nextTask++,
      name: input.name,
      dialect: input.dialect ?? 'FlinkSql',
      type: 'local',
      statement: input.statement ?? 'insert into sink_t select * from source_t',
      fragment: input.fragment ?? false,
      step: input.step ?? 1,
      enabled: true,
      jobInstanceId: null,
      catalogueId: nextCatalogue++,
      parentId: 0,
      parallelism: input.parallelism ?? 1,
      envSql: input.envSql ?? '',
      lineage: null,
    };
    tasks.set(task.id, task);
    return task;
  };

  const taskOf = (id: number | undefined): FakeDinkyTask => {
    const t = id === undefined ? undefined : tasks.get(id);
    if (!t) throw bus(MSG.taskMissing);
    return t;
  };

  const setState = (inst: FakeJobInstance, status: FakeJobStatus, error?: string): void => {
    inst.status = status;
    const t = now();
    if (DONE.includes(status)) inst.finishTime = inst.finishTime ?? t;
    else inst.finishTime = null;
    if (status === 'FAILED') inst.error = error ?? 'org.apache.flink.runtime.JobException: failed';
    // Dinky writes the row when the status changes, so duration is fresh at that moment.
    inst.storedDuration = (inst.finishTime ?? t) - inst.startTime;
    inst.updateTime = t;
  };

  const submit = (
    task: FakeDinkyTask,
    vars: Readonly<Record<string, string>>,
    savePointPath: string | null,
  ): unknown => {
    if (submitFailure !== null) {
      const reason = submitFailure;
      submitFailure = null;
      throw new Fail('exception', reason, reason);
    }
    const statements = splitStatements(task.statement)
      .map((s) => (task.fragment ? substitute(s, vars) : s).trim())
      .filter((s) => s !== '');
    const t = now();
    const inst: FakeJobInstance = {
      id: nextInstance++,
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
    };
    instances.set(inst.id, inst);
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
        gatewayConfig: {
          appConfig: {
            userJarParas: ['--config', 'eyJ1cmwiOiJteXNxbDovL3Jvb3Q6c2VjcmV0QGRiIn0='],
          },
        },
      },
    };
  };

  const current = (task: FakeDinkyTask): FakeJobInstance => {
    const inst = task.jobInstanceId === null ? undefined : instances.get(task.jobInstanceId);
    if (!inst) throw bus(MSG.instanceMissing);
    return inst;
  };

  const takeSavepoint = (inst: FakeJobInstance, type: string): string => {
    const path = `file:///tmp/dinky/savepoints/sp-${nextSavepoint++}`;
    savepoints.push({ taskId: inst.taskId, instanceId: inst.id, type, path });
    return path;
  };

  const cancel = (task: FakeDinkyTask, withSavepoint: boolean, force: boolean): boolean => {
    const inst = current(task);
    if (DONE.includes(inst.status)) return true;
    if (clusterDown) {
      if (force) {
        setState(inst, 'UNKNOWN');
        return true;
      }
      throw exception(['cluster is unreachable', '集群不可达']);
    }
    // Dinky falls back to a plain cancel when the savepoint fails, and still answers true.
    if (withSavepoint && !savepointFails) takeSavepoint(inst, 'cancel');
    setState(inst, 'CANCELED');
    return true;
  };

  const settle = (force: boolean): void => {
    for (const [id, p] of pending) {
      const inst = instances.get(id);
      if (!inst) {
        pending.delete(id);
      } else if (force || now() >= p.at + REFRESH_MS) {
        pending.delete(id);
        if (!DONE.includes(inst.status)) setState(inst, p.status);
      }
    }
  };

  const savepointResult = (inst: FakeJobInstance, type: string, path: string): unknown => ({
    appId: null,
    type: type.toUpperCase(),
    success: true,
    isSuccess: true,
    error: null,
    exceptionMsg: null,
    jobInfos: [{ jobId: inst.jid, savePoint: path, status: 'RUN' }],
  });

  const savepointTask = (task: FakeDinkyTask, rawType: string): unknown => {
    const inst = current(task);
    const known = ['trigger', 'dispose', 'stop', 'cancel'];
    // Dinky's SavePointType.get falls back to TRIGGER for unknown values.
    const type = known.includes(rawType.toLowerCase()) ? rawType.toLowerCase() : 'trigger';
    if (savepointFails || clusterDown) {
      throw exception(['savepoint failed: checkpoint coordinator is shut down', '保存点失败']);
    }
    const path = takeSavepoint(inst, type);
    // Flink ends the job, but Dinky's instance row changes only on its next refresh.
    if (type === 'cancel') pending.set(inst.id, { status: 'CANCELED', at: now() });
    if (type === 'stop') pending.set(inst.id, { status: 'FINISHED', at: now() });
    return savepointResult(inst, type, path);
  };

  const restart = async (task: FakeDinkyTask, savePointPath: string | null): Promise<unknown> => {
    const inst = task.jobInstanceId === null ? undefined : instances.get(task.jobInstanceId);
    let path = savePointPath;
    if (inst && !DONE.includes(inst.status)) {
      if (savePointPath) {
        setState(inst, 'CANCELED');
      } else {
        if ((options.restartDelayMs ?? 0) > 0) {
          await new Promise((r) => setTimeout(r, options.restartDelayMs));
        }
        if (stuck.has(task.id) || savepointFails) throw exception(MSG.stopFailed);
        path = takeSavepoint(inst, 'cancel');
        setState(inst, 'CANCELED');
      }
    }
    return submit(task, {}, path);
  };

  const instanceJson = (inst: FakeJobInstance): unknown => {
    const task = tasks.get(inst.taskId);
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
      createTime: formatWallClock(inst.startTime, zone),
      updateTime: formatWallClock(inst.updateTime, zone),
      // A running job's finishTime is Flink's end-time −1 rendered in the server zone.
      finishTime: formatWallClock(inst.finishTime ?? -1, zone),
      duration: inst.storedDuration,
      failedRestartCount: 0,
      count: null,
    };
  };

  const jobDetail = (inst: FakeJobInstance): unknown => {
    const t = now();
    const end = inst.finishTime ?? -1;
    return {
      id: inst.id,
      instance: instanceJson(inst),
      clusterInstance: { id: 1, jobManagerHost: '127.0.0.1:8081' },
      jobDataDto: {
        id: inst.id,
        job: {
          jid: inst.jid,
          name: tasks.get(inst.taskId)?.name ?? '',
          state: inst.status,
          'start-time': inst.startTime,
          'end-time': end,
          duration: (inst.finishTime ?? t) - inst.startTime,
          now: t,
          vertices: [
            {
              id: `${inst.jid.slice(0, 16)}0001`,
              name: 'Source: source_t[1]',
              parallelism: inst.parallelism,
              status: inst.status,
              metrics: {
                'read-bytes': 0,
                'read-records': 0,
                'write-bytes': inst.records * 64,
                'write-records': inst.records,
              },
            },
            {
              id: `${inst.jid.slice(0, 16)}0002`,
              name: 'Sink: sink_t[2]',
              parallelism: inst.parallelism,
              status: inst.status,
              metrics: {
                'read-bytes': inst.records * 64,
                'read-records': inst.records,
                'write-bytes': 0,
                'write-records': 0,
              },
            },
          ],
        },
        exceptions: inst.error ? { 'root-exception': inst.error } : null,
        error: false,
      },
    };
  };

  const taskJson = (task: FakeDinkyTask): unknown => ({
    id: task.id,
    name: task.name,
    dialect: task.dialect,
    type: task.type,
    statement: task.statement,
    step: task.step,
    enabled: task.enabled,
    fragment: task.fragment,
    jobInstanceId: task.jobInstanceId,
    parallelism: task.parallelism,
    clusterId: null,
    envId: -1,
  });

  const catalogueJson = (task: FakeDinkyTask): unknown => ({
    id: task.catalogueId,
    name: task.name,
    taskId: task.id,
    parentId: task.parentId,
    isLeaf: true,
    type: task.dialect,
    children: [],
  });

  const lineageOf = (task: FakeDinkyTask): DinkyLineage | null => task.lineage;

  const num = (v: string | undefined): number | undefined => {
    if (v === undefined || v === '' || !/^-?\d+$/.test(v)) return undefined;
    return Number(v);
  };

  const needParam = (v: string | undefined, name: string): string => {
    if (v === undefined) {
      throw exception([
        `Required request parameter '${name}' is not present`,
        `缺少必需的请求参数 '${name}'`,
      ]);
    }
    return v;
  };

  const authorised = (req: FakeDinkyRequest): boolean => {
    const cookieHeader = req.headers['cookie'] ?? '';
    const cookie = cookieHeader
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === tokenName)?.[1];
    const token = req.query[tokenName] ?? req.headers[tokenName] ?? cookie;
    return token !== undefined && tokens.has(token);
  };

  type Handler = (req: FakeDinkyRequest) => Reply | Promise<Reply>;
  const routes = new Map<string, Map<string, Handler>>();
  const route = (method: string, path: string, h: Handler): void => {
    const byMethod = routes.get(path) ?? new Map<string, Handler>();
    byMethod.set(method, h);
    routes.set(path, byMethod);
  };

  const bodyOf = (req: FakeDinkyRequest): Record<string, unknown> =>
    req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};

  const getInstance: Handler = (req) => {
    const inst = instances.get(num(needParam(req.query['id'], 'id')) ?? -1);
    return ok(inst ? instanceJson(inst) : null, MSG.query);
  };
  const getLatest: Handler = (req) => {
    const taskId = num(needParam(req.query['id'], 'id'));
    const latest = [...instances.values()]
      .filter((i) => i.taskId === taskId)
      .sort((a, b) => b.id - a.id)[0];
    return ok(latest ? instanceJson(latest) : null, MSG.query);
  };
  route('GET', '/openapi/getJobInstance', getInstance);
  route('GET', '/openapi/getJobInstanceByTaskId', getLatest);
  route('GET', '/openapi/getTaskLineage', (req) => {
    const task = taskOf(num(needParam(req.query['id'], 'id')));
    if (lineageBug && task.dialect === 'FlinkSql') return ok(null, MSG.query);
    return ok(lineageOf(task), MSG.query);
  });

  if (legacy) {
    route('GET', '/openapi/submitTask', (req) =>
      ok(submit(taskOf(num(needParam(req.query['id'], 'id'))), {}, null), MSG.exec),
    );
    route('POST', '/openapi/savepointTask', (req) => {
      const b = bodyOf(req);
      const task = taskOf(typeof b['taskId'] === 'number' ? b['taskId'] : undefined);
      const type = String(b['type'] ?? 'trigger').toLowerCase();
      if (type === 'canceljob') return ok(cancel(task, false, false), MSG.exec);
      if (type === 'cancel') return ok(cancel(task, true, false), MSG.exec);
      savepointTask(task, type);
      return ok(true, MSG.exec);
    });
    route('GET', '/openapi/restartTask', async (req) =>
      ok(await restart(taskOf(num(needParam(req.query['id'], 'id'))), null), MSG.exec),
    );
    route('GET', '/openapi/selectSavePointRestartTask', async (req) =>
      ok(
        await restart(
          taskOf(num(needParam(req.query['id'], 'id'))),
          needParam(req.query['savePointPath'], 'savePointPath'),
        ),
        MSG.exec,
      ),
    );
    route('GET', '/openapi/onLineTask', (req) => {
      const task = taskOf(num(needParam(req.query['id'], 'id')));
      task.step = 5;
      return ok(submit(task, {}, null), MSG.exec);
    });
    route('GET', '/openapi/offLineTask', (req) => {
      const task = taskOf(num(needParam(req.query['id'], 'id')));
      if (task.jobInstanceId !== null) cancel(task, false, false);
      task.step = 4;
      return ok(true, MSG.exec);
    });
  } else {
    route('GET', '/openapi/version', () => ok(rawVersion, MSG.query));
    route('POST', '/openapi/submitTask', (req) => {
      const b = bodyOf(req);
      const task = taskOf(typeof b['id'] === 'number' ? b['id'] : undefined);
      const vars =
        b['variables'] !== null && typeof b['variables'] === 'object'
          ? (b['variables'] as Record<string, string>)
          : {};
      const sp =
        typeof b['savePointPath'] === 'string' && b['savePointPath'] !== ''
          ? b['savePointPath']
          : null;
      return ok(submit(task, vars, sp), MSG.exec);
    });
    route('GET', '/openapi/cancel', (req) => {
      const task = taskOf(num(needParam(req.query['id'], 'id')));
      return ok(
        cancel(task, bool(req.query['withSavePoint'], false), bool(req.query['forceCancel'], true)),
        MSG.exec,
      );
    });
    route('GET', '/openapi/restartTask', async (req) => {
      const task = taskOf(num(needParam(req.query['id'], 'id')));
      const sp = req.query['savePointPath'];
      return ok(await restart(task, sp === undefined || sp === '' ? null : sp), MSG.exec);
    });
    route('POST', '/openapi/savepointTask', (req) => {
      const b = bodyOf(req);
      const task = taskOf(typeof b['taskId'] === 'number' ? b['taskId'] : undefined);
      return ok(savepointTask(task, String(b['type'] ?? 'trigger')), MSG.exec);
    });
    route('POST', '/openapi/savepoint', (req) => {
      const task = taskOf(num(needParam(req.query['taskId'], 'taskId')));
      const type = needParam(req.query['savePointType'], 'savePointType').toLowerCase();
      if (!['trigger', 'dispose', 'stop', 'cancel'].includes(type)) {
        throw exception([
          `No enum constant SavePointType.${type}`,
          `No enum constant SavePointType.${type}`,
        ]);
      }
      return ok(savepointTask(task, type), MSG.exec);
    });
    route('GET', '/openapi/exportSql', (req) => {
      const task = taskOf(num(needParam(req.query['id'], 'id')));
      const env = task.envSql.trim() === '' ? '' : `${task.envSql.trim()}\n`;
      return ok(`${env}${task.statement}`, MSG.query);
    });

    // ---- /api (login)
    route('POST', '/api/login', (req) => {
      const b = bodyOf(req);
      const user = users.find((u) => u.username === b['username'] && u.password === b['password']);
      if (!user) throw new Fail('login', MSG.login[0], MSG.login[1]);
      // is-concurrent: false — a new login replaces the user's other sessions.
      for (const [t, u] of tokens) if (u === user.username) tokens.delete(t);
      const token = randomUUID();
      tokens.set(token, user.username);
      return {
        body: envelope(0, msg(MSG.ok), {
          user: { id: 1, username: user.username },
          tokenInfo: { tokenName: tokenName, tokenValue: null },
        }),
        headers: { [tokenName]: token, 'set-cookie': [`${tokenName}=${token}; Path=/`] },
      };
    });
    route('POST', '/api/chooseTenant', (req) => {
      needParam(req.query['tenantId'], 'tenantId');
      return ok({ id: Number(req.query['tenantId']), tenantCode: 'DefaultTenant' });
    });
    route('GET', '/api/task', (req) =>
      ok(taskJson(taskOf(num(needParam(req.query['id'], 'id')))), MSG.query),
    );
    route('PUT', '/api/task', (req) => {
      const b = bodyOf(req);
      if (typeof b['name'] !== 'string' || typeof b['enabled'] !== 'boolean') {
        throw new Fail('params', 'name and enabled must not be null', 'name 和 enabled 不能为空');
      }
      if (typeof b['id'] !== 'number') {
        addTask({ name: b['name'], statement: String(b['statement'] ?? '') });
        return ok(null);
      }
      const task = taskOf(b['id']);
      if (task.step === 2) throw bus(MSG.online);
      task.name = b['name'];
      task.enabled = b['enabled'];
      if (typeof b['statement'] === 'string') task.statement = b['statement'];
      if (typeof b['fragment'] === 'boolean') task.fragment = b['fragment'];
      if (typeof b['type'] === 'string') task.type = b['type'];
      if (typeof b['parallelism'] === 'number') task.parallelism = b['parallelism'];
      return ok(null);
    });
    route('GET', '/api/task/changeTaskLife', (req) => {
      const task = taskOf(num(needParam(req.query['taskId'], 'taskId')));
      const life = num(needParam(req.query['lifeCycle'], 'lifeCycle'));
      task.step = life === 2 ? 2 : 1;
      return ok(true);
    });
    route('PUT', '/api/catalogue/saveOrUpdateCatalogueAndTask', (req) => {
      const b = bodyOf(req);
      if (typeof b['name'] !== 'string' || b['name'] === '') {
        throw new Fail('params', 'name must not be empty', 'name 不能为空');
      }
      const nested =
        b['task'] !== null && typeof b['task'] === 'object'
          ? (b['task'] as Record<string, unknown>)
          : {};
      const task = addTask({
        name: b['name'],
        dialect: typeof b['type'] === 'string' ? b['type'] : 'FlinkSql',
        statement: typeof nested['statement'] === 'string' ? nested['statement'] : '',
        fragment: nested['fragment'] === true,
      });
      if (typeof b['parentId'] === 'number') task.parentId = b['parentId'];
      return ok(catalogueJson(task));
    });
    route('POST', '/api/catalogue/getCatalogueTreeData', () =>
      ok([...tasks.values()].map(catalogueJson), MSG.query),
    );
    const detail: Handler = (req) => {
      if (req.query['isForce'] === 'true') settle(true);
      const inst = instances.get(num(needParam(req.query['id'], 'id')) ?? -1);
      if (!inst) throw bus(MSG.instanceMissing);
      return ok(jobDetail(inst), MSG.query);
    };
    route('GET', '/api/jobInstance/getJobInfoDetail', detail);
    route('GET', '/api/jobInstance/refreshJobInfoDetail', detail);
    route('GET', '/api/jobInstance/getJobMetricsData', (req) => {
      const jid = needParam(req.query['jobId'], 'jobId');
      const inst = [...instances.values()].find((i) => i.jid === jid);
      const wanted = (req.query['metrics'] ?? '').split(',').filter((s) => s !== '');
      const out: { id: string; value: string }[] = [];
      if (inst && inst.rate !== null && req.query['verticeId']?.endsWith('0001')) {
        for (const id of wanted) {
          const mm = /^(\d+)\.numRecordsOutPerSecond$/.exec(id);
          if (mm && Number(mm[1]) < inst.parallelism) out.push({ id, value: String(inst.rate) });
        }
      }
      return ok(out, MSG.query);
    });
    route('GET', '/api/jobInstance/getLineage', (req) => {
      const inst = instances.get(num(needParam(req.query['id'], 'id')) ?? -1);
      if (!inst) throw bus(MSG.instanceMissing);
      return ok(lineageOf(taskOf(inst.taskId)), MSG.query);
    });
  }

  const handle = async (req: FakeDinkyRequest): Promise<Reply> => {
    settle(false);
    const byMethod = routes.get(req.path);
    if (!byMethod) {
      if (legacy && req.path.startsWith('/api/') && req.path !== '/api/login') {
        return { status: 401, body: envelope(401, msg(MSG.notLogin), null) };
      }
      return {
        status: 404,
        body: {
          timestamp: new Date(now()).toISOString(),
          status: 404,
          error: 'Not Found',
          path: req.path,
        },
      };
    }
    if (!legacy && req.path.startsWith('/api/') && req.path !== '/api/login') {
      if (!authorised(req)) {
        return { status: 401, body: envelope(7, msg(MSG.notLogin), null) };
      }
    }
    const h = byMethod.get(req.method);
    try {
      if (!h) {
        throw new Fail(
          'exception',
          `Request method '${req.method}' not supported`,
          `Request method '${req.method}' not supported`,
        );
      }
      return await h(req);
    } catch (err) {
      if (!(err instanceof Fail)) throw err;
      const text = msg([err.en, err.zh]);
      if (err.kind === 'params') return { status: 400, body: envelope(6, text, null) };
      if (err.kind === 'exception' && !legacy) {
        return { body: envelope(5, text, stackTrace(err.en)) };
      }
      return { body: envelope(1, text, null) };
    }
  };

  const readBody = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = await readBody(req);
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const contentType = req.headers['content-type'] ?? '';
      let body: unknown = null;
      if (text !== '' && contentType.includes('application/x-www-form-urlencoded')) {
        for (const [k, v] of new URLSearchParams(text)) query[k] = v;
      } else if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string') headers[k] = v;
      }
      const request: FakeDinkyRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query,
        headers,
        body,
      };
      requests.push(request);
      let reply: Reply;
      try {
        reply = await handle(request);
      } catch (err) {
        reply = {
          body: envelope(legacy ? 1 : 5, 'fake failure', stackTrace(String(err))),
        };
      }
      res.statusCode = reply.status ?? 200;
      res.setHeader('content-type', 'application/json;charset=UTF-8');
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      res.end(JSON.stringify(reply.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const instanceOrThrow = (id: number): FakeJobInstance => {
    const inst = instances.get(id);
    if (!inst) throw new Error(`fake dinky: no job instance ${id}`);
    return inst;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    version: legacy ? null : rawVersion,
    legacy,
    tokenName,
    timeZone: zone,
    requests,
    now,
    advance(ms) {
      offset += ms;
    },
    addTask,
    task: (id) => tasks.get(id),
    taskByName: (name) => [...tasks.values()].find((t) => t.name === name),
    instance: (id) => instances.get(id),
    instances: (taskId) =>
      [...instances.values()].filter((i) => taskId === undefined || i.taskId === taskId),
    setJobState(id, status, detail = {}) {
      setState(instanceOrThrow(id), status, detail.error);
    },
    addRecords(id, records) {
      instanceOrThrow(id).records += records;
    },
    setRecordRate(id, perSecond) {
      instanceOrThrow(id).rate = perSecond;
    },
    persistInstance(id) {
      const inst = instanceOrThrow(id);
      inst.storedDuration = (inst.finishTime ?? now()) - inst.startTime;
      inst.updateTime = now();
    },
    deleteInstance(id) {
      instances.delete(id);
      for (const t of tasks.values()) if (t.jobInstanceId === id) t.jobInstanceId = null;
    },
    failNextSubmit(
      message = 'org.apache.flink.table.api.ValidationException: SQL validation failed',
    ) {
      submitFailure = message;
    },
    setSavepointFails(fails) {
      savepointFails = fails;
    },
    refreshJobs() {
      settle(true);
    },
    setClusterDown(down) {
      clusterDown = down;
    },
    setStuckOnStop(taskId, isStuck) {
      if (isStuck) stuck.add(taskId);
      else stuck.delete(taskId);
    },
    setTaskLineage(taskId, lineage) {
      const task = tasks.get(taskId);
      if (!task) throw new Error(`fake dinky: no task ${taskId}`);
      task.lineage = lineage;
    },
    savepoints: (taskId) => savepoints.filter((s) => taskId === undefined || s.taskId === taskId),
    activeTokens: () => [...tokens.keys()],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
