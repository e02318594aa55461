import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatWallClock, parseWallClock } from '@dataportal/sdk';
import { Cron } from 'croner';
import { parseJsonBigInts, stringifyJson } from '../internal/json';
import { type DolphinNames, type DolphinVersionLine, dolphinNames } from '../version';
import {
  emptyState,
  type FakeDolphinState,
  type FakeInstance,
  type FakeRelation,
  type FakeRunPlan,
  type FakeSchedule,
  type FakeTaskDefinition,
  type FakeTaskInstance,
  type FakeWorkflow,
} from './fake-state';

/**
 * Options of {@link createFakeDolphinScheduler}.
 *
 * @example
 * ```ts
 * const ds = await createFakeDolphinScheduler({ version: '3.1', largeCodes: true } satisfies FakeDolphinSchedulerOptions);
 * ```
 */
export interface FakeDolphinSchedulerOptions {
  /** Version line to emulate (default `3.2`). */
  readonly version?: DolphinVersionLine;
  /** The access token the fake accepts (default `fake-token`). */
  readonly token?: string;
  /** State to start from (copied), e.g. another fake's {@link FakeDolphinScheduler.snapshot}. */
  readonly state?: FakeDolphinState;
  /** Generate codes above 2^53 to prove clients carry them exactly (default false). */
  readonly largeCodes?: boolean;
  /** Zone of dates in responses (Jackson zone; default `UTC`). */
  readonly timeZone?: string;
  /** How many `/trigger` queries answer empty after a 3.2 start (default 1). */
  readonly triggerLag?: number;
  /**
   * Whether finished workflows send alerts (default true). `false` emulates 3.3.0-alpha, which
   * lost workflow finish alerts (apache/dolphinscheduler#17308).
   */
  readonly finishAlerts?: boolean;
}

/**
 * A request the fake received (for call counting and assertions).
 *
 * @example
 * ```ts
 * const starts: FakeRequestRecord[] = ds.requests.filter((r) => r.path.includes('/executors/'));
 * ```
 */
export interface FakeRequestRecord {
  /** HTTP method. */
  readonly method: string;
  /** Path below the context path, e.g. `/projects`. */
  readonly path: string;
  /** Query and form parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** HTTP status answered. */
  readonly status: number;
  /** Envelope code answered (null for HTML, 401 or injected faults). */
  readonly code: number | null;
}

/**
 * An HTTP alert the fake's alert server sent.
 *
 * @example
 * ```ts
 * const delivered: FakeAlertDelivery | undefined = ds.alerts[0];
 * ```
 */
export interface FakeAlertDelivery {
  /** Target URL (after `${msg}` substitution on 3.3). */
  readonly url: string;
  /** HTTP method. */
  readonly method: string;
  /** Content-Type header sent. */
  readonly contentType: string;
  /** Body sent (empty for GET). */
  readonly body: string;
  /** Alert title (not sent by the HTTP plugin; kept for assertions). */
  readonly title: string;
  /** Whether the plugin counted it as delivered. */
  readonly ok: boolean;
}

/**
 * A fault injected into the next matching requests.
 *
 * @example
 * ```ts
 * ds.injectFault({ method: 'POST', path: '/release', kind: 'reset' } satisfies FakeFault);
 * ```
 */
export interface FakeFault {
  /** Only requests with this method (default any). */
  readonly method?: string;
  /** Only requests whose path contains this text (default any). */
  readonly path?: string;
  /** `http500` answers HTTP 500, `reset` destroys the socket, `hang` never answers, `html` answers the UI page. */
  readonly kind: 'http500' | 'reset' | 'hang' | 'html';
  /** How many matching requests fail (default 1). */
  readonly times?: number;
}

/**
 * Decides the plan of each new run.
 *
 * @example
 * ```ts
 * const planner: FakeRunPlanner = ({ workflowName }) => ({ outcome: workflowName.startsWith('bad') ? 'FAILURE' : 'SUCCESS', durationMs: 1000 });
 * ds.setRunPlan(planner);
 * ```
 */
export type FakeRunPlanner = (run: {
  readonly workflowName: string;
  readonly instanceId: number;
}) => FakeRunPlan;

/**
 * A running fake DolphinScheduler.
 *
 * @example
 * ```ts
 * const ds: FakeDolphinScheduler = await createFakeDolphinScheduler({ version: '3.3' });
 * await ds.close();
 * ```
 */
export interface FakeDolphinScheduler {
  /** Base URL including the context path, e.g. `http://127.0.0.1:41234/dolphinscheduler`. */
  readonly url: string;
  /** Token to send in the `token` header. */
  readonly token: string;
  /** The line currently emulated. */
  readonly version: DolphinVersionLine;
  /** Every request received, in order. */
  readonly requests: readonly FakeRequestRecord[];
  /** Every HTTP alert sent, in order. */
  readonly alerts: readonly FakeAlertDelivery[];
  /** Switches the emulated line in place (an upgrade keeping all metadata and runs). */
  setVersion(line: DolphinVersionLine): void;
  /** A deep copy of the state, to start another fake from. */
  snapshot(): FakeDolphinState;
  /** Registers a data source; returns its id. */
  addDatasource(input: {
    readonly name: string;
    readonly type: string;
    readonly note?: string;
  }): number;
  /** Registers a tenant (3.1 definitions and 3.2+ runs may name it). */
  addTenant(code: string): void;
  /** Sets what new runs do (a fixed plan or a function per run). Default: success in 1 s. */
  setRunPlan(plan: FakeRunPlan | FakeRunPlanner): void;
  /** Moves every unfinished run one step (submitted → running → final) and awaits its alerts. */
  advanceRuns(): Promise<void>;
  /** Advances until every run is final. */
  settleRuns(): Promise<void>;
  /** Starts a run as the scheduler would (command type SCHEDULER); returns the instance id. */
  fireSchedule(workflowCode: string): number;
  /** Fails the next matching requests. */
  injectFault(fault: FakeFault): void;
  /** Clears the request log. */
  clearRequests(): void;
  /** Read access to the state (workflows, schedules, instances) for assertions. */
  readonly state: FakeDolphinState;
  /** Stops the server. */
  close(): Promise<void>;
}

type Params = Record<string, string>;

class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP alert plugin's placeholder on 3.3 (`HttpAlertConstants.MSG_PARAMS`). */
const MSG_PLACEHOLDER = '$' + '{msg}';
const HTML =
  '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>DolphinScheduler</title></head><body><div id="app"></div></body></html>';
const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'STOP', 'PAUSE', 'KILL']);
const WORKER = '127.0.0.1:1234';

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** Engine code for missing parameters and unexpected failures of this endpoint. */
  readonly generic: number;
  /** HTTP status of success (201 on create endpoints, even for map-style errors). */
  readonly created?: boolean;
  readonly required?: readonly string[];
  readonly handle: (ctx: Ctx) => unknown;
}

interface Ctx {
  readonly m: RegExpExecArray;
  readonly p: Params;
  readonly n: DolphinNames;
}

function str(v: unknown, fallback = ''): string {
  if (v === null || v === undefined) return fallback;
  return typeof v === 'string' ? v : String(v);
}

function num(v: unknown, fallback = 0): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return fallback;
}

function toCode(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  return null;
}

function parseJsonParam(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseJsonBigInts(text);
  } catch {
    return undefined;
  }
}

/**
 * Starts an in-memory DolphinScheduler on a random loopback port that enforces the REST rules of
 * the chosen version line (paths, parameter names, form encoding, `token`, the envelope and its
 * HTTP quirks, release-state rules, schedules, relations, runs, logs and HTTP alerts).
 *
 * @param options - version line, token, initial state, code size, time zone
 * @returns the running fake; `close()` it when done
 * @example
 * ```ts
 * const ds = await createFakeDolphinScheduler({ version: '3.3' });
 * ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
 * const engine = createDolphinEngine({ baseUrl: ds.url, token: ds.token, project: 'portal' });
 * // … publish, trigger, then:
 * await ds.settleRuns();
 * await ds.close();
 * ```
 */
export async function createFakeDolphinScheduler(
  options: FakeDolphinSchedulerOptions = {},
): Promise<FakeDolphinScheduler> {
  const fake = new FakeServer(options);
  await fake.listen();
  return fake;
}

class FakeServer implements FakeDolphinScheduler {
  url = '';
  readonly token: string;
  readonly requests: FakeRequestRecord[] = [];
  readonly alerts: FakeAlertDelivery[] = [];
  state: FakeDolphinState;
  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  readonly #tz: string;
  readonly #triggerLag: number;
  readonly #finishAlerts: boolean;
  #planner: FakeRunPlanner = () => ({ outcome: 'SUCCESS', durationMs: 1000 });
  #faults: Array<{ fault: FakeFault; left: number }> = [];
  readonly #hanging = new Set<ServerResponse>();

  constructor(options: FakeDolphinSchedulerOptions) {
    this.token = options.token ?? 'fake-token';
    this.state = options.state
      ? structuredClone(options.state)
      : emptyState(options.version ?? '3.2', options.largeCodes ?? false);
    if (options.version) this.state.version = options.version;
    this.#tz = options.timeZone ?? 'UTC';
    this.#triggerLag = options.triggerLag ?? 1;
    this.#finishAlerts = options.finishAlerts ?? true;
  }

  get version(): DolphinVersionLine {
    return this.state.version;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/dolphinscheduler`;
  }

  async close(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  setVersion(line: DolphinVersionLine): void {
    this.state.version = line;
  }

  snapshot(): FakeDolphinState {
    return structuredClone(this.state);
  }

  addDatasource(input: {
    readonly name: string;
    readonly type: string;
    readonly note?: string;
  }): number {
    const id = this.#id();
    this.state.datasources.push({ id, name: input.name, type: input.type, note: input.note ?? '' });
    return id;
  }

  addTenant(code: string): void {
    if (!this.state.tenants.includes(code)) this.state.tenants.push(code);
  }

  setRunPlan(plan: FakeRunPlan | FakeRunPlanner): void {
    this.#planner = typeof plan === 'function' ? plan : () => plan;
  }

  injectFault(fault: FakeFault): void {
    this.#faults.push({ fault, left: fault.times ?? 1 });
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  // ------------------------------------------------------------------ helpers

  #id(): number {
    const id = this.state.nextId;
    this.state.nextId += 1;
    return id;
  }

  #code(): bigint {
    this.state.nextCode += 1n + BigInt(Math.floor(Math.random() * 7));
    return this.state.nextCode;
  }

  #now(): string {
    return formatWallClock(new Date(), this.#tz);
  }

  #project(code: string | undefined): FakeDolphinState['projects'][number] {
    const c = toCode(code);
    const p = this.state.projects.find((x) => x.code === c);
    if (!p) throw new ApiError(10018, `project ${code} not found `);
    return p;
  }

  #workflow(projectCode: bigint, code: unknown): FakeWorkflow {
    const c = toCode(code);
    const w = this.state.workflows.find((x) => x.projectCode === projectCode && x.code === c);
    if (!w) throw new ApiError(50003, `process definition ${str(code)} does not exist`);
    return w;
  }

  #instance(projectCode: bigint, id: string | undefined): FakeInstance {
    const i = this.state.instances.find(
      (x) => x.id === num(id, -1) && x.projectCode === projectCode,
    );
    if (!i) throw new ApiError(50001, `process instance ${id} does not exist`);
    return i;
  }

  #page<T>(p: Params, rows: T[]): unknown {
    const pageNo = num(p['pageNo'], 0);
    const pageSize = num(p['pageSize'], 0);
    if (pageNo <= 0 || pageSize <= 0)
      throw new ApiError(10001, 'request parameter pageNo is not valid');
    const start = (pageNo - 1) * pageSize;
    return {
      totalList: rows.slice(start, start + pageSize),
      total: rows.length,
      totalPage: Math.max(1, Math.ceil(rows.length / pageSize)),
      pageSize,
      currentPage: pageNo,
      pageNo: start,
    };
  }

  // ------------------------------------------------------------------ serialisers (per line)

  #definitionJson(w: FakeWorkflow, n: DolphinNames): Record<string, unknown> {
    const schedule = this.state.schedules.find((s) => s.workflowCode === w.code);
    const project = this.state.projects.find((p) => p['code'] === w.projectCode);
    return {
      id: w.id,
      code: w.code,
      name: w.name,
      version: w.version,
      releaseState: w.releaseState,
      projectCode: w.projectCode,
      description: w.description,
      globalParams: '[]',
      globalParamList: [],
      globalParamMap: {},
      createTime: w.createTime,
      updateTime: w.updateTime,
      flag: 'YES',
      userId: 1,
      userName: 'admin',
      projectName: project?.name ?? null,
      locations: w.locations,
      scheduleReleaseState: schedule ? schedule.releaseState : null,
      timeout: w.timeout,
      modifyBy: 'admin',
      warningGroupId: w.warningGroupId,
      executionType: w.executionType,
      ...(n.line === '3.1'
        ? { tenantId: -1, tenantCode: w.tenantCode }
        : { schedule: schedule ? this.#scheduleJson(schedule, n) : null }),
    };
  }

  #dagJson(w: FakeWorkflow, n: DolphinNames): Record<string, unknown> {
    return {
      [n.dagDefinitionKey]: this.#definitionJson(w, n),
      [n.dagRelationsKey]: w.relations.map((r) => ({
        name: '',
        projectCode: w.projectCode,
        [n.line === '3.3' ? 'workflowDefinitionCode' : 'processDefinitionCode']: w.code,
        preTaskCode: r.preTaskCode,
        preTaskVersion: r.preTaskVersion,
        postTaskCode: r.postTaskCode,
        postTaskVersion: r.postTaskVersion,
        conditionType: 'NONE',
        conditionParams: {},
      })),
      taskDefinitionList: w.tasks.map((t) => ({
        code: t.code,
        version: t.version,
        name: t.name,
        description: t.description,
        projectCode: w.projectCode,
        taskType: t.taskType,
        taskParams: t.taskParams,
        flag: t.flag,
        taskPriority: 'MEDIUM',
        workerGroup: 'default',
        environmentCode: -1,
        failRetryTimes: t.failRetryTimes,
        failRetryInterval: 1,
        timeoutFlag: t.timeout > 0 ? 'OPEN' : 'CLOSE',
        timeout: t.timeout,
        delayTime: 0,
        taskExecuteType: 'BATCH',
      })),
    };
  }

  #scheduleJson(s: FakeSchedule, n: DolphinNames): Record<string, unknown> {
    const w = this.state.workflows.find((x) => x.code === s.workflowCode);
    const threeThree = n.line === '3.3';
    return {
      id: s.id,
      [threeThree ? 'workflowDefinitionCode' : 'processDefinitionCode']: s.workflowCode,
      [threeThree ? 'workflowDefinitionName' : 'processDefinitionName']: w?.name ?? null,
      startTime: s.startTime,
      endTime: s.endTime,
      timezoneId: s.timezoneId,
      crontab: s.crontab,
      failureStrategy: s.failureStrategy,
      warningType: s.warningType,
      createTime: s.createTime,
      updateTime: s.updateTime,
      userId: 1,
      userName: 'admin',
      releaseState: s.releaseState,
      warningGroupId: s.warningGroupId,
      [n.priorityParam]: 'MEDIUM',
      workerGroup: s.workerGroup,
      environmentCode: -1,
      ...(n.line === '3.1' ? {} : { tenantCode: s.tenantCode }),
    };
  }

  #instanceJson(i: FakeInstance, n: DolphinNames, withDuration: boolean): Record<string, unknown> {
    const threeThree = n.line === '3.3';
    return {
      id: i.id,
      [threeThree ? 'workflowDefinitionCode' : 'processDefinitionCode']: i.workflowCode,
      [threeThree ? 'workflowDefinitionVersion' : 'processDefinitionVersion']: i.workflowVersion,
      ...(n.line === '3.1' ? { tenantId: -1 } : { projectCode: i.projectCode, testFlag: 0 }),
      state: i.state,
      recovery: 'NO',
      startTime: i.startTime,
      endTime: i.endTime,
      runTimes: 1,
      name: i.name,
      host: i.startTime ? '127.0.0.1:5678' : null,
      commandType: i.commandType,
      commandParam: i.commandParam,
      taskDependType: 'TASK_POST',
      failureStrategy: i.failureStrategy,
      warningType: i.warningType,
      warningGroupId: i.warningGroupId,
      scheduleTime: i.scheduleTime,
      commandStartTime: i.createTime,
      globalParams: null,
      executorId: 1,
      executorName: 'admin',
      tenantCode: 'default',
      [threeThree ? 'isSubWorkflow' : 'isSubProcess']: 'NO',
      duration: withDuration ? this.#duration(i.startTime, i.endTime) : null,
      [n.priorityParam]: 'MEDIUM',
      workerGroup: 'default',
      environmentCode: -1,
      timeout: 0,
      dryRun: 0,
    };
  }

  #duration(start: string | null, end: string | null): string | null {
    if (!start) return null;
    const ms =
      (parseWallClock(end ?? this.#now(), this.#tz)?.getTime() ?? 0) -
      (parseWallClock(start, this.#tz)?.getTime() ?? 0);
    let s = Math.max(0, Math.round(ms / 1000));
    const d = Math.floor(s / 86400);
    s -= d * 86400;
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].filter(
      Boolean,
    );
    return parts.length > 0 ? parts.join(' ') : '1s';
  }

  #taskInstanceJson(
    t: FakeTaskInstance,
    i: FakeInstance,
    n: DolphinNames,
  ): Record<string, unknown> {
    const threeThree = n.line === '3.3';
    return {
      id: t.id,
      name: t.name,
      taskType: t.taskType,
      [threeThree ? 'workflowInstanceId' : 'processInstanceId']: i.id,
      [threeThree ? 'workflowInstanceName' : 'processInstanceName']: i.name,
      ...(n.line === '3.1' ? {} : { projectCode: i.projectCode }),
      taskCode: t.taskCode,
      taskDefinitionVersion: 1,
      state: t.state,
      submitTime: i.createTime,
      startTime: t.startTime,
      endTime: t.endTime,
      host: t.host,
      logPath: t.host ? `/opt/ds/logs/${i.id}/${t.id}.log` : null,
      retryTimes: 0,
      flag: 'YES',
      duration: null,
      taskParams: '{}',
      varPool: '[]',
      executorName: 'admin',
    };
  }

  // ------------------------------------------------------------------ definitions

  #parseTasks(p: Params, projectCode: bigint, existing: FakeWorkflow | null): FakeTaskDefinition[] {
    const parsed = parseJsonParam(p['taskDefinitionJson']);
    if (!Array.isArray(parsed) || parsed.length === 0) {
      throw new ApiError(50017, 'data taskDefinitionJson is not valid');
    }
    const out: FakeTaskDefinition[] = [];
    for (const raw of parsed as Array<Record<string, unknown>>) {
      const taskType = str(raw['taskType']);
      if (!['SQL', 'SHELL', 'DEPENDENT'].includes(taskType)) {
        throw new ApiError(10001, 'request parameter {0} is not valid');
      }
      const rawParams = raw['taskParams'];
      const params = (typeof rawParams === 'string' ? parseJsonParam(rawParams) : rawParams) as
        | Record<string, unknown>
        | undefined;
      const name = str(raw['name']);
      const ok =
        params !== undefined &&
        params !== null &&
        (taskType === 'SHELL'
          ? str(params['rawScript']).trim() !== ''
          : taskType === 'SQL'
            ? str(params['type']) !== '' &&
              num(params['datasource']) !== 0 &&
              str(params['sql']).trim() !== ''
            : typeof params['dependence'] === 'object' && params['dependence'] !== null);
      if (!ok || name === '') throw new ApiError(50020, `process node ${name} parameter invalid`);
      let code = toCode(raw['code']) ?? 0n;
      if (code === 0n) code = this.#code();
      const flag = ['YES', 'NO'].includes(str(raw['flag'])) ? str(raw['flag']) : null;
      const def: FakeTaskDefinition = {
        code,
        version: num(raw['version'], 0),
        name,
        description: str(raw['description']),
        taskType,
        taskParams: JSON.parse(stringifyJson(params)) as Record<string, unknown>,
        flag,
        failRetryTimes: num(raw['failRetryTimes']),
        timeout: num(raw['timeout']),
      };
      const previous =
        existing?.tasks.find((t) => t.code === code) ??
        this.state.workflows
          .flatMap((w) => (w.projectCode === projectCode ? w.tasks : []))
          .find((t) => t.code === code);
      if (previous) {
        const same =
          stringifyJson({ ...previous, version: 0 }) === stringifyJson({ ...def, version: 0 });
        def.version = same ? previous.version : previous.version + 1;
      } else {
        def.version = 1;
      }
      out.push(def);
    }
    return out;
  }

  #parseRelations(p: Params, tasks: FakeTaskDefinition[]): FakeRelation[] {
    const parsed = parseJsonParam(p['taskRelationJson']);
    if (!Array.isArray(parsed) || parsed.length === 0) {
      throw new ApiError(50017, 'data taskRelationJson is not valid');
    }
    const codes = new Set(tasks.map((t) => t.code));
    const rel: FakeRelation[] = [];
    for (const raw of parsed as Array<Record<string, unknown>>) {
      const pre = toCode(raw['preTaskCode']) ?? 0n;
      const post = toCode(raw['postTaskCode']) ?? 0n;
      if (post === 0n) throw new ApiError(50036, 'check process task relation error');
      const missing = [post, pre].filter((c) => c !== 0n && !codes.has(c));
      if (missing.length > 0)
        throw new ApiError(50030, `task definition [${missing.join(',')}] does not exist`);
      const version = (c: bigint) => tasks.find((t) => t.code === c)?.version ?? 0;
      rel.push({
        preTaskCode: pre,
        postTaskCode: post,
        preTaskVersion: pre === 0n ? 0 : version(pre),
        postTaskVersion: version(post),
      });
    }
    // cycle check (Kahn)
    const indeg = new Map<bigint, number>();
    const next = new Map<bigint, bigint[]>();
    for (const r of rel) {
      if (r.preTaskCode === 0n) continue;
      indeg.set(r.postTaskCode, (indeg.get(r.postTaskCode) ?? 0) + 1);
      next.set(r.preTaskCode, [...(next.get(r.preTaskCode) ?? []), r.postTaskCode]);
    }
    const nodes = new Set(
      rel.flatMap((r) => [r.preTaskCode, r.postTaskCode]).filter((c) => c !== 0n),
    );
    const queue = [...nodes].filter((c) => !indeg.get(c));
    let seen = 0;
    while (queue.length > 0) {
      const c = queue.pop() as bigint;
      seen += 1;
      for (const d of next.get(c) ?? []) {
        const left = (indeg.get(d) ?? 0) - 1;
        indeg.set(d, left);
        if (left === 0) queue.push(d);
      }
    }
    if (seen < nodes.size) throw new ApiError(50019, 'process node has cycle');
    return rel;
  }

  #checkTenant(p: Params, n: DolphinNames): string | null {
    if (!n.tenantOnDefinition) return null;
    const t = p['tenantCode'] ?? '';
    if (!this.state.tenants.includes(t)) throw new ApiError(10017, `tenant ${t} not exists`);
    return t;
  }

  #createWorkflow({ m, p, n }: Ctx): unknown {
    const project = this.#project(m[1]);
    const tenant = this.#checkTenant(p, n);
    const tasks = this.#parseTasks(p, project.code, null);
    const relations = this.#parseRelations(p, tasks);
    const name = p['name'] ?? '';
    if (this.state.workflows.some((w) => w.projectCode === project.code && w.name === name)) {
      throw new ApiError(10168, `process definition name ${name} already exists`);
    }
    const now = this.#now();
    const w: FakeWorkflow = {
      id: this.#id(),
      code: this.#code(),
      projectCode: project.code,
      name,
      description: p['description'] ?? '',
      version: 1,
      releaseState: 'OFFLINE',
      tenantCode: tenant,
      tasks,
      relations,
      locations: p['locations'] ?? '[]',
      timeout: num(p['timeout']),
      executionType: p['executionType'] ?? 'PARALLEL',
      warningGroupId: null,
      createTime: now,
      updateTime: now,
    };
    this.state.workflows.push(w);
    return this.#definitionJson(w, n);
  }

  #updateWorkflow({ m, p, n }: Ctx): unknown {
    const project = this.#project(m[1]);
    const w = this.#workflow(project.code, m[2]);
    if (w.releaseState === 'ONLINE') {
      throw new ApiError(50008, `online process definition ${w.name} is not allowed to edit`);
    }
    const tenant = this.#checkTenant(p, n);
    const tasks = this.#parseTasks(p, project.code, w);
    const relations = this.#parseRelations(p, tasks);
    const name = p['name'] ?? '';
    if (
      this.state.workflows.some((x) => x !== w && x.projectCode === project.code && x.name === name)
    ) {
      throw new ApiError(10168, `process definition name ${name} already exists`);
    }
    const before = stringifyJson([
      w.name,
      w.description,
      w.tasks,
      w.relations,
      w.timeout,
      w.executionType,
    ]);
    const after = stringifyJson([
      name,
      p['description'] ?? '',
      tasks,
      relations,
      num(p['timeout']),
      p['executionType'] ?? 'PARALLEL',
    ]);
    if (before !== after) {
      w.version += 1;
      w.updateTime = this.#now();
    }
    Object.assign(w, {
      name,
      description: p['description'] ?? '',
      tasks,
      relations,
      timeout: num(p['timeout']),
      executionType: p['executionType'] ?? 'PARALLEL',
      locations: p['locations'] ?? w.locations,
      tenantCode: tenant ?? w.tenantCode,
    });
    if (p['releaseState'] === 'ONLINE') this.#release(w, 'ONLINE', n);
    return this.#definitionJson(w, n);
  }

  #release(w: FakeWorkflow, state: string, n: DolphinNames): void {
    if (state === 'ONLINE') {
      if (w.relations.length === 0) throw new ApiError(50035, 'process dag is empty');
      w.releaseState = 'ONLINE';
    } else if (state === 'OFFLINE') {
      w.releaseState = 'OFFLINE';
      for (const s of this.state.schedules)
        if (s.workflowCode === w.code) s.releaseState = 'OFFLINE';
    } else {
      throw new ApiError(10001, 'request parameter releaseState is not valid');
    }
    void n;
  }

  #deleteWorkflow({ m }: Ctx): unknown {
    const project = this.#project(m[1]);
    const w = this.#workflow(project.code, m[2]);
    if (w.releaseState === 'ONLINE')
      throw new ApiError(50021, `process definition ${w.name} is online`);
    if (
      this.state.schedules.some((s) => s.workflowCode === w.code && s.releaseState === 'ONLINE')
    ) {
      throw new ApiError(50023, 'the status of schedule is online');
    }
    if (this.state.instances.some((i) => i.workflowCode === w.code && !TERMINAL.has(i.state))) {
      throw new ApiError(10163, 'delete process definition executing fail');
    }
    this.state.workflows = this.state.workflows.filter((x) => x !== w);
    this.state.schedules = this.state.schedules.filter((s) => s.workflowCode !== w.code);
    return null;
  }

  // ------------------------------------------------------------------ schedules

  #parseSchedule(
    text: string | undefined,
    onCreate: boolean,
  ): Omit<
    FakeSchedule,
    | 'id'
    | 'projectCode'
    | 'workflowCode'
    | 'releaseState'
    | 'warningType'
    | 'warningGroupId'
    | 'failureStrategy'
    | 'workerGroup'
    | 'tenantCode'
    | 'createTime'
    | 'updateTime'
  > {
    let parsed: Record<string, unknown> | null = null;
    try {
      const v: unknown = JSON.parse(text ?? '');
      parsed = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
    } catch {
      parsed = null;
    }
    if (!parsed) {
      throw onCreate
        ? new ApiError(10076, 'create schedule error')
        : new ApiError(10140, 'parse schedule to cron expression error');
    }
    const fmt = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    const startTime = str(parsed['startTime']);
    const endTime = str(parsed['endTime']);
    if (startTime !== '' && !fmt.test(startTime)) {
      throw onCreate
        ? new ApiError(10076, 'create schedule error')
        : new ApiError(10140, 'parse schedule to cron expression error');
    }
    if (endTime !== '' && !fmt.test(endTime)) {
      throw onCreate
        ? new ApiError(10076, 'create schedule error')
        : new ApiError(10140, 'parse schedule to cron expression error');
    }
    if (startTime === '' || endTime === '' || startTime === endTime) {
      throw new ApiError(10141, 'The start time must not be the same as the end');
    }
    if (startTime > endTime) throw new ApiError(80003, 'start time bigger than end time error');
    const crontab = str(parsed['crontab']);
    if (!isValidQuartz(crontab)) {
      throw onCreate
        ? new ApiError(10001, `request parameter ${crontab} is not valid`)
        : new ApiError(10024, `scheduler crontab expression validation failure: ${crontab}`);
    }
    return { startTime, endTime, crontab, timezoneId: str(parsed['timezoneId'], 'UTC') };
  }

  #createSchedule({ p, m, n }: Ctx): unknown {
    const project = this.#project(m[1]);
    const w = this.#workflow(project.code, p[n.workflowCodeParam]);
    if (w.releaseState !== 'ONLINE')
      throw new ApiError(50004, `process definition ${w.code} not release`);
    if (n.oneSchedulePerWorkflow && this.state.schedules.some((s) => s.workflowCode === w.code)) {
      throw new ApiError(10204, `workflow ${w.code} schedule already exists`);
    }
    const parsed = this.#parseSchedule(p['schedule'], true);
    const now = this.#now();
    const s: FakeSchedule = {
      ...parsed,
      id: this.#id(),
      projectCode: project.code,
      workflowCode: w.code,
      releaseState: 'OFFLINE',
      warningType: p['warningType'] ?? 'NONE',
      warningGroupId: num(p['warningGroupId'], 1),
      failureStrategy: p['failureStrategy'] ?? 'CONTINUE',
      workerGroup: p['workerGroup'] ?? 'default',
      tenantCode: p['tenantCode'] ?? 'default',
      createTime: now,
      updateTime: now,
    };
    w.warningGroupId = s.warningGroupId;
    this.state.schedules.push(s);
    return this.#scheduleJson(s, n);
  }

  #schedule(projectCode: bigint, id: string | undefined, n: DolphinNames): FakeSchedule {
    const s = this.state.schedules.find(
      (x) => x.id === num(id, -1) && x.projectCode === projectCode,
    );
    if (!s) throw new ApiError(n.line === '3.1' ? 10022 : 10203, `schedule ${id} does not exist`);
    return s;
  }

  #updateSchedule({ p, m, n }: Ctx): unknown {
    const project = this.#project(m[1]);
    const s = this.#schedule(project.code, m[2], n);
    if (s.releaseState === 'ONLINE')
      throw new ApiError(10023, 'online status does not allow update operations');
    Object.assign(s, this.#parseSchedule(p['schedule'], false), {
      warningType: p['warningType'] ?? 'NONE',
      warningGroupId: num(p['warningGroupId'], 1),
      failureStrategy: p['failureStrategy'] ?? 'END',
      workerGroup: p['workerGroup'] ?? 'default',
      tenantCode: p['tenantCode'] ?? 'default',
      updateTime: this.#now(),
    });
    return n.line === '3.1' ? null : this.#scheduleJson(s, n);
  }

  #onlineSchedule({ m, n }: Ctx): unknown {
    const project = this.#project(m[1]);
    const s = this.#schedule(project.code, m[2], n);
    const w = this.#workflow(project.code, s.workflowCode);
    if (w.releaseState !== 'ONLINE')
      throw new ApiError(50004, `process definition ${w.code} not release`);
    if (s.releaseState === 'ONLINE' && n.line === '3.1') {
      throw new ApiError(10126, 'schedule release is already ONLINE');
    }
    s.releaseState = 'ONLINE';
    return n.line === '3.1' ? null : true;
  }

  #offlineSchedule({ m, n }: Ctx): unknown {
    const project = this.#project(m[1]);
    const s = this.#schedule(project.code, m[2], n);
    s.releaseState = 'OFFLINE';
    return n.line === '3.1' ? null : true;
  }

  #deleteSchedule({ m, n }: Ctx): unknown {
    const project = this.#project(m[1]);
    const s = this.#schedule(project.code, m[2], n);
    if (s.releaseState === 'ONLINE') throw new ApiError(50023, 'the status of schedule is online');
    this.state.schedules = this.state.schedules.filter((x) => x !== s);
    return null;
  }

  // ------------------------------------------------------------------ runs

  #startRun(
    w: FakeWorkflow,
    opts: {
      commandType: string;
      commandParam: string;
      warningType: string;
      warningGroupId: number;
      failureStrategy: string;
      startNodes?: string[] | null;
      taskDependType?: string;
    },
  ): FakeInstance {
    const id = this.#id();
    const now = this.#now();
    const instance: FakeInstance = {
      id,
      projectCode: w.projectCode,
      workflowCode: w.code,
      workflowVersion: w.version,
      name: `${w.name}-${now.replace(/\D/g, '')}${String(id).padStart(3, '0').slice(-3)}`,
      state: 'SUBMITTED_SUCCESS',
      commandType: opts.commandType,
      commandParam: opts.commandParam,
      startTime: null,
      endTime: null,
      scheduleTime: null,
      warningType: opts.warningType,
      warningGroupId: opts.warningGroupId,
      failureStrategy: opts.failureStrategy,
      triggerCode: null,
      triggerLag: this.#triggerLag,
      plan: this.#planner({ workflowName: w.name, instanceId: id }),
      startNodes: opts.startNodes ?? null,
      taskDependType: opts.taskDependType ?? 'TASK_POST',
      tasks: [],
      createTime: now,
    };
    this.state.instances.push(instance);
    return instance;
  }

  #start({ p, m, n }: Ctx): unknown {
    const project = this.#project(m[1]);
    const w = this.#workflow(project.code, p[n.workflowCodeParam]);
    if (w.releaseState !== 'ONLINE')
      throw new ApiError(50004, `process definition ${w.code} not release`);
    if (!n.tenantOnDefinition && p['tenantCode'] && !this.state.tenants.includes(p['tenantCode'])) {
      throw new ApiError(10017, `tenant ${p['tenantCode']} not exists`);
    }
    if (!['END', 'CONTINUE'].includes(p['failureStrategy'] ?? '')) {
      throw new ApiError(50014, 'start process instance error');
    }
    const startParams = p['startParams'] ? p['startParams'] : '';
    const instance = this.#startRun(w, {
      commandType: p['execType'] ?? 'START_PROCESS',
      commandParam: startParams ? JSON.stringify({ StartParams: startParams }) : '{}',
      warningType: p['warningType'] ?? 'NONE',
      warningGroupId: num(p['warningGroupId'], 0),
      failureStrategy: p['failureStrategy'] ?? 'END',
      startNodes: p['startNodeList'] ? p['startNodeList'].split(',').filter(Boolean) : null,
      taskDependType: p['taskDependType'] ?? 'TASK_POST',
    });
    if (n.startResult === 'instanceIds') {
      instance.triggerLag = 0;
      return [instance.id];
    }
    if (n.startResult === 'triggerCode') {
      instance.triggerCode = this.#code();
      return instance.triggerCode;
    }
    return null;
  }

  fireSchedule(workflowCode: string): number {
    const code = BigInt(workflowCode);
    const w = this.state.workflows.find((x) => x.code === code);
    const s = this.state.schedules.find((x) => x.workflowCode === code);
    if (!w || !s || s.releaseState !== 'ONLINE' || w.releaseState !== 'ONLINE') {
      throw new Error(`fake: workflow ${workflowCode} has no online schedule`);
    }
    const instance = this.#startRun(w, {
      commandType: 'SCHEDULER',
      commandParam: '{}',
      warningType: s.warningType,
      warningGroupId: s.warningGroupId,
      failureStrategy: s.failureStrategy,
    });
    instance.scheduleTime = this.#now();
    instance.triggerLag = 0;
    return instance.id;
  }

  #execute({ p, m, n }: Ctx): unknown {
    const project = this.#project(m[1]);
    const i = this.#instance(project.code, p[n.instanceIdParam]);
    const type = p['executeType'] ?? '';
    if (type === 'STOP') {
      if (TERMINAL.has(i.state))
        throw new ApiError(50006, `process instance ${i.id} state ${i.state} can not stop`);
      const now = this.#now();
      i.state = 'STOP';
      i.startTime ??= now;
      i.endTime = now;
      for (const t of i.tasks) {
        if (!TERMINAL.has(t.state)) {
          t.state = 'KILL';
          t.endTime = now;
        }
      }
      return null;
    }
    throw new ApiError(50015, 'execute process instance error');
  }

  async advanceRuns(): Promise<void> {
    const sends: Array<Promise<void>> = [];
    for (const i of this.state.instances) {
      if (TERMINAL.has(i.state)) continue;
      i.triggerLag = 0;
      const w = this.state.workflows.find((x) => x.code === i.workflowCode);
      if (i.state === 'SUBMITTED_SUCCESS') {
        const start = this.#now();
        i.state = 'RUNNING_EXECUTION';
        i.startTime = start;
        const selected = selectTasks(w, i);
        const roots = new Set(
          [...selected].filter(
            (c) =>
              !(w?.relations ?? []).some(
                (r) => r.postTaskCode === c && selected.has(r.preTaskCode),
              ),
          ),
        );
        i.tasks = (w?.tasks ?? [])
          .filter((t) => selected.has(t.code))
          .map((t) => ({
            id: this.#id(),
            instanceId: i.id,
            name: t.name,
            taskCode: t.code,
            taskType: t.taskType,
            state: roots.has(t.code) ? 'RUNNING_EXECUTION' : 'SUBMITTED_SUCCESS',
            startTime: roots.has(t.code) ? start : null,
            endTime: null,
            host: roots.has(t.code) ? WORKER : null,
            log: [...(i.plan.log ?? [`running task ${t.name}`, `task ${t.name} done`])],
          }));
        continue;
      }
      // RUNNING → final
      const startMs = (parseWallClock(i.startTime, this.#tz) ?? new Date()).getTime();
      const end = formatWallClock(new Date(startMs + i.plan.durationMs), this.#tz);
      i.state = i.plan.outcome;
      i.endTime = end;
      const failing = new Set(i.plan.failTasks ?? i.tasks.map((t) => t.name));
      for (const t of i.tasks) {
        t.startTime ??= i.startTime;
        t.endTime = end;
        t.host ??= WORKER;
        t.state = i.plan.outcome === 'FAILURE' && failing.has(t.name) ? 'FAILURE' : 'SUCCESS';
      }
      sends.push(this.#sendAlerts(i));
    }
    await Promise.all(sends);
  }

  async settleRuns(): Promise<void> {
    for (let k = 0; k < 3; k++) await this.advanceRuns();
  }

  // ------------------------------------------------------------------ alerts

  #alertContent(i: FakeInstance, n: DolphinNames): { title: string; content: string } {
    const w = this.state.workflows.find((x) => x.code === i.workflowCode);
    const project = this.state.projects.find((x) => x.code === i.projectCode);
    const three = n.line === '3.3';
    const cmd =
      i.commandType === 'SCHEDULER' ? 'scheduler' : three ? 'start workflow' : 'start process';
    const common = {
      projectCode: i.projectCode,
      projectName: project?.name,
      owner: 'admin',
      [three ? 'workflowInstanceId' : 'processId']: i.id,
      [three ? 'workflowDefinitionCode' : 'processDefinitionCode']: i.workflowCode,
      [three ? 'workflowInstanceName' : 'processName']: i.name,
    };
    if (i.state === 'SUCCESS') {
      return {
        title: `${cmd} success`,
        content: stringifyJson([
          {
            ...common,
            [three ? 'commandType' : 'processType']: i.commandType,
            [three ? 'workflowExecutionStatus' : 'processState']: 'SUCCESS',
            modifyBy: 'admin',
            recovery: 'NO',
            runTimes: 1,
            [three ? 'workflowStartTime' : 'processStartTime']: i.startTime,
            [three ? 'workflowEndTime' : 'processEndTime']: i.endTime,
            [three ? 'workflowHost' : 'processHost']: '127.0.0.1:5678',
          },
        ]),
      };
    }
    if (i.state === 'FAILURE') {
      return {
        title: `${cmd} failed`,
        content: stringifyJson(
          i.tasks
            .filter((t) => t.state !== 'SUCCESS')
            .map((t) => ({
              ...common,
              modifyBy: 'admin',
              taskCode: t.taskCode,
              taskName: t.name,
              taskType: t.taskType,
              taskState: t.state,
              taskStartTime: t.startTime,
              taskEndTime: t.endTime,
              taskHost: t.host,
              taskPriority: 'MEDIUM',
              logPath: `/opt/ds/logs/${i.id}/${t.id}.log`,
            })),
        ),
      };
    }
    void w;
    return { title: `${cmd} failed`, content: '' };
  }

  async #sendAlerts(i: FakeInstance): Promise<void> {
    if (!this.#finishAlerts) return;
    const wants =
      i.warningType === 'ALL' ||
      (i.warningType === 'SUCCESS' && i.state === 'SUCCESS') ||
      (i.warningType === 'FAILURE' && i.state !== 'SUCCESS');
    if (!wants) return;
    const group = this.state.alertGroups.find((g) => g.id === i.warningGroupId);
    if (!group) return;
    const n = dolphinNames(this.version);
    const { title, content } = this.#alertContent(i, n);
    const ids = group.alertInstanceIds.split(',').filter(Boolean).map(Number);
    for (const inst of this.state.alertInstances.filter((a) => ids.includes(a.id))) {
      await this.#deliver(inst.params, title, content, n);
    }
  }

  async #deliver(
    params: Record<string, string>,
    title: string,
    content: string,
    n: DolphinNames,
  ): Promise<void> {
    const headers = safeObject(params['headerParams']);
    const body = safeObject(params['bodyParams']);
    const method = (
      params['requestType'] ?? (n.httpAlertMsgPlaceholder ? 'GET' : 'POST')
    ).toUpperCase();
    let url = params['url'] ?? '';
    let payload = '';
    let contentType: string;
    if (n.httpAlertMsgPlaceholder) {
      const sub = (v: string) => v.split(MSG_PLACEHOLDER).join(content);
      url = url.split(MSG_PLACEHOLDER).join(encodeURIComponent(content));
      for (const k of Object.keys(headers)) headers[k] = sub(headers[k] ?? '');
      for (const k of Object.keys(body)) body[k] = sub(body[k] ?? '');
      contentType = params['contentType'] ?? 'application/json';
      payload = method === 'GET' ? '' : JSON.stringify(body);
    } else {
      const field = params['contentField'] ?? 'content';
      if (method === 'GET') {
        url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(field)}=${encodeURIComponent(content)}`;
      } else {
        payload = JSON.stringify({ ...body, [field]: content });
      }
      contentType = 'text/plain; charset=UTF-8';
    }
    const headerCt = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type');
    if (headerCt) contentType = headerCt[1];
    let ok = false;
    try {
      const res = await fetch(url, {
        method,
        headers: { ...headers, 'content-type': contentType },
        ...(method === 'GET' ? {} : { body: payload }),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      ok = n.httpAlertMsgPlaceholder ? res.status === 200 : true;
    } catch {
      ok = false;
    }
    this.alerts.push({ url, method, contentType, body: payload, title, ok });
  }

  // ------------------------------------------------------------------ routes

  #routes(n: DolphinNames): Route[] {
    const P = '/projects/(\\d+)';
    const D = `${P}/${n.definitionPath}`;
    const I = `${P}/${n.instancePath}`;
    const r = (
      method: string,
      path: string,
      generic: number,
      handle: (ctx: Ctx) => unknown,
      extra: { created?: boolean; required?: readonly string[] } = {},
    ): Route => ({ method, pattern: new RegExp(`^${path}$`), generic, handle, ...extra });
    const routes: Route[] = [
      r(
        'GET',
        '/projects',
        10049,
        ({ p }) =>
          this.#page(
            p,
            this.state.projects
              .filter((x) => !p['searchVal'] || x.name.includes(p['searchVal']))
              .map((x) => this.#projectJson(x)),
          ),
        { required: ['pageNo', 'pageSize'] },
      ),
      r('GET', '/projects/list', 10049, () => this.state.projects.map((x) => this.#projectJson(x))),
      r('POST', '/projects', 10048, ({ p }) => this.#createProject(p), {
        created: true,
        required: ['projectName'],
      }),
      r('GET', P, 10047, ({ m }) => this.#projectJson(this.#project(m[1]))),
      r('DELETE', P, 10050, ({ m }) => {
        const project = this.#project(m[1]);
        if (this.state.workflows.some((w) => w.projectCode === project.code)) {
          throw new ApiError(10137, 'please delete the process definitions in project first!');
        }
        this.state.projects = this.state.projects.filter((x) => x !== project);
        return null;
      }),
      r(
        'GET',
        `${P}/task-definition/gen-task-codes`,
        10000,
        ({ m, p }) => {
          this.#project(m[1]);
          const count = num(p['genNum'], 0);
          if (count < 1 || count > 100) throw new ApiError(50017, 'data genNum is not valid');
          const codes = Array.from({ length: count }, () => this.#code());
          this.state.issuedCodes.push(...codes.map(String));
          return codes;
        },
        { required: ['genNum'] },
      ),
      r('POST', D, 10105, (c) => this.#createWorkflow(c), {
        created: true,
        required: [
          'name',
          'taskDefinitionJson',
          'taskRelationJson',
          ...(n.tenantOnDefinition ? ['tenantCode'] : []),
        ],
      }),
      r(
        'GET',
        `${D}/query-by-name`,
        10109,
        ({ m, p }) => {
          const project = this.#project(m[1]);
          const w = this.state.workflows.find(
            (x) => x.projectCode === project.code && x.name === p['name'],
          );
          if (!w) throw new ApiError(50003, `process definition ${p['name']} does not exist`);
          return this.#dagJson(w, n);
        },
        { required: ['name'] },
      ),
      r(
        'GET',
        `${D}/verify-name`,
        10167,
        ({ m, p }) => {
          const project = this.#project(m[1]);
          const self = toCode(p[n.verifyNameCodeParam]);
          if (
            this.state.workflows.some(
              (x) => x.projectCode === project.code && x.name === p['name'] && x.code !== self,
            )
          ) {
            throw new ApiError(10168, `process definition name ${p['name']} already exists`);
          }
          return null;
        },
        { required: ['name'] },
      ),
      r('GET', `${D}/simple-list`, 10110, ({ m }) => {
        const project = this.#project(m[1]);
        return this.state.workflows
          .filter((w) => w.projectCode === project.code)
          .map((w) => ({ id: w.id, code: w.code, name: w.name, projectCode: w.projectCode }));
      }),
      r('GET', `${D}/(\\d+)`, 10109, ({ m }) =>
        this.#dagJson(this.#workflow(this.#project(m[1]).code, m[2]), n),
      ),
      r('PUT', `${D}/(\\d+)`, 10107, (c) => this.#updateWorkflow(c), {
        required: [
          'name',
          'taskDefinitionJson',
          'taskRelationJson',
          ...(n.tenantOnDefinition ? ['tenantCode'] : []),
        ],
      }),
      r(
        'POST',
        `${D}/(\\d+)/release`,
        10108,
        ({ m, p }) => {
          const w = this.#workflow(this.#project(m[1]).code, m[2]);
          this.#release(w, p['releaseState'] ?? '', n);
          return n.line === '3.1' ? null : true;
        },
        { required: ['releaseState'] },
      ),
      r('DELETE', `${D}/(\\d+)`, 50022, (c) => this.#deleteWorkflow(c)),
      r(
        'GET',
        `${P}/schedules`,
        10080,
        ({ m, p }) => {
          const project = this.#project(m[1]);
          const code = toCode(p[n.workflowCodeParam]) ?? 0n;
          return this.#page(
            p,
            this.state.schedules
              .filter(
                (s) => s.projectCode === project.code && (code === 0n || s.workflowCode === code),
              )
              .map((s) => this.#scheduleJson(s, n)),
          );
        },
        { required: ['pageNo', 'pageSize', ...(n.line === '3.1' ? [n.workflowCodeParam] : [])] },
      ),
      r('POST', `${P}/schedules`, 10076, (c) => this.#createSchedule(c), {
        created: true,
        required: [n.workflowCodeParam, 'schedule'],
      }),
      r(
        'POST',
        `${P}/schedules/preview`,
        10139,
        ({ p }) => {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(p['schedule'] ?? '') as Record<string, unknown>;
          } catch {
            throw new ApiError(10140, 'parse schedule to cron expression error');
          }
          const crontab = str(parsed['crontab']);
          if (!isValidQuartz(crontab))
            throw new ApiError(10140, 'parse schedule to cron expression error');
          const zone = str(parsed['timezoneId'], 'UTC');
          const cron = new Cron(crontab, {
            paused: true,
            timezone: zone,
            mode: crontab.split(/\s+/).length === 7 ? '7-part' : '6-part',
            alternativeWeekdays: true,
          });
          return cron.nextRuns(5).map((d) => formatWallClock(d, zone));
        },
        { created: true, required: ['schedule'] },
      ),
      r('PUT', `${P}/schedules/(\\d+)`, 10077, (c) => this.#updateSchedule(c), {
        required: ['schedule'],
      }),
      r('POST', `${P}/schedules/(\\d+)/online`, 10078, (c) => this.#onlineSchedule(c)),
      r('POST', `${P}/schedules/(\\d+)/offline`, 10079, (c) => this.#offlineSchedule(c)),
      r('DELETE', `${P}/schedules/(\\d+)`, 50024, (c) => this.#deleteSchedule(c)),
      r('POST', `${P}/executors/${n.startPath}`, 50014, (c) => this.#start(c), {
        required: [n.workflowCodeParam, 'scheduleTime', 'failureStrategy', 'warningType'],
      }),
      r('POST', `${P}/executors/execute`, 50015, (c) => this.#execute(c), {
        required: [n.instanceIdParam, 'executeType'],
      }),
      r(
        'GET',
        I,
        10113,
        ({ m, p }) => {
          const project = this.#project(m[1]);
          const code = toCode(p[n.instanceListWorkflowParam]) ?? 0n;
          return this.#page(
            p,
            this.state.instances
              .filter(
                (i) =>
                  i.projectCode === project.code &&
                  (code === 0n || i.workflowCode === code) &&
                  (!p['stateType'] || i.state === p['stateType']) &&
                  // the master has not consumed the command yet: not listed this time
                  (i.triggerLag <= 0 || i.triggerLag-- <= 0),
              )
              .sort((a, b) => b.id - a.id)
              .map((i) => this.#instanceJson(i, n, true))
              // 3.1's paging query selects no command_param / global_params (ProcessInstanceMapper.xml)
              .map((j) =>
                n.line === '3.1' ? { ...j, commandParam: null, globalParams: null } : j,
              ),
          );
        },
        { required: ['pageNo', 'pageSize'] },
      ),
      r('GET', `${I}/(\\d+)`, 10116, ({ m }) => {
        const i = this.#instance(this.#project(m[1]).code, m[2]);
        return this.#instanceJson(i, n, false);
      }),
      r('GET', `${I}/(\\d+)/tasks`, 10114, ({ m }) => {
        const i = this.#instance(this.#project(m[1]).code, m[2]);
        return {
          [n.instanceStateKey]: i.state,
          taskList: i.tasks.map((t) => this.#taskInstanceJson(t, i, n)),
        };
      }),
      r(
        'GET',
        `${P}/task-instances`,
        10082,
        ({ m, p }) => {
          const project = this.#project(m[1]);
          const id = num(p[n.instanceIdParam], 0);
          const rows = this.state.instances
            .filter((i) => i.projectCode === project.code && (id === 0 || i.id === id))
            .flatMap((i) => i.tasks.map((t) => this.#taskInstanceJson(t, i, n)));
          return this.#page(p, rows);
        },
        { required: ['pageNo', 'pageSize'] },
      ),
      r('GET', '/log/detail', 10103, ({ p }) => this.#log(p), {
        required: ['taskInstanceId', 'skipLineNum', 'limit'],
      }),
      r(
        'GET',
        '/datasources',
        10035,
        ({ p }) =>
          this.#page(
            p,
            this.state.datasources
              .filter((d) => !p['searchVal'] || d.name.includes(p['searchVal']))
              .map((d) => ({
                ...d,
                userId: 1,
                userName: 'admin',
                connectionParams: '{}',
                createTime: this.#now(),
                updateTime: this.#now(),
              })),
          ),
        { required: ['pageNo', 'pageSize'] },
      ),
      r(
        'GET',
        '/datasources/list',
        10069,
        ({ p }) => this.state.datasources.filter((d) => d.type === p['type']),
        { required: ['type'] },
      ),
      r(
        'GET',
        '/ui-plugins/query-by-type',
        10000,
        ({ p }) =>
          p['pluginType'] === 'ALERT'
            ? [
                { id: 1, pluginName: 'Email', pluginType: 'ALERT', pluginParams: '[]' },
                { id: 6, pluginName: 'Http', pluginType: 'ALERT', pluginParams: '[]' },
              ]
            : [],
        // UiPluginController answers this query with HTTP 201 (reference §2.11)
        { created: true, required: ['pluginType'] },
      ),
      r('GET', '/alert-plugin-instances/list', 110010, () =>
        this.state.alertInstances.map((a) => this.#alertInstanceJson(a)),
      ),
      r('POST', '/alert-plugin-instances', 110008, ({ p }) => this.#createAlertInstance(p, n), {
        created: true,
        required: [
          'pluginDefineId',
          'instanceName',
          'pluginInstanceParams',
          ...(n.alertInstanceTypeRequired ? ['instanceType', 'warningType'] : []),
        ],
      }),
      r(
        'PUT',
        '/alert-plugin-instances/(\\d+)',
        110009,
        ({ m, p }) => {
          const a = this.state.alertInstances.find((x) => x.id === num(m[1]));
          if (!a) throw new ApiError(110007, 'alert plugin instance not exist');
          a.instanceName = p['instanceName'] ?? a.instanceName;
          a.params = pluginParams(p['pluginInstanceParams']);
          return this.#alertInstanceJson(a);
        },
        {
          required: [
            'instanceName',
            'pluginInstanceParams',
            ...(n.alertInstanceTypeRequired ? ['warningType'] : []),
          ],
        },
      ),
      r('GET', '/alert-groups/list', 10029, () => this.state.alertGroups),
      r(
        'POST',
        '/alert-groups',
        10027,
        ({ p }) => {
          if (this.state.alertGroups.some((g) => g.groupName === p['groupName'])) {
            throw new ApiError(10012, 'alarm group already exists');
          }
          const g = {
            id: this.#id(),
            groupName: p['groupName'] ?? '',
            description: p['description'] ?? '',
            alertInstanceIds: p['alertInstanceIds'] ?? '',
          };
          this.state.alertGroups.push(g);
          return g;
        },
        { created: true, required: ['groupName'] },
      ),
    ];
    if (n.line === '3.1') {
      // 3.1 maps only PUT/DELETE on /alert-groups/{id}: a GET there is "method not supported",
      // rendered by ApiExceptionHandler as code 10000 inside HTTP 200 (inferred).
      routes.push(
        r('GET', '/alert-groups/[^/]+', 10000, () => {
          throw new ApiError(10000, "Request method 'GET' not supported");
        }),
      );
    }
    if (n.line !== '3.1') {
      routes.push(
        r('GET', '/alert-groups/normal-list', 10029, () => this.state.alertGroups),
        r(
          'GET',
          `${I}/trigger`,
          10116,
          ({ m, p }) => {
            const project = this.#project(m[1]);
            const code = toCode(p['triggerCode']);
            const found = this.state.instances.filter(
              (i) => i.projectCode === project.code && i.triggerCode === code,
            );
            const ready = found.filter((i) => i.triggerLag <= 0);
            for (const i of found) i.triggerLag -= 1;
            return ready.map((i) => this.#instanceJson(i, n, false));
          },
          { required: ['triggerCode'] },
        ),
      );
    }
    if (n.line === '3.3') {
      routes.push(
        r('GET', '/ui-plugins/query-product-info', 10000, () => ({ id: 1, version: '3.3.1' })),
      );
    }
    return routes;
  }

  #projectJson(p: FakeDolphinState['projects'][number]): Record<string, unknown> {
    return {
      id: p['id'],
      userId: 1,
      userName: 'admin',
      code: p['code'],
      name: p['name'],
      description: p['description'],
      createTime: p['createTime'],
      updateTime: p['createTime'],
      perm: 7,
      defCount: this.state.workflows.filter((w) => w.projectCode === p['code']).length,
    };
  }

  #createProject(p: Params): unknown {
    const name = p['projectName'] ?? '';
    if (this.state.projects.some((x) => x.name === name)) {
      // map-style error: HTTP 201 with a failing code
      return new MapError(10019, `project ${name} already exists`);
    }
    if ((p['description'] ?? '').length > 255) return new MapError(1400004, 'description too long');
    const project = {
      id: this.#id(),
      code: this.#code(),
      name,
      description: p['description'] ?? '',
      createTime: this.#now(),
    };
    this.state.projects.push(project);
    return this.#projectJson(project);
  }

  #alertInstanceJson(a: FakeDolphinState['alertInstances'][number]): Record<string, unknown> {
    return {
      id: a.id,
      pluginDefineId: a.pluginDefineId,
      instanceName: a.instanceName,
      pluginInstanceParams: JSON.stringify(
        Object.entries(a.params).map(([field, value]) => ({ field, value })),
      ),
      ...(a.instanceType ? { instanceType: a.instanceType, warningType: a.warningType } : {}),
      createTime: this.#now(),
      updateTime: this.#now(),
      alertPluginName: 'Http',
    };
  }

  #createAlertInstance(p: Params, n: DolphinNames): unknown {
    if (this.state.alertInstances.some((a) => a.instanceName === p['instanceName'])) {
      throw new ApiError(110010, 'plugin instance already exists');
    }
    const params = pluginParams(p['pluginInstanceParams']);
    const a = {
      id: this.#id(),
      pluginDefineId: num(p['pluginDefineId']),
      instanceName: p['instanceName'] ?? '',
      params,
      instanceType: n.alertInstanceTypeRequired ? (p['instanceType'] ?? null) : null,
      warningType: n.alertInstanceTypeRequired ? (p['warningType'] ?? null) : null,
    };
    this.state.alertInstances.push(a);
    return this.#alertInstanceJson(a);
  }

  #log(p: Params): unknown {
    const id = num(p['taskInstanceId'], -1);
    const found = this.state.instances
      .flatMap((i) => i.tasks.map((t) => ({ i, t })))
      .find(({ t }) => t.id === id);
    if (!found) throw new ApiError(10008, `task instance ${id} not found`);
    if (!found.t.host) throw new ApiError(10191, 'task instance host is null');
    const skip = num(p['skipLineNum'], 0);
    const limit = num(p['limit'], 0);
    // Worker: file lines joined with \r\n, page cut after 64 KiB (LogUtils.rollViewLogLines).
    let body = '';
    let bytes = 0;
    for (const line of found.t.log.slice(skip, skip + limit)) {
      body += `${line}\r\n`;
      bytes += Buffer.byteLength(line, 'utf8');
      if (bytes >= 65_535) break;
    }
    // API: header (system line separator) on the first page; lineNum = split("\r\n").length.
    const header =
      skip === 0
        ? `[LOG-PATH]: /opt/ds/logs/${found.i.id}/${found.t.id}.log, [HOST]: ${found.t.host}\n`
        : '';
    const message = header + body;
    return { lineNum: javaSplitCount(message, '\r\n'), message };
  }

  // ------------------------------------------------------------------ HTTP

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const params: Params = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
    }
    const method = req.method ?? 'GET';
    const prefix = '/dolphinscheduler';
    const path = url.pathname.startsWith(prefix)
      ? url.pathname.slice(prefix.length) || '/'
      : url.pathname;
    const record = (status: number, code: number | null) =>
      this.requests.push({ method, path, params, status, code });

    const fault = this.#faults.find(
      (f) =>
        f.left > 0 &&
        (!f.fault.method || f.fault.method === method) &&
        (!f.fault.path || path.includes(f.fault.path)),
    );
    if (fault) {
      fault.left -= 1;
      this.#faults = this.#faults.filter((f) => f.left > 0);
      record(fault.fault.kind === 'http500' ? 500 : 0, null);
      if (fault.fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.fault.kind === 'hang') {
        this.#hanging.add(res);
        return;
      }
      if (fault.fault.kind === 'html') {
        res.writeHead(200, { 'content-type': 'text/html;charset=UTF-8' }).end(HTML);
        return;
      }
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"timestamp":"now","status":500,"error":"Internal Server Error"}');
      return;
    }

    const n = dolphinNames(this.version);
    const routes = this.#routes(n);
    let route: Route | undefined;
    let m: RegExpExecArray | null = null;
    for (const candidate of routes) {
      if (candidate.method !== method) continue;
      m = candidate.pattern.exec(path);
      if (m) {
        route = candidate;
        break;
      }
    }
    if (!route || !m) {
      record(200, null);
      res.writeHead(200, { 'content-type': 'text/html;charset=UTF-8' }).end(HTML);
      return;
    }
    if (req.headers['token'] !== this.token) {
      record(401, null);
      res.writeHead(401).end();
      return;
    }
    let status = route.created ? 201 : 200;
    let code = 0;
    let msg = 'success';
    let data: unknown = null;
    const missing = (route.required ?? []).filter((k) => params[k] === undefined);
    try {
      if (missing.length > 0) {
        throw new ApiError(
          route.generic,
          `Required request parameter '${missing[0]}' is not present`,
        );
      }
      const result = route.handle({ m, p: params, n });
      if (result instanceof MapError) {
        code = result.code;
        msg = result.message;
      } else {
        data = result;
      }
    } catch (err) {
      status = 200;
      if (err instanceof ApiError) {
        code = err.code;
        msg = err.message;
      } else {
        code = route.generic;
        msg = `${String(err)}`;
      }
      data = null;
    }
    record(status, code);
    const body = stringifyJson({ code, msg, data, success: code === 0, failed: code !== 0 });
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  }
}

class MapError {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

/** The task codes a run executes: all, or the start nodes widened by `taskDependType`. */
function selectTasks(w: FakeWorkflow | undefined, i: FakeInstance): Set<bigint> {
  // A node whose flag is not YES (e.g. a lower-case "yes" read as null) is forbidden: never run.
  const all = new Set((w?.tasks ?? []).filter((t) => t.flag === 'YES').map((t) => t.code));
  if (!w || !i.startNodes || i.startNodes.length === 0) return all;
  const picked = new Set(i.startNodes.map((c) => BigInt(c)).filter((c) => all.has(c)));
  if (i.taskDependType === 'TASK_ONLY') return picked;
  const forward = i.taskDependType !== 'TASK_PRE';
  const stack = [...picked];
  while (stack.length > 0) {
    const c = stack.pop() as bigint;
    for (const r of w.relations) {
      const [from, to] = forward
        ? [r.preTaskCode, r.postTaskCode]
        : [r.postTaskCode, r.preTaskCode];
      if (from === c && to !== 0n && !picked.has(to)) {
        picked.add(to);
        stack.push(to);
      }
    }
  }
  return picked;
}

/** `String.split(sep).length` as Java computes it (trailing empty strings removed, at least 1). */
function javaSplitCount(text: string, sep: string): number {
  const parts = text.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.length;
}

function safeObject(text: string | undefined): Record<string, string> {
  try {
    const v: unknown = JSON.parse(text ?? '{}');
    if (typeof v !== 'object' || v === null) return {};
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, str(x)]),
    );
  } catch {
    return {};
  }
}

const FORM_TYPES = new Set([
  'input',
  'input-number',
  'radio',
  'select',
  'switch',
  'checkbox',
  'timePicker',
  'datePicker',
  'slider',
  'rate',
  'colorPicker',
  'cascader',
  'upload',
  'el-transfer',
  'tree',
  'textarea',
  'group',
]);

/**
 * Reads `pluginInstanceParams` like `PluginParamsTransfer.getPluginParamsMap`: every entry needs
 * `field`, a known `type` and `title`, else the whole list is read as empty (no error).
 */
function pluginParams(text: string | undefined): Record<string, string> {
  try {
    const v: unknown = JSON.parse(text ?? '[]');
    if (!Array.isArray(v)) return {};
    const out: Record<string, string> = {};
    for (const f of v as Array<Record<string, unknown>>) {
      if (!f['field'] || !FORM_TYPES.has(str(f['type'])) || !f['title']) return {};
      out[str(f['field'])] = str(f['value']);
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * Checks a Quartz expression the way DolphinScheduler does: 6 or 7 fields, exactly one of
 * day-of-month / day-of-week is `?`, parseable.
 */
function isValidQuartz(expr: string): boolean {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 6 && fields.length !== 7) return false;
  const dom = fields[3];
  const dow = fields[5];
  if ((dom === '?') === (dow === '?')) return false;
  try {
    new Cron(expr, {
      paused: true,
      mode: fields.length === 7 ? '7-part' : '6-part',
      alternativeWeekdays: true,
    });
    return true;
  } catch {
    return false;
  }
}
