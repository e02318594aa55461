import { randomUUID } from 'node:crypto';
import type {
  BatchEngine,
  BatchEngineCapabilities,
  EngineCallOptions,
  EngineLog,
  EngineRef,
  EngineRun,
  ExecutionStatus,
  PublishRequest,
  PublishResult,
  Task,
} from '@dataportal/sdk';
import { parseWallClock } from '@dataportal/sdk';
import { z } from 'zod';
import {
  DolphinClient,
  type DolphinClientConfig,
  type DolphinRelationInput,
  type DolphinScheduleInput,
  type DolphinTaskDefinitionInput,
} from './client';
import { toDolphinSchedule } from './cron';
import { DolphinError, isDolphinError } from './errors';
import { rawNumber } from './internal/json';
import type {
  DolphinCode,
  DolphinDag,
  DolphinSchedule,
  DolphinTaskInstance,
  DolphinWorkflowInstance,
} from './schemas';
import type { DolphinVersionLine } from './version';

/**
 * Configuration of {@link createDolphinEngine}. Every field is a plain option (no environment reads).
 *
 * @example
 * ```ts
 * const config: DolphinEngineConfig = { baseUrl: 'http://ds:12345/dolphinscheduler', token, project: 'dataportal', defaultDatasource: 'warehouse' };
 * ```
 */
export interface DolphinEngineConfig {
  /** API base URL including the context path, e.g. `http://ds:12345/dolphinscheduler`. */
  readonly baseUrl: string;
  /** Access token (header `token`). */
  readonly token: string;
  /** DolphinScheduler project that holds the portal's workflows (created when missing). */
  readonly project: string;
  /** Description used when the project is created. */
  readonly projectDescription?: string;
  /** DolphinScheduler data source used by SQL tasks without their own (by name). */
  readonly defaultDatasource?: string;
  /** Portal data source name → DolphinScheduler data source name; unmapped names are used as is. */
  readonly datasources?: Readonly<Record<string, string>>;
  /** IANA zone the tasks' cron expressions are meant in (default `UTC`). */
  readonly timeZone?: string;
  /** Zone DolphinScheduler prints dates in (`spring.jackson.time-zone`, default `UTC`). */
  readonly serverTimeZone?: string;
  /** Tenant for runs and schedules (3.2+) or definitions (3.1); default `default`. */
  readonly tenantCode?: string;
  /** Worker group (default `default`). */
  readonly workerGroup?: string;
  /** Alert group notified when runs finish (see `provisionDolphinAlerts`). */
  readonly alertGroupId?: number;
  /** Which finishes alert: default `ALL` when `alertGroupId` is set, else `NONE`. */
  readonly warningType?: 'NONE' | 'SUCCESS' | 'FAILURE' | 'ALL';
  /** `END` (default) or `CONTINUE`. */
  readonly failureStrategy?: 'END' | 'CONTINUE';
  /** Version line; `auto` (default) probes once. */
  readonly version?: DolphinVersionLine | 'auto';
  /** Per-call timeout in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Retries for reads (default 2). */
  readonly retries?: number;
  /** Base backoff between read retries in ms (default 300). */
  readonly retryBackoffMs?: number;
  /** `fetch` implementation. */
  readonly fetch?: typeof fetch;
  /** A ready client (overrides the connection options above). */
  readonly client?: DolphinClient;
  /** How a 3.1/3.2 trigger waits for its instance: attempts (default 20) and interval (default 250 ms). */
  readonly triggerPoll?: { readonly attempts?: number; readonly intervalMs?: number };
  /** Sleep function (tests pass an instant one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * What the engine stores on each published task (the portal treats it as opaque JSON).
 *
 * @example
 * ```ts
 * const ref = DolphinEngineRefSchema.parse(task.engineRef);
 * ```
 */
export const DolphinEngineRefSchema = z.object({
  engine: z.literal('dolphin'),
  line: z.enum(['3.1', '3.2', '3.3']),
  projectCode: z.string(),
  projectName: z.string(),
  workflowCode: z.string(),
  workflowName: z.string(),
  workflowVersion: z.number().int(),
  taskCode: z.string(),
  taskName: z.string(),
  taskVersion: z.number().int(),
  scheduleId: z.number().int().nullable(),
  unitTaskCount: z.number().int(),
});
/**
 * The DolphinScheduler engine reference, see {@link DolphinEngineRefSchema}.
 *
 * @example
 * ```ts
 * const ref: DolphinEngineRef | null = readDolphinRef(task.engineRef);
 * ```
 */
export type DolphinEngineRef = z.infer<typeof DolphinEngineRefSchema>;

/**
 * Reads a task's engine reference as a {@link DolphinEngineRef}.
 *
 * @param ref - the task's `engineRef`
 * @returns the typed reference, or null when absent or not a DolphinScheduler reference
 * @example
 * ```ts
 * const ref = readDolphinRef(task.engineRef);
 * if (ref) console.log(ref.workflowCode, ref.taskCode);
 * ```
 */
export function readDolphinRef(ref: EngineRef | null | undefined): DolphinEngineRef | null {
  const parsed = DolphinEngineRefSchema.safeParse(ref);
  return parsed.success ? parsed.data : null;
}

/**
 * DolphinScheduler's `sqlType` for a statement: `0` for statements that return rows (SELECT, WITH,
 * SHOW, DESCRIBE, EXPLAIN), `1` otherwise.
 *
 * @param sql - the task's SQL (leading comments ignored)
 * @returns `0` (query) or `1` (non-query)
 * @example
 * ```ts
 * sqlTypeOf('-- daily\nselect 1'); // 0
 * sqlTypeOf('insert into t select 1'); // 1
 * ```
 */
export function sqlTypeOf(sql: string): 0 | 1 {
  const stripped = sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/#[^\n]*/g, ' ')
    .trim()
    .replace(/^\(+/, '');
  const word = /^[A-Za-z]+/.exec(stripped)?.[0]?.toUpperCase() ?? '';
  return ['SELECT', 'WITH', 'SHOW', 'DESC', 'DESCRIBE', 'EXPLAIN', 'VALUES'].includes(word) ? 0 : 1;
}

const WORKFLOW_STATUS: Readonly<Record<string, ExecutionStatus>> = {
  SUBMITTED_SUCCESS: 'SUBMITTED',
  WAIT_TO_RUN: 'SUBMITTED',
  SERIAL_WAIT: 'SUBMITTED',
  DELAY_EXECUTION: 'SUBMITTED',
  RUNNING_EXECUTION: 'RUNNING',
  READY_PAUSE: 'RUNNING',
  READY_STOP: 'RUNNING',
  READY_BLOCK: 'RUNNING',
  FAILOVER: 'RUNNING',
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILED',
  STOP: 'KILLED',
  PAUSE: 'KILLED',
  BLOCK: 'KILLED',
};

const TASK_STATUS: Readonly<Record<string, ExecutionStatus>> = {
  SUBMITTED_SUCCESS: 'SUBMITTED',
  DISPATCH: 'SUBMITTED',
  DELAY_EXECUTION: 'SUBMITTED',
  RUNNING_EXECUTION: 'RUNNING',
  SUCCESS: 'SUCCESS',
  FORCED_SUCCESS: 'SUCCESS',
  FAILURE: 'FAILED',
  NEED_FAULT_TOLERANCE: 'FAILED',
  KILL: 'KILLED',
  STOP: 'KILLED',
  PAUSE: 'KILLED',
};

/**
 * Maps a DolphinScheduler workflow-instance state to the portal's status; unknown states map to
 * `RUNNING` (reference §5: never fail on a new state name).
 *
 * @param state - WorkflowExecutionStatus name
 * @returns the portal status
 * @example
 * ```ts
 * workflowStatusOf('STOP'); // 'KILLED'
 * ```
 */
export function workflowStatusOf(state: string | null | undefined): ExecutionStatus {
  return WORKFLOW_STATUS[state ?? ''] ?? 'RUNNING';
}

/**
 * Maps a DolphinScheduler task-instance state to the portal's status; unknown states map to
 * `RUNNING`.
 *
 * @param state - TaskExecutionStatus name
 * @returns the portal status
 * @example
 * ```ts
 * taskStatusOf('KILL'); // 'KILLED'
 * ```
 */
export function taskStatusOf(state: string | null | undefined): ExecutionStatus {
  return TASK_STATUS[state ?? ''] ?? 'RUNNING';
}

/**
 * The DolphinScheduler `BatchEngine` (from `@dataportal/sdk`), with its client exposed for alerts and diagnostics.
 *
 * @example
 * ```ts
 * const engine: DolphinEngine = createDolphinEngine(config);
 * console.log(engine.client.callCount);
 * ```
 */
export interface DolphinEngine extends BatchEngine {
  /** Always `dolphin`. */
  readonly name: 'dolphin';
  /** The client the engine calls through. */
  readonly client: DolphinClient;
  /**
   * Stops a run; resolves to its state read back afterwards (the final state, without error,
   * when the run had already ended).
   */
  stopRun(
    task: Task,
    externalRunId: string,
    options?: EngineCallOptions,
  ): Promise<EngineRun | undefined>;
}

const TRIGGER_KEY = 'dataportal_trigger';
const MAX_CODES_PER_CALL = 100;

interface NodePlan {
  readonly name: string;
  readonly taskType: 'SQL' | 'SHELL' | 'DEPENDENT';
  readonly taskParams: Record<string, unknown>;
  readonly portalTask: Task | null;
  readonly failRetryTimes: number;
  readonly timeout: number;
  readonly description: string;
}

function isTerminal(status: ExecutionStatus): boolean {
  return status === 'SUCCESS' || status === 'FAILED' || status === 'KILLED';
}

function dependentNodeName(upstream: Task): string {
  return `wait__${upstream.name}`;
}

class DolphinEngineImpl implements DolphinEngine {
  readonly name = 'dolphin' as const;
  readonly capabilities: BatchEngineCapabilities = {
    schedule: true,
    dagSync: true,
    logs: true,
    stop: true,
  };
  readonly client: DolphinClient;
  readonly #cfg: DolphinEngineConfig;
  readonly #sleep: (ms: number) => Promise<void>;
  #project: { code: DolphinCode; name: string } | null = null;

  constructor(config: DolphinEngineConfig) {
    this.#cfg = config;
    const clientConfig: DolphinClientConfig = {
      baseUrl: config.baseUrl,
      token: config.token,
      ...(config.version ? { version: config.version } : {}),
      ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
      ...(config.retries !== undefined ? { retries: config.retries } : {}),
      ...(config.retryBackoffMs !== undefined ? { retryBackoffMs: config.retryBackoffMs } : {}),
      ...(config.fetch ? { fetch: config.fetch } : {}),
    };
    this.client = config.client ?? new DolphinClient(clientConfig);
    this.#sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get #zone(): string {
    return this.#cfg.timeZone ?? 'UTC';
  }

  get #serverZone(): string {
    return this.#cfg.serverTimeZone ?? 'UTC';
  }

  get #warning(): { warningType: string; warningGroupId?: number } {
    const group = this.#cfg.alertGroupId;
    const type = this.#cfg.warningType ?? (group === undefined ? 'NONE' : 'ALL');
    return group === undefined
      ? { warningType: type }
      : { warningType: type, warningGroupId: group };
  }

  // ------------------------------------------------------------------ project

  async #ensureProject(options: EngineCallOptions): Promise<{ code: DolphinCode; name: string }> {
    if (this.#project) return this.#project;
    const name = this.#cfg.project;
    let project = await this.client.findProjectByName(name, options);
    if (!project) {
      try {
        project = await this.client.createProject(
          name,
          this.#cfg.projectDescription ?? 'DataPortal workflows',
          options,
        );
      } catch (err) {
        // Names are global: someone else may have created it meanwhile (or it is not visible to us).
        if (!isDolphinError(err, 'NAME_EXISTS')) throw err;
        project = await this.client.findProjectByName(name, options);
        if (!project) {
          throw new DolphinError(
            'PERMISSION_DENIED',
            `dolphin: project ${name} exists but is not visible to this token`,
            {
              cause: err,
            },
          );
        }
      }
    }
    this.#project = { code: project.code, name: project.name };
    return this.#project;
  }

  // ------------------------------------------------------------------ publish

  async publish(request: PublishRequest, options: EngineCallOptions = {}): Promise<PublishResult> {
    if (request.tasks.length === 0) {
      throw new DolphinError(
        'INVALID_ARGUMENT',
        `dolphin: publish of ${request.unitName} has no tasks`,
      );
    }
    const ids = new Set(request.tasks.map((t) => t.id));
    for (const d of request.dependencies) {
      if (!ids.has(d.upstream) || !ids.has(d.downstream)) {
        throw new DolphinError(
          'INVALID_ARGUMENT',
          `dolphin: dependency ${d.upstream} → ${d.downstream} names a task outside ${request.unitName}`,
        );
      }
    }
    const line = await this.client.versionLine(options);
    const project = await this.#ensureProject(options);
    const existing = await this.#findExistingDag(project.code, request, options);
    const datasources = await this.#resolveDatasources(request.tasks, options);

    // Nodes: the portal's tasks plus one DEPENDENT node per distinct external upstream task.
    const nodes: NodePlan[] = request.tasks.map((t) => this.#nodeFor(t, datasources));
    const externalByUpstream = new Map<number, { upstream: Task; downstream: Set<number> }>();
    for (const ext of request.external) {
      const entry = externalByUpstream.get(ext.dependsOn.id) ?? {
        upstream: ext.dependsOn,
        downstream: new Set<number>(),
      };
      entry.downstream.add(ext.task);
      externalByUpstream.set(ext.dependsOn.id, entry);
    }
    for (const { upstream } of externalByUpstream.values())
      nodes.push(this.#dependentNode(upstream));

    // Codes: reuse by name, generate the rest in as few calls as possible.
    const known = new Map((existing?.tasks ?? []).map((t) => [t.name, t] as const));
    const missing = nodes.filter((n) => !known.has(n.name)).length;
    const fresh: DolphinCode[] = [];
    for (let left = missing; left > 0; left -= MAX_CODES_PER_CALL) {
      fresh.push(
        ...(await this.client.genTaskCodes(
          project.code,
          Math.min(left, MAX_CODES_PER_CALL),
          options,
        )),
      );
    }
    const codeOf = new Map<string, DolphinCode>();
    const defs: DolphinTaskDefinitionInput[] = nodes.map((n) => {
      const prev = known.get(n.name);
      const code = prev?.code ?? (fresh.shift() as DolphinCode);
      codeOf.set(n.name, code);
      return {
        code,
        version: prev?.version ?? 0,
        name: n.name,
        description: n.description,
        taskType: n.taskType,
        taskParams: n.taskParams,
        failRetryTimes: n.failRetryTimes,
        timeout: n.timeout,
      };
    });

    // Relations: lineage order inside the unit, DEPENDENT → waiting task, `0 → root` rows.
    const byId = new Map(request.tasks.map((t) => [t.id, t] as const));
    const edges: Array<[string, string]> = [];
    for (const d of request.dependencies) {
      edges.push([(byId.get(d.upstream) as Task).name, (byId.get(d.downstream) as Task).name]);
    }
    for (const { upstream, downstream } of externalByUpstream.values()) {
      for (const id of downstream) {
        const t = byId.get(id);
        if (!t)
          throw new DolphinError(
            'INVALID_ARGUMENT',
            `dolphin: external dependency of task ${id} outside ${request.unitName}`,
          );
        edges.push([dependentNodeName(upstream), t.name]);
      }
    }
    const seen = new Set<string>();
    const relations: DolphinRelationInput[] = [];
    for (const [a, b] of edges) {
      const key = `${a}→${b}`;
      if (seen.has(key)) continue;
      seen.add(key);
      relations.push({
        preTaskCode: codeOf.get(a) as string,
        postTaskCode: codeOf.get(b) as string,
      });
    }
    const hasParent = new Set(edges.map(([, b]) => b));
    for (const n of nodes) {
      if (!hasParent.has(n.name))
        relations.unshift({ preTaskCode: '0', postTaskCode: codeOf.get(n.name) as string });
    }

    const input = {
      name: request.unitName,
      description: `DataPortal unit ${request.unitName}`,
      tasks: defs,
      relations,
      tenantCode: this.#cfg.tenantCode ?? 'default',
    };
    let workflowCode: DolphinCode;
    let version = existing?.definition.version ?? 1;
    let schedules: DolphinSchedule[] = [];
    if (!existing) {
      const created = await this.client.createWorkflow(project.code, input, options);
      workflowCode = created.code;
      version = created.version;
      if (request.online)
        await this.client.releaseWorkflow(project.code, workflowCode, 'ONLINE', options);
    } else {
      workflowCode = existing.definition.code;
      if (existing.definition.releaseState === 'ONLINE') {
        await this.client.releaseWorkflow(project.code, workflowCode, 'OFFLINE', options);
      }
      const updated = await this.client.updateWorkflow(
        project.code,
        workflowCode,
        { ...input, releaseState: request.online ? 'ONLINE' : 'OFFLINE' },
        options,
      );
      if (updated) version = updated.version;
      schedules = await this.client.listSchedules(project.code, workflowCode, options);
    }

    const scheduleId = await this.#syncSchedule(
      {
        projectCode: project.code,
        workflowCode,
        cron: request.schedule,
        online: request.online,
        schedules,
      },
      options,
    );

    // Task versions: all 1 after a create; after an update the server bumped the changed ones, so
    // read the DAG back (one call, whatever the number of tasks).
    const taskVersions = new Map<string, number>();
    if (existing) {
      const saved = await this.client.getWorkflow(project.code, workflowCode, options);
      version = saved.definition.version;
      for (const t of saved.tasks) taskVersions.set(t.name, t.version);
    }
    const refs = new Map<number, EngineRef>();
    for (const t of request.tasks) {
      const ref: DolphinEngineRef = {
        engine: 'dolphin',
        line,
        projectCode: project.code,
        projectName: project.name,
        workflowCode,
        workflowName: request.unitName,
        workflowVersion: version,
        taskCode: codeOf.get(t.name) as string,
        taskName: t.name,
        taskVersion: taskVersions.get(t.name) ?? 1,
        scheduleId,
        unitTaskCount: request.tasks.length,
      };
      refs.set(t.id, ref);
    }
    return { refs, online: request.online };
  }

  async #findExistingDag(
    projectCode: DolphinCode,
    request: PublishRequest,
    options: EngineCallOptions,
  ): Promise<DolphinDag | null> {
    const stored = request.tasks
      .map((t) => readDolphinRef(t.engineRef))
      .find((r): r is DolphinEngineRef => r !== null && r.projectCode === projectCode);
    if (stored) {
      try {
        return await this.client.getWorkflow(projectCode, stored.workflowCode, options);
      } catch (err) {
        if (!isDolphinError(err, 'NOT_FOUND')) throw err;
      }
    }
    return this.client.getWorkflowByName(projectCode, request.unitName, options);
  }

  async #resolveDatasources(
    tasks: readonly Task[],
    options: EngineCallOptions,
  ): Promise<Map<string, { id: number; type: string }>> {
    const wanted = new Set<string>();
    for (const t of tasks) if (t.kind === 'sql') wanted.add(this.#datasourceName(t));
    const found = new Map<string, { id: number; type: string }>();
    if (wanted.size === 0) return found;
    const pageSize = 500;
    for (let pageNo = 1; ; pageNo++) {
      const page = await this.client.listDatasources({ pageNo, pageSize }, options);
      for (const d of page.items)
        if (wanted.has(d.name)) found.set(d.name, { id: d.id, type: d.type });
      if (found.size === wanted.size || pageNo * pageSize >= page.total || page.items.length === 0)
        break;
    }
    const absent = [...wanted].filter((n) => !found.has(n));
    if (absent.length > 0) {
      throw new DolphinError(
        'INVALID_ARGUMENT',
        `dolphin: data source ${absent.join(', ')} not found in DolphinScheduler`,
      );
    }
    return found;
  }

  #datasourceName(t: Task): string {
    const portalName = t.datasource ?? this.#cfg.defaultDatasource;
    if (!portalName) {
      throw new DolphinError(
        'INVALID_ARGUMENT',
        `dolphin: SQL task ${t.name} has no data source and no defaultDatasource is configured`,
      );
    }
    return this.#cfg.datasources?.[portalName] ?? portalName;
  }

  #nodeFor(t: Task, datasources: Map<string, { id: number; type: string }>): NodePlan {
    const common = {
      name: t.name,
      portalTask: t,
      failRetryTimes: t.retries,
      timeout: Math.ceil(t.timeoutSeconds / 60),
      description: t.description ?? '',
    };
    if (t.kind === 'shell') {
      return {
        ...common,
        taskType: 'SHELL',
        taskParams: { rawScript: t.sql, localParams: [], resourceList: [] },
      };
    }
    const ds = datasources.get(this.#datasourceName(t)) as { id: number; type: string };
    return {
      ...common,
      taskType: 'SQL',
      taskParams: {
        type: ds.type,
        datasource: ds.id,
        sql: t.sql,
        sqlType: String(sqlTypeOf(t.sql)),
        preStatements: t.preStatements,
        postStatements: t.postStatements,
        displayRows: 10,
        sendEmail: false,
        localParams: [],
        resourceList: [],
      },
    };
  }

  #dependentNode(upstream: Task): NodePlan {
    const ref = readDolphinRef(upstream.engineRef);
    if (!ref) {
      throw new DolphinError(
        'INVALID_ARGUMENT',
        `dolphin: upstream task ${upstream.name} is not published on DolphinScheduler yet`,
      );
    }
    return {
      name: dependentNodeName(upstream),
      portalTask: null,
      failRetryTimes: 0,
      timeout: 0,
      description: `waits for ${upstream.name} in workflow ${ref.workflowName}`,
      taskType: 'DEPENDENT',
      taskParams: {
        dependence: {
          relation: 'AND',
          checkInterval: 10,
          failurePolicy: 'DEPENDENT_FAILURE_FAILURE',
          dependTaskList: [
            {
              relation: 'AND',
              dependItemList: [
                {
                  projectCode: rawNumber(ref.projectCode),
                  definitionCode: rawNumber(ref.workflowCode),
                  depTaskCode: rawNumber(ref.taskCode),
                  cycle: 'day',
                  dateValue: 'today',
                },
              ],
            },
          ],
        },
        localParams: [],
        resourceList: [],
      },
    };
  }

  #scheduleInput(cron: string): DolphinScheduleInput {
    return {
      schedule: toDolphinSchedule(cron, { timeZone: this.#zone }),
      ...this.#warning,
      failureStrategy: this.#cfg.failureStrategy ?? 'END',
      workerGroup: this.#cfg.workerGroup ?? 'default',
      tenantCode: this.#cfg.tenantCode ?? 'default',
    };
  }

  async #syncSchedule(
    args: {
      projectCode: DolphinCode;
      workflowCode: DolphinCode;
      cron: string | null;
      online: boolean;
      schedules: DolphinSchedule[];
    },
    options: EngineCallOptions,
  ): Promise<number | null> {
    const { projectCode, workflowCode, cron, online } = args;
    const [keep, ...extra] = args.schedules;
    // 3.1 lets a workflow collect several schedules (apache/dolphinscheduler#14299): keep one.
    for (const s of extra) {
      if (s.releaseState === 'ONLINE')
        await this.client.offlineSchedule(projectCode, s.id, options);
      await this.client.deleteSchedule(projectCode, s.id, options);
    }
    if (cron === null) {
      if (keep) {
        if (keep.releaseState === 'ONLINE')
          await this.client.offlineSchedule(projectCode, keep.id, options);
        await this.client.deleteSchedule(projectCode, keep.id, options);
      }
      return null;
    }
    const input = this.#scheduleInput(cron);
    let id: number | null = null;
    if (keep) {
      if (keep.releaseState === 'ONLINE')
        await this.client.offlineSchedule(projectCode, keep.id, options);
      await this.client.updateSchedule(projectCode, keep.id, input, options);
      id = keep.id;
    } else if (online) {
      id = (await this.client.createSchedule(projectCode, workflowCode, input, options)).id;
    }
    if (online && id !== null) await this.client.onlineSchedule(projectCode, id, options);
    return id;
  }

  // ------------------------------------------------------------------ references

  #ref(task: Task): DolphinEngineRef {
    const ref = readDolphinRef(task.engineRef);
    if (!ref) {
      throw new DolphinError(
        'INVALID_ARGUMENT',
        `dolphin: task ${task.name} has no DolphinScheduler reference (publish it first)`,
      );
    }
    return ref;
  }

  /** Re-resolves a reference by project, workflow and task name (codes survive upgrades, names too). */
  async #reresolve(ref: DolphinEngineRef, options: EngineCallOptions): Promise<DolphinEngineRef> {
    const project = await this.client.findProjectByName(ref.projectName, options);
    if (!project)
      throw new DolphinError('NOT_FOUND', `dolphin: project ${ref.projectName} not found`);
    const dag = await this.client.getWorkflowByName(project.code, ref.workflowName, options);
    if (!dag)
      throw new DolphinError(
        'NOT_FOUND',
        `dolphin: workflow ${ref.workflowName} not found in ${ref.projectName}`,
      );
    const task = dag.tasks.find((t) => t.name === ref.taskName);
    if (!task)
      throw new DolphinError(
        'NOT_FOUND',
        `dolphin: task ${ref.taskName} not found in workflow ${ref.workflowName}`,
      );
    return {
      ...ref,
      line: await this.client.versionLine(options),
      projectCode: project.code,
      workflowCode: dag.definition.code,
      workflowVersion: dag.definition.version,
      taskCode: task.code,
      taskVersion: task.version,
    };
  }

  async #withRef<T>(
    task: Task,
    options: EngineCallOptions,
    fn: (ref: DolphinEngineRef) => Promise<T>,
  ): Promise<T> {
    const ref = this.#ref(task);
    try {
      return await fn(ref);
    } catch (err) {
      if (!isDolphinError(err, 'NOT_FOUND')) throw err;
      const fresh = await this.#reresolve(ref, options);
      if (
        fresh.projectCode === ref.projectCode &&
        fresh.workflowCode === ref.workflowCode &&
        fresh.taskCode === ref.taskCode
      ) {
        throw err;
      }
      return fn(fresh);
    }
  }

  // ------------------------------------------------------------------ online / offline

  async setOnline(
    task: Task,
    online: boolean,
    options: EngineCallOptions = {},
  ): Promise<EngineRef> {
    return this.#withRef(task, options, async (ref) => {
      const pc = ref.projectCode;
      const schedules = await this.client.listSchedules(pc, ref.workflowCode, options);
      let scheduleId = schedules[0]?.id ?? null;
      if (online) {
        await this.client.releaseWorkflow(pc, ref.workflowCode, 'ONLINE', options);
        const s = schedules[0];
        if (s) {
          if (s.releaseState !== 'ONLINE') await this.client.onlineSchedule(pc, s.id, options);
        } else if (task.schedule) {
          scheduleId = (
            await this.client.createSchedule(
              pc,
              ref.workflowCode,
              this.#scheduleInput(task.schedule),
              options,
            )
          ).id;
          await this.client.onlineSchedule(pc, scheduleId, options);
        }
      } else {
        for (const s of schedules) {
          if (s.releaseState === 'ONLINE') await this.client.offlineSchedule(pc, s.id, options);
        }
        await this.client.releaseWorkflow(pc, ref.workflowCode, 'OFFLINE', options);
      }
      return { ...ref, scheduleId } satisfies DolphinEngineRef;
    });
  }

  // ------------------------------------------------------------------ runs

  async trigger(task: Task, options: EngineCallOptions = {}): Promise<{ externalRunId: string }> {
    return this.#withRef(task, options, async (ref) => {
      const token = randomUUID();
      const result = await this.client.startWorkflow(
        ref.projectCode,
        {
          workflowCode: ref.workflowCode,
          failureStrategy: this.#cfg.failureStrategy ?? 'END',
          ...this.#warning,
          startParams: { [TRIGGER_KEY]: token },
          ...(ref.unitTaskCount > 1
            ? { startNodeList: [ref.taskCode], taskDependType: 'TASK_ONLY' }
            : {}),
          tenantCode: this.#cfg.tenantCode ?? 'default',
          workerGroup: this.#cfg.workerGroup ?? 'default',
        },
        options,
      );
      if (result.kind === 'instanceIds' && result.instanceIds[0] !== undefined) {
        return { externalRunId: String(result.instanceIds[0]) };
      }
      const attempts = this.#cfg.triggerPoll?.attempts ?? 20;
      const interval = this.#cfg.triggerPoll?.intervalMs ?? 250;
      const checked = new Set<number>();
      const carriesToken = (i: DolphinWorkflowInstance) =>
        `${i.commandParam ?? ''}${i.globalParams ?? ''}`.includes(token);
      for (let k = 0; k < attempts; k++) {
        if (k > 0) await this.#sleep(interval);
        let found: DolphinWorkflowInstance | undefined;
        if (result.kind === 'triggerCode') {
          found = (
            await this.client.getInstancesByTrigger(ref.projectCode, result.triggerCode, options)
          )[0];
        } else {
          // 3.1 answers no id: find the instance whose command carries our token. The 3.1 paging
          // query leaves command_param out, so read the newest unchecked instances one by one.
          const page = await this.client.listInstances(
            ref.projectCode,
            { workflowCode: ref.workflowCode, pageSize: 10 },
            options,
          );
          const fresh = page.items.filter((i) => !checked.has(i.id)).sort((a, b) => b.id - a.id);
          found = fresh.find(carriesToken);
          for (const i of fresh.slice(0, 3)) {
            if (found) break;
            checked.add(i.id);
            if (i.commandParam !== null) continue;
            const detail = await this.client.getInstance(ref.projectCode, i.id, options);
            if (carriesToken(detail)) found = detail;
          }
        }
        if (found) return { externalRunId: String(found.id) };
      }
      throw new DolphinError(
        'NOT_FOUND',
        `dolphin: started ${ref.workflowName} but its instance did not appear after ${attempts} polls`,
      );
    });
  }

  /**
   * Maps an instance (and, for multi-task units, the task's own task instance) to a run. Without
   * a task instance, a listing skips the run (it may belong to another task of the unit, started
   * with TASK_ONLY); a direct read reports it as waiting, or as not run once the workflow ended.
   */
  #runOf(
    instance: DolphinWorkflowInstance,
    taskInstance: DolphinTaskInstance | null | undefined,
    mode: { readonly single: boolean; readonly listing: boolean },
  ): EngineRun | null {
    const zone = this.#serverZone;
    const single = mode.single;
    if (single || taskInstance) {
      const source = taskInstance && !single ? taskInstance : instance;
      const status =
        taskInstance && !single
          ? taskStatusOf(taskInstance.state)
          : workflowStatusOf(instance.state);
      return {
        externalRunId: String(instance.id),
        status,
        startTime: parseWallClock(source.startTime, zone),
        endTime: isTerminal(status) ? parseWallClock(source.endTime, zone) : null,
        rowsOutput: null,
        message:
          status === 'FAILED' || status === 'KILLED'
            ? `workflow instance ${instance.name ?? instance.id} ended ${instance.state}`
            : null,
      };
    }
    if (mode.listing) return null;
    const wf = workflowStatusOf(instance.state);
    if (!isTerminal(wf)) {
      return {
        externalRunId: String(instance.id),
        status: wf === 'RUNNING' ? 'SUBMITTED' : wf,
        startTime: null,
        endTime: null,
        rowsOutput: null,
        message: null,
      };
    }
    if (wf === 'SUCCESS') return null;
    return {
      externalRunId: String(instance.id),
      status: 'KILLED',
      startTime: null,
      endTime: parseWallClock(instance.endTime, zone),
      rowsOutput: null,
      message: `not run: workflow instance ended ${instance.state} before the task started`,
    };
  }

  async getRun(
    task: Task,
    externalRunId: string,
    options: EngineCallOptions = {},
  ): Promise<EngineRun | null> {
    const id = Number(externalRunId);
    if (!Number.isInteger(id)) return null;
    return this.#withRef(task, options, async (ref) => {
      let instance: DolphinWorkflowInstance;
      try {
        instance = await this.client.getInstance(ref.projectCode, id, options);
      } catch (err) {
        if (isDolphinError(err, 'NOT_FOUND') && err.engineCode === 50001) return null;
        throw err;
      }
      if (instance.workflowCode !== null && instance.workflowCode !== ref.workflowCode) return null;
      const single = ref.unitTaskCount <= 1;
      const tasks = single
        ? null
        : await this.client.getInstanceTasks(ref.projectCode, id, options);
      const ti = tasks?.taskList.find((t) => t.taskCode === ref.taskCode);
      return this.#runOf(instance, ti, { single, listing: false });
    });
  }

  async listRuns(
    task: Task,
    query: { readonly limit?: number; readonly since?: Date } = {},
    options: EngineCallOptions = {},
  ): Promise<EngineRun[]> {
    return this.#withRef(task, options, async (ref) => {
      const page = await this.client.listInstances(
        ref.projectCode,
        { workflowCode: ref.workflowCode, pageSize: Math.min(Math.max(query.limit ?? 20, 1), 100) },
        options,
      );
      const since = query.since?.getTime();
      const recent = page.items.filter((i) => {
        if (since === undefined) return true;
        const start = parseWallClock(i.startTime ?? i.scheduleTime, this.#serverZone);
        const end = parseWallClock(i.endTime, this.#serverZone);
        return start === null || start.getTime() >= since || end === null || end.getTime() >= since;
      });
      const single = ref.unitTaskCount <= 1;
      const runs: EngineRun[] = [];
      for (const i of recent.sort((a, b) => b.id - a.id)) {
        const ti = single
          ? null
          : (await this.client.getInstanceTasks(ref.projectCode, i.id, options)).taskList.find(
              (t) => t.taskCode === ref.taskCode,
            );
        const run = this.#runOf(i, ti, { single, listing: true });
        if (run) runs.push(run);
      }
      return runs;
    });
  }

  async getLog(
    task: Task,
    externalRunId: string,
    page: { readonly offset?: number; readonly limit?: number } = {},
  ): Promise<EngineLog> {
    const id = Number(externalRunId);
    const offset = page.offset ?? 0;
    return this.#withRef(task, {}, async (ref) => {
      const tasks = await this.client.getInstanceTasks(ref.projectCode, id, {});
      const ti = tasks.taskList.find((t) => t.taskCode === ref.taskCode);
      if (!ti)
        return {
          text: '',
          nextOffset: offset,
          complete: isTerminal(workflowStatusOf(tasks.state)),
        };
      const finished = isTerminal(taskStatusOf(ti.state));
      const limit = page.limit ?? 1000;
      const parts: string[] = [];
      let next = offset;
      let reachedEnd = false;
      try {
        for (;;) {
          const chunk = await this.client.readLogPage(ti.id, { skipLineNum: next, limit });
          parts.push(chunk.text);
          next += chunk.lines;
          if (chunk.end) {
            reachedEnd = true;
            break;
          }
          if (page.limit !== undefined) break;
        }
      } catch (err) {
        // 10191: not dispatched yet (no host), so no log so far.
        if (!isDolphinError(err) || err.engineCode !== 10191) throw err;
        return { text: '', nextOffset: offset, complete: false };
      }
      return { text: parts.join(''), nextOffset: next, complete: reachedEnd && finished };
    });
  }

  /**
   * Stops a run and reads its state back. A run that already ended is not an error: 3.1/3.2
   * answer 50006 ("Cannot perform STOP operation", measured on 3.1.1), 3.3 answers 10000
   * ("… can not stop"); either way the run's final state is returned.
   */
  async stopRun(
    task: Task,
    externalRunId: string,
    options: EngineCallOptions = {},
  ): Promise<EngineRun | undefined> {
    try {
      await this.#withRef(task, options, (ref) =>
        this.client.executeInstance(ref.projectCode, Number(externalRunId), 'STOP', options),
      );
    } catch (err) {
      const cannotStop =
        isDolphinError(err) &&
        (err.engineCode === 50006 ||
          (err.engineCode === 10000 && /can not stop/.test(err.message)));
      if (!cannotStop) throw err;
      const run = await this.getRun(task, externalRunId, options);
      if (!run || !isTerminal(run.status)) throw err;
      return run;
    }
    return (await this.getRun(task, externalRunId, options)) ?? undefined;
  }

  async unpublish(task: Task, options: EngineCallOptions = {}): Promise<void> {
    const ref = readDolphinRef(task.engineRef);
    if (!ref) return;
    let dag: DolphinDag | null;
    try {
      dag = await this.client.getWorkflow(ref.projectCode, ref.workflowCode, options);
    } catch (err) {
      if (!isDolphinError(err, 'NOT_FOUND')) throw err;
      const project = await this.client.findProjectByName(ref.projectName, options);
      dag = project
        ? await this.client.getWorkflowByName(project.code, ref.workflowName, options)
        : null;
    }
    if (!dag) return;
    const pc = dag.definition.projectCode;
    const wc = dag.definition.code;
    const me = dag.tasks.find((t) => t.name === ref.taskName);
    const others = dag.tasks.filter((t) => t !== me && t.taskType !== 'DEPENDENT');
    const schedules = await this.client.listSchedules(pc, wc, options);
    for (const s of schedules)
      if (s.releaseState === 'ONLINE') await this.client.offlineSchedule(pc, s.id, options);
    const wasOnline = dag.definition.releaseState === 'ONLINE';
    if (wasOnline) await this.client.releaseWorkflow(pc, wc, 'OFFLINE', options);
    if (!me || others.length === 0) {
      for (const s of schedules) await this.client.deleteSchedule(pc, s.id, options);
      await this.client.deleteWorkflow(pc, wc, options);
      return;
    }
    // Remove the node, drop DEPENDENT nodes that only fed it, re-root its orphaned children.
    const removed = new Set<string>([me.code]);
    for (const t of dag.tasks) {
      if (t.taskType !== 'DEPENDENT') continue;
      const targets = dag.relations
        .filter((r) => r.preTaskCode === t.code)
        .map((r) => r.postTaskCode);
      if (targets.every((c) => removed.has(c))) removed.add(t.code);
    }
    const keptTasks = dag.tasks.filter((t) => !removed.has(t.code));
    const keptEdges = dag.relations.filter(
      (r) => r.preTaskCode !== '0' && !removed.has(r.preTaskCode) && !removed.has(r.postTaskCode),
    );
    const withParent = new Set(keptEdges.map((r) => r.postTaskCode));
    const relations: DolphinRelationInput[] = [
      ...keptTasks
        .filter((t) => !withParent.has(t.code))
        .map((t) => ({ preTaskCode: '0', postTaskCode: t.code })),
      ...keptEdges.map((r) => ({ preTaskCode: r.preTaskCode, postTaskCode: r.postTaskCode })),
    ];
    await this.client.updateWorkflow(
      pc,
      wc,
      {
        name: dag.definition.name,
        description: dag.definition.description ?? '',
        tasks: keptTasks.map((t) => ({
          code: t.code,
          version: t.version,
          name: t.name,
          description: t.description ?? '',
          taskType: t.taskType,
          taskParams: t.taskParams,
          failRetryTimes: t.failRetryTimes,
          timeout: t.timeout,
        })),
        relations,
        tenantCode: this.#cfg.tenantCode ?? 'default',
        releaseState: wasOnline ? 'ONLINE' : 'OFFLINE',
      },
      options,
    );
    if (wasOnline) {
      for (const s of schedules)
        if (s.releaseState === 'ONLINE') await this.client.onlineSchedule(pc, s.id, options);
    }
  }

  async ping(options: EngineCallOptions = {}): Promise<void> {
    await this.client.listProjects({ pageNo: 1, pageSize: 1 }, options);
  }
}

/**
 * Creates the DolphinScheduler `BatchEngine` (the sdk's batch engine contract): publishes portal tasks as workflows (one per
 * publish unit, task relations from lineage, DEPENDENT nodes for other units), schedules them with
 * Quartz cron in the configured zone, starts runs and reads their state and logs.
 *
 * @param config - connection (base URL, token), project, data sources, time zone, alerts
 * @returns the engine
 * @example
 * ```ts
 * const engine = createDolphinEngine({
 *   baseUrl: 'http://ds:12345/dolphinscheduler',
 *   token: process.env.DOLPHIN_TOKEN ?? '',
 *   project: 'dataportal',
 *   defaultDatasource: 'warehouse',
 *   timeZone: 'Asia/Shanghai',
 * });
 * const { refs } = await engine.publish({ unitName: 'daily_orders', tasks: [task], dependencies: [], external: [], schedule: '0 2 * * *', online: true });
 * ```
 */
export function createDolphinEngine(config: DolphinEngineConfig): DolphinEngine {
  return new DolphinEngineImpl(config);
}
