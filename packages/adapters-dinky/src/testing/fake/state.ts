import { formatWallClock } from '@dataportal/sdk';
import type {
  FakeDinkyOptions,
  FakeDinkyRequest,
  FakeDinkyTask,
  FakeDinkyTaskInput,
  FakeJobInstance,
  FakeJobStatus,
  FakeSavepoint,
} from './types';

// The fake's shared state and the envelope every route answers with. Each resource file
// (tasks, savepoints, job-instances, metrics, task-editing, auth) registers its routes on this
// context and mirrors the client file of the same name in ../../client/.

/** Statuses Dinky's `JobStatus.isDone()` counts as done (`dinky-common/.../enums/JobStatus.java`). */
export const DONE: readonly FakeJobStatus[] = ['FAILED', 'CANCELED', 'FINISHED', 'UNKNOWN'];

/** What a route answers. */
export interface Reply {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Record<string, string | string[]>;
}

/** A route handler. */
export type Handler = (req: FakeDinkyRequest) => Reply | Promise<Reply>;

/**
 * A failure as Dinky's exception handlers answer it (`aop/exception/WebExceptionHandler.java`):
 * `bus` → HTTP 200 code 1, `exception` → HTTP 200 code 5 with a stack trace, `params` → HTTP 400
 * code 6, `login` → code 1 on `/api/login`.
 */
export class Fail extends Error {
  constructor(
    readonly kind: 'bus' | 'exception' | 'params' | 'login',
    readonly en: string,
    readonly zh: string,
  ) {
    super(en);
  }
}

/** Messages in both languages Dinky's `I18n` may answer in. */
export const MSG = {
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

/** A Java stack trace as Dinky puts into `data` for code 5 (`LogUtil.getError`). */
export function stackTrace(message: string): string {
  const lines = [`java.lang.RuntimeException: ${message}`];
  for (let i = 0; i < 60; i++) {
    lines.push(
      `\tat org.dinky.service.impl.TaskServiceImpl.frame${i}(TaskServiceImpl.java:${100 + i})`,
    );
  }
  return lines.join('\n');
}

const SPLIT = /;\s*(?:\n|--.*)/;

/** Splits a script the way Dinky's `SqlUtil.getStatements` does (before variables). */
export function splitStatements(sql: string): string[] {
  const parts = sql.replace(/\r\n/g, '\n').split(SPLIT);
  const last = (parts[parts.length - 1] ?? '').trim();
  if (last.endsWith(';')) parts[parts.length - 1] = last.slice(0, -1);
  return parts;
}

/** Replaces `${name}` with the variable's value, leaving unknown names as they are. */
export function substitute(statement: string, vars: Readonly<Record<string, string>>): string {
  return statement.replace(/\$\{([A-Za-z0-9_.-]+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? (vars[name] as string) : whole,
  );
}

/** A boolean request parameter with Spring's default. */
export function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return v === 'true';
}

/** An integer request parameter, or undefined. */
export function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '' || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** The fake's state and the helpers every resource file shares. */
export interface FakeState {
  readonly options: FakeDinkyOptions;
  readonly rawVersion: string;
  readonly legacy: boolean;
  readonly major: number;
  readonly minor: number;
  readonly tokenName: string;
  readonly zone: string;
  readonly users: readonly { readonly username: string; readonly password: string }[];
  readonly lineageBug: boolean;
  readonly tasks: Map<number, FakeDinkyTask>;
  readonly instances: Map<number, FakeJobInstance>;
  readonly savepoints: FakeSavepoint[];
  readonly requests: FakeDinkyRequest[];
  /** token → username */
  readonly tokens: Map<string, string>;
  readonly stuck: Set<number>;
  /** Savepoint-with-stop results Dinky only sees on its next refresh (~5 s) or a forced one. */
  readonly pending: Map<number, { status: FakeJobStatus; at: number }>;
  readonly routes: Map<string, Map<string, Handler>>;
  offset: number;
  nextTask: number;
  nextInstance: number;
  nextCatalogue: number;
  nextSavepoint: number;
  submitFailure: string | null;
  clusterDown: boolean;
  savepointFails: boolean;
  cancelRefused: boolean;
  now(): number;
  msg(pair: readonly [string, string]): string;
  envelope(code: number, message: string, data: unknown): unknown;
  ok(data: unknown, pair?: readonly [string, string]): Reply;
  route(method: string, path: string, h: Handler): void;
}

/** Dinky refreshes every running instance about every 5 s (`FlinkTaskConstant.TIME_SLEEP`). */
export const REFRESH_MS = 5000;

/** Builds the fake's state from its options. */
export function createState(options: FakeDinkyOptions): FakeState {
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
  const coin = mulberry32(options.seed ?? 1);
  const routes = new Map<string, Map<string, Handler>>();
  const state: FakeState = {
    options,
    rawVersion,
    legacy,
    major,
    minor,
    tokenName,
    zone,
    users: options.users ?? [{ username: 'admin', password: 'admin' }],
    lineageBug: options.taskLineageBug ?? !legacy,
    tasks: new Map(),
    instances: new Map(),
    savepoints: [],
    requests: [],
    tokens: new Map(),
    stuck: new Set(),
    pending: new Map(),
    routes,
    offset: 0,
    nextTask: 1,
    nextInstance: 1,
    nextCatalogue: 100,
    nextSavepoint: 1,
    submitFailure: null,
    clusterDown: false,
    savepointFails: false,
    cancelRefused: false,
    now: () => base() + state.offset,
    msg(pair) {
      const lang = options.language ?? 'random';
      if (lang === 'en') return pair[0];
      if (lang === 'zh') return pair[1];
      return coin() < 0.5 ? pair[0] : pair[1];
    },
    envelope(code, message, data) {
      const time = formatWallClock(state.now(), zone);
      return legacy
        ? { code, msg: message, datas: data, time }
        : { code, msg: message, data, time, success: code === 0 };
    },
    ok(data, pair = MSG.ok) {
      return { body: state.envelope(0, state.msg(pair), data) };
    },
    route(method, path, h) {
      const byMethod = routes.get(path) ?? new Map<string, Handler>();
      byMethod.set(method, h);
      routes.set(path, byMethod);
    },
  };
  return state;
}

/** A BusException (code 1). */
export const bus = (pair: readonly [string, string]): Fail => new Fail('bus', pair[0], pair[1]);
/** An unexpected exception (code 5 with a stack trace). */
export const exception = (pair: readonly [string, string]): Fail =>
  new Fail('exception', pair[0], pair[1]);

/** A required `@RequestParam`: missing → code 5 (`MissingServletRequestParameterException`). */
export function needParam(v: string | undefined, name: string): string {
  if (v === undefined) {
    throw exception([
      `Required request parameter '${name}' is not present`,
      `缺少必需的请求参数 '${name}'`,
    ]);
  }
  return v;
}

/** The JSON body as an object (empty when absent). */
export function bodyOf(req: FakeDinkyRequest): Record<string, unknown> {
  return req.body !== null && typeof req.body === 'object'
    ? (req.body as Record<string, unknown>)
    : {};
}

/** Adds a task to the store; a duplicate name is code 1 `TASK_IS_EXIST`. */
export function addTask(s: FakeState, input: FakeDinkyTaskInput): FakeDinkyTask {
  if ([...s.tasks.values()].some((t) => t.name === input.name)) throw bus(MSG.exists);
  const task: FakeDinkyTask = {
    id: s.nextTask++,
    name: input.name,
    dialect: input.dialect ?? 'FlinkSql',
    type: 'local',
    statement: input.statement ?? 'insert into sink_t select * from source_t',
    fragment: input.fragment ?? false,
    step: input.step ?? 1,
    enabled: true,
    jobInstanceId: null,
    catalogueId: s.nextCatalogue++,
    parentId: 0,
    parallelism: input.parallelism ?? 1,
    envSql: input.envSql ?? '',
    graph: input.graph ?? 'unchained',
    lineage: null,
  };
  s.tasks.set(task.id, task);
  return task;
}

/** A task by id; missing → code 1 "Task Not Exist". */
export function taskOf(s: FakeState, id: number | undefined): FakeDinkyTask {
  const t = id === undefined ? undefined : s.tasks.get(id);
  if (!t) throw bus(MSG.taskMissing);
  return t;
}

/** The task's current job instance; missing → code 1 "Job Instance Not Exist". */
export function current(s: FakeState, task: FakeDinkyTask): FakeJobInstance {
  const inst = task.jobInstanceId === null ? undefined : s.instances.get(task.jobInstanceId);
  if (!inst) throw bus(MSG.instanceMissing);
  return inst;
}

/**
 * Schedules what Dinky's refresh loop will write for an instance: Flink has already moved on, but
 * the `dinky_job_instance` row changes only on the next refresh (`job/FlinkJobTask.java`, every
 * `FlinkTaskConstant.TIME_SLEEP` = 5 s) or a forced one (`refreshJobInfoDetail?isForce=true`).
 */
export function scheduleRefresh(s: FakeState, inst: FakeJobInstance, status: FakeJobStatus): void {
  s.pending.set(inst.id, { status, at: s.now() });
}

/** Moves an instance to a status and writes its row (Dinky saves on every status change). */
export function setState(
  s: FakeState,
  inst: FakeJobInstance,
  status: FakeJobStatus,
  error?: string,
): void {
  inst.status = status;
  const t = s.now();
  if (DONE.includes(status)) inst.finishTime = inst.finishTime ?? t;
  else inst.finishTime = null;
  if (status === 'FAILED') inst.error = error ?? 'org.apache.flink.runtime.JobException: failed';
  // Dinky writes the row when the status changes, so duration is fresh at that moment.
  inst.storedDuration = (inst.finishTime ?? t) - inst.startTime;
  inst.updateTime = t;
}
