import {
  type EngineCallOptions,
  type EngineRef,
  isValidTimeZone,
  parseWallClock,
  type StreamEngine,
  type StreamEngineCapabilities,
  type StreamStartResult,
  type StreamState,
  type StreamStatus,
  splitSqlStatements,
  type Task,
} from '@dataportal/sdk';
import { DinkyClient, type DinkyClientConfig, type DinkyLogin } from './client';
import { DinkyError, truncateEngineText } from './errors';

import type { DinkyJobInfoDetail, DinkyJobInstance } from './schemas';
import { createThroughputMeter } from './throughput';

/**
 * A pre-created Dinky task used when no login is configured: a FlinkSql task with "fragment"
 * (variables) enabled whose statement is `${dp_sql_1};` `${dp_sql_2};` … one placeholder per line,
 * up to `slots`. Dinky splits statements *before* substituting variables, so each statement of
 * the portal task needs its own placeholder; unused slots are sent empty and Dinky skips them.
 *
 * @example
 * ```ts
 * const template: DinkyTemplate = { taskId: 5, slots: 20 };
 * ```
 */
export interface DinkyTemplate {
  /** The template's Dinky task id. */
  readonly taskId: number;
  /** Number of `${<prefix>N}` placeholders in the template. Defaults to 20. */
  readonly slots?: number;
  /** Variable name prefix. Defaults to `dp_sql_`. */
  readonly prefix?: string;
}

/**
 * Settings of Dinky tasks the engine creates through `/api`.
 *
 * @example
 * ```ts
 * const defaults: DinkyTaskDefaults = { runMode: 'standalone', clusterId: 1, parallelism: 2 };
 * ```
 */
export interface DinkyTaskDefaults {
  /** Prefix of Dinky task names. Defaults to `dataportal_`. */
  readonly namePrefix?: string;
  /** Catalogue folder id. Defaults to 0 (root). */
  readonly folderId?: number;
  /** Run mode (`local`, `standalone`, `yarn-session`, `kubernetes-application`…). */
  readonly runMode?: string;
  /** Cluster instance id (session modes). */
  readonly clusterId?: number;
  /** Cluster configuration id (application and per-job modes). */
  readonly clusterConfigurationId?: number;
  /** Parallelism. */
  readonly parallelism?: number;
  /** FlinkSqlEnv task id. */
  readonly envId?: number;
}

/**
 * Configuration of {@link createDinkyEngine}.
 *
 * @example
 * ```ts
 * const config: DinkyEngineConfig = { url: 'http://dinky:8888', template: { taskId: 5 }, timeZone: 'Asia/Shanghai' };
 * ```
 */
export interface DinkyEngineConfig {
  /** A ready client; otherwise one is built from `url`, `token`, `login`, `fetch`. */
  readonly client?: DinkyClient;
  /** Dinky's base URL (when no `client` is given). */
  readonly url?: string;
  /** A ready `/api` token (when no `client` is given). */
  readonly token?: string;
  /** Login for `/api` (when no `client` is given): enables publishing and precise metrics. */
  readonly login?: DinkyLogin;
  /** The `fetch` to use (when no `client` is given). */
  readonly fetch?: DinkyClientConfig['fetch'];
  /** Skip the version probe (when no `client` is given). */
  readonly version?: string;
  /** Per-call timeout in ms (when no `client` is given). */
  readonly timeoutMs?: number;
  /**
   * Zone of the Dinky server's clock (`Asia/Shanghai`, `+08:00`, `UTC`): Dinky renders job times as
   * wall-clock strings without a zone. Defaults to `UTC`.
   */
  readonly timeZone?: string;
  /** Template task for publishing without a login. */
  readonly template?: DinkyTemplate;
  /** Settings of tasks created through `/api`. */
  readonly taskDefaults?: DinkyTaskDefaults;
  /**
   * How throughput is measured: `counters` (records between two status calls), `rate` (Flink's
   * `numRecordsOutPerSecond`), or `auto` (counters once two samples exist, the rate before). Needs a
   * login; without one throughput is null. Defaults to `auto`.
   */
  readonly throughput?: 'auto' | 'counters' | 'rate';
  /** Clock in epoch ms (tests inject one). Defaults to `Date.now`. */
  readonly now?: () => number;
  /**
   * How long `stop` waits, in milliseconds, for Dinky to show the job in a terminal state after
   * the cancel (Dinky writes a job's row about every 5 s; 0.7 never refreshes it on cancel, and
   * 1.x's forced refresh right after the cancel catches Flink mid-cancel). With a login the engine
   * forces a refresh first. Defaults to 30 000; `stop` throws `STOP_NOT_CONFIRMED` after it.
   */
  readonly stopTimeoutMs?: number;
  /** Milliseconds between two status reads while `stop` waits. Defaults to 2 000. */
  readonly stopPollMs?: number;
  /**
   * @deprecated Use `stopTimeoutMs` and `stopPollMs`; `attempts × intervalMs` is read as the
   * timeout when `stopTimeoutMs` is not set.
   */
  readonly stopSettle?: { readonly attempts?: number; readonly intervalMs?: number };
  /** Token shared by replicas using one Dinky login (when no `client` is given). */
  readonly tokenStore?: DinkyClientConfig['tokenStore'];
  /** Waits `ms` milliseconds (tests inject one that moves a fake clock). Defaults to a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * What the engine stores in a task's `engineRef`.
 *
 * @example
 * ```ts
 * const ref: DinkyEngineRef = { mode: 'managed', dinkyTaskId: 12, jobInstanceId: 7 };
 * ```
 */
export interface DinkyEngineRef {
  /** `managed`: a Dinky task per portal task (via login); `template`: a shared template task. */
  readonly mode: 'managed' | 'template';
  /** The Dinky task id submitted. */
  readonly dinkyTaskId: number;
  /** The Dinky task name (managed mode). */
  readonly dinkyTaskName?: string;
  /** The job instance of the last start (the poller's external run id). */
  readonly jobInstanceId?: number;
  /** The Flink job id of the last start. */
  readonly jobId?: string;
  /** The Dinky version line at publish time. */
  readonly dinkyVersion?: string | null;
}

/**
 * A stream engine on Dinky, with its client.
 *
 * @example
 * ```ts
 * const engine: DinkyEngine = createDinkyEngine({ url: 'http://dinky:8888' });
 * await engine.client.version();
 * ```
 */
export interface DinkyEngine extends StreamEngine {
  /** The client the engine uses (for lineage and diagnostics). */
  readonly client: DinkyClient;
}

const TRANSITIONAL = [
  'INITIALIZING',
  'CREATED',
  'RESTARTING',
  'RECONCILING',
  'RECONNECTING',
  'FAILING',
  'CANCELLING',
  'SUSPENDED',
];
const DONE = ['FAILED', 'CANCELED', 'FINISHED', 'UNKNOWN'];

/**
 * Maps a Dinky job status to the portal's stream state: RUNNING → running; INITIALIZING, CREATED,
 * RESTARTING, RECONCILING, RECONNECTING, FAILING, CANCELLING, SUSPENDED → starting (transitional);
 * FINISHED → finished; CANCELED → stopped; FAILED → failed; UNKNOWN and anything else → unknown.
 *
 * @param status - Dinky's `JobInstance.status` (case-insensitive)
 * @returns the portal state
 * @example
 * ```ts
 * mapDinkyJobStatus('RECONNECTING'); // 'starting'
 * mapDinkyJobStatus('CANCELED'); // 'stopped'
 * ```
 */
export function mapDinkyJobStatus(status: string | null | undefined): StreamState {
  const s = (status ?? '').toUpperCase();
  if (s === 'RUNNING') return 'running';
  if (TRANSITIONAL.includes(s)) return 'starting';
  if (s === 'FINISHED') return 'finished';
  if (s === 'CANCELED') return 'stopped';
  if (s === 'FAILED') return 'failed';
  return 'unknown';
}

/**
 * Whether Dinky considers a job status done (it stops monitoring the job).
 *
 * @param status - Dinky's job status
 * @returns true for FAILED, CANCELED, FINISHED and UNKNOWN
 * @example
 * ```ts
 * isDinkyJobDone('UNKNOWN'); // true
 * ```
 */
export function isDinkyJobDone(status: string | null | undefined): boolean {
  return DONE.includes((status ?? '').toUpperCase());
}

/**
 * The statements of a portal stream task in the order they run: pre-statements, the SQL, then
 * post-statements, each split on `;` (quote-aware).
 *
 * @param task - the portal task
 * @returns the statements, trimmed, without terminators
 * @example
 * ```ts
 * taskStatements(task); // ["SET 'pipeline.name' = 'x'", 'INSERT INTO sink SELECT * FROM src']
 * ```
 */
export function taskStatements(
  task: Pick<Task, 'sql' | 'preStatements' | 'postStatements'>,
): string[] {
  return [...task.preStatements, task.sql, ...task.postStatements].flatMap((s) =>
    splitSqlStatements(s),
  );
}

/**
 * Reads the engine's part of a task's `engineRef`.
 *
 * @param ref - the task's engine reference
 * @returns the Dinky reference, or null when the task was never published to Dinky
 * @example
 * ```ts
 * readDinkyEngineRef({ mode: 'template', dinkyTaskId: 3 })?.dinkyTaskId; // 3
 * ```
 */
export function readDinkyEngineRef(ref: EngineRef | null | undefined): DinkyEngineRef | null {
  if (!ref) return null;
  const id = ref['dinkyTaskId'];
  if (typeof id !== 'number') return null;
  const mode = ref['mode'] === 'template' ? 'template' : 'managed';
  const out: {
    mode: 'managed' | 'template';
    dinkyTaskId: number;
    dinkyTaskName?: string;
    jobInstanceId?: number;
    jobId?: string;
    dinkyVersion?: string | null;
  } = { mode, dinkyTaskId: id };
  if (typeof ref['dinkyTaskName'] === 'string') out.dinkyTaskName = ref['dinkyTaskName'];
  if (typeof ref['jobInstanceId'] === 'number') out.jobInstanceId = ref['jobInstanceId'];
  if (typeof ref['jobId'] === 'string') out.jobId = ref['jobId'];
  if (typeof ref['dinkyVersion'] === 'string' || ref['dinkyVersion'] === null) {
    out.dinkyVersion = ref['dinkyVersion'] as string | null;
  }
  return out;
}

function signalOf(options: EngineCallOptions | undefined): { signal?: AbortSignal } {
  return options?.signal ? { signal: options.signal } : {};
}

/**
 * Reads a Dinky wall-clock time; times before 1971 are null (Dinky shows a running job's
 * `finishTime` as epoch −1 ms in its zone).
 */
function dinkyTime(text: string | null | undefined, zone: string): Date | null {
  const d = parseWallClock(text, zone);
  return d && d.getTime() >= Date.UTC(1971, 0, 1) ? d : null;
}

/**
 * Creates a `StreamEngine` (from `@dataportal/sdk`) that runs the portal's Flink SQL stream tasks
 * on Dinky.
 *
 * - `publish` (when a login/token or a template is configured): with a login, creates or updates a
 *   Dinky task named `<namePrefix><task name>` holding the task's SQL (taking it offline to edit
 *   and publishing again); with only a template, checks the template and binds the task to it.
 * - `start`: refuses while a job of the task is running (Dinky would start a second one), submits
 *   (template mode: each statement as a variable), stores the job instance id in the `engineRef`.
 * - `stop`: cancels (optionally with a savepoint) with `forceCancel=false`, refusing when the Dinky
 *   task's current job is not the portal's; `restart`: Dinky's restart (managed) or a
 *   cancel-with-savepoint plus a submit from it (template).
 * - `status`: Dinky's state mapped to the portal's, uptime from the job's start time (read in the
 *   configured server zone, or Flink's epoch start time with a login), throughput from two samples
 *   of the source vertices' record counters or Flink's rate metric, and the last error.
 *
 * @param config - client or connection settings, server time zone, template, task defaults
 * @returns the engine
 * @throws {@link DinkyError} `INVALID_ARGUMENT` for an unknown time zone or missing URL
 * @example
 * ```ts
 * const engine = createDinkyEngine({
 *   url: 'http://dinky:8888',
 *   login: { username: 'dataportal', password: process.env.DINKY_PASSWORD ?? '' },
 *   timeZone: 'Asia/Shanghai',
 * });
 * const started = await engine.start(task);
 * const status = await engine.status({ ...task, engineRef: started.engineRef });
 * console.log(status.state, status.uptimeMs, status.throughput);
 * ```
 */
export function createDinkyEngine(config: DinkyEngineConfig): DinkyEngine {
  const zone = config.timeZone ?? 'UTC';
  if (!isValidTimeZone(zone)) {
    throw new DinkyError('INVALID_ARGUMENT', `dinky: unknown time zone ${zone}`);
  }
  let client: DinkyClient;
  if (config.client) {
    client = config.client;
  } else {
    if (!config.url)
      throw new DinkyError('INVALID_ARGUMENT', 'dinky: engine needs a url or a client');
    client = new DinkyClient({
      url: config.url,
      ...(config.token === undefined ? {} : { token: config.token }),
      ...(config.login === undefined ? {} : { login: config.login }),
      ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
      ...(config.version === undefined ? {} : { version: config.version }),
      ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
      ...(config.tokenStore === undefined ? {} : { tokenStore: config.tokenStore }),
      ...(config.now === undefined ? {} : { now: config.now }),
    });
  }
  const now = config.now ?? Date.now;
  const template = config.template;
  const slots = template?.slots ?? 20;
  const prefix = template?.prefix ?? 'dp_sql_';
  const defaults = config.taskDefaults ?? {};
  const throughputMode = config.throughput ?? 'auto';
  const meter = createThroughputMeter(client, throughputMode);
  const managed = client.canUseApi;
  const stopPollMs = config.stopPollMs ?? config.stopSettle?.intervalMs ?? 2000;
  const stopTimeoutMs =
    config.stopTimeoutMs ??
    (config.stopSettle ? (config.stopSettle.attempts ?? 6) * stopPollMs : 30_000);
  const sleep =
    config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const capabilities: StreamEngineCapabilities = {
    savepoint: true,
    restart: true,
    publish: managed || template !== undefined,
  };

  const dinkyName = (task: Task): string => `${defaults.namePrefix ?? 'dataportal_'}${task.name}`;

  const templateVariables = (task: Task): Record<string, string> => {
    const statements = taskStatements(task);
    if (statements.length > slots) {
      throw new DinkyError(
        'INVALID_ARGUMENT',
        `dinky: task ${task.name} has ${statements.length} statements but the template has ${slots} slots`,
        { details: { statements: statements.length, slots } },
      );
    }
    const vars: Record<string, string> = {};
    for (let i = 0; i < slots; i++) vars[`${prefix}${i + 1}`] = statements[i] ?? '';
    return vars;
  };

  const refOf = (task: Task): DinkyEngineRef => {
    const ref = readDinkyEngineRef(task.engineRef);
    if (ref) return ref;
    if (template && !managed) return { mode: 'template', dinkyTaskId: template.taskId };
    throw new DinkyError('NOT_FOUND', `dinky: task ${task.name} is not published to dinky`, {
      details: { task: task.id },
    });
  };

  const publish = async (task: Task, options?: EngineCallOptions): Promise<EngineRef> => {
    const v = await client.version(signalOf(options));
    const previous = readDinkyEngineRef(task.engineRef);
    if (managed) {
      const name = dinkyName(task);
      let id = previous?.mode === 'managed' ? previous.dinkyTaskId : undefined;
      if (id === undefined) {
        const found = await client.findTaskByName(name, signalOf(options));
        if (found && typeof found.taskId === 'number') id = found.taskId;
      }
      const saved = await client.saveTaskSql(
        {
          ...(id === undefined ? {} : { id }),
          name,
          statement: `${taskStatements(task).join(';\n')};`,
          note: `DataPortal task ${task.id}${task.description ? `: ${task.description}` : ''}`.slice(
            0,
            500,
          ),
          publish: true,
          ...(defaults.folderId === undefined ? {} : { parentId: defaults.folderId }),
          ...(defaults.runMode === undefined ? {} : { runMode: defaults.runMode }),
          ...(defaults.clusterId === undefined ? {} : { clusterId: defaults.clusterId }),
          ...(defaults.clusterConfigurationId === undefined
            ? {}
            : { clusterConfigurationId: defaults.clusterConfigurationId }),
          ...(defaults.parallelism === undefined ? {} : { parallelism: defaults.parallelism }),
          ...(defaults.envId === undefined ? {} : { envId: defaults.envId }),
        },
        signalOf(options),
      );
      return {
        ...(task.engineRef ?? {}),
        mode: 'managed',
        dinkyTaskId: saved.taskId,
        dinkyTaskName: name,
        dinkyVersion: v.raw,
      };
    }
    if (!template) {
      throw new DinkyError(
        'NOT_SUPPORTED',
        'dinky: publishing needs a login, a token or a template',
      );
    }
    if (v.legacy) {
      throw new DinkyError(
        'NOT_SUPPORTED',
        'dinky: template publishing needs Dinky 1.x (0.7 submits without variables)',
      );
    }
    templateVariables(task);
    // Proves the template exists (unknown ids answer engine code 1).
    await client.exportSql(template.taskId, signalOf(options));
    return {
      ...(task.engineRef ?? {}),
      mode: 'template',
      dinkyTaskId: template.taskId,
      dinkyVersion: v.raw,
    };
  };

  const assertNotRunning = async (
    task: Task,
    ref: DinkyEngineRef,
    options?: EngineCallOptions,
  ): Promise<void> => {
    const candidates: (DinkyJobInstance | null)[] = [];
    if (ref.jobInstanceId !== undefined) {
      candidates.push(await client.getJobInstance(ref.jobInstanceId, signalOf(options)));
    }
    // A managed task may also have been started from Dinky's UI; a shared template's latest job
    // belongs to whichever portal task started it, so only the portal's own instance counts there.
    if (ref.mode === 'managed') {
      candidates.push(await client.getLatestJobInstance(ref.dinkyTaskId, signalOf(options)));
    }
    const running = candidates.find((i) => i && !isDinkyJobDone(i.status));
    if (running) {
      throw new DinkyError(
        'ALREADY_RUNNING',
        `dinky: task ${task.name} already has job instance ${running.id} in state ${running.status ?? 'null'}`,
        { details: { task: task.id, jobInstanceId: running.id, status: running.status ?? null } },
      );
    }
  };

  const startResult = (
    task: Task,
    ref: DinkyEngineRef,
    jobInstanceId: number | null | undefined,
    jobId: string | null | undefined,
  ): StreamStartResult => {
    if (typeof jobInstanceId !== 'number') {
      throw new DinkyError(
        'INVALID_RESPONSE',
        `dinky: submit of task ${task.name} answered no job instance id`,
      );
    }
    const engineRef: EngineRef = {
      ...(task.engineRef ?? {}),
      mode: ref.mode,
      dinkyTaskId: ref.dinkyTaskId,
      jobInstanceId,
    };
    if (jobId) engineRef['jobId'] = jobId;
    else delete engineRef['jobId'];
    return { externalRunId: String(jobInstanceId), engineRef };
  };

  const start = async (task: Task, options?: EngineCallOptions): Promise<StreamStartResult> => {
    const ref = refOf(task);
    await assertNotRunning(task, ref, options);
    const result = await client.submitTask(
      ref.dinkyTaskId,
      ref.mode === 'template' ? { variables: templateVariables(task) } : {},
      signalOf(options),
    );
    return startResult(task, ref, result.jobInstanceId, result.jobId);
  };

  /** The portal's current instance, refusing when the Dinky task's current job is someone else's. */
  const ownInstance = async (
    task: Task,
    ref: DinkyEngineRef,
    options?: EngineCallOptions,
  ): Promise<DinkyJobInstance> => {
    if (ref.jobInstanceId === undefined) {
      throw new DinkyError('NOT_FOUND', `dinky: task ${task.name} has no job to act on`, {
        details: { task: task.id },
      });
    }
    const latest = await client.getLatestJobInstance(ref.dinkyTaskId, signalOf(options));
    if (!latest) {
      throw new DinkyError(
        'NOT_FOUND',
        `dinky: job instance ${ref.jobInstanceId} of task ${task.name} no longer exists`,
        { details: { task: task.id, jobInstanceId: ref.jobInstanceId } },
      );
    }
    if (latest.id !== ref.jobInstanceId) {
      throw new DinkyError(
        'INSTANCE_MISMATCH',
        `dinky: dinky task ${ref.dinkyTaskId} now runs job instance ${latest.id}, not the portal's ${ref.jobInstanceId}`,
        { details: { task: task.id, expected: ref.jobInstanceId, actual: latest.id } },
      );
    }
    return latest;
  };

  const statusOfInstance = async (
    ref: DinkyEngineRef,
    instanceId: number,
    options?: EngineCallOptions,
  ): Promise<StreamStatus> => {
    const inst = await client.getJobInstance(instanceId, signalOf(options));
    if (!inst) {
      meter.forget(instanceId);
      return {
        state: 'failed',
        engineState: null,
        externalRunId: String(instanceId),
        startedAt: null,
        uptimeMs: null,
        throughput: null,
        lastError: `job instance ${instanceId} of dinky task ${ref.dinkyTaskId} vanished from dinky`,
      };
    }
    const state = mapDinkyJobStatus(inst.status);
    let startedAt = dinkyTime(inst.createTime, zone);
    let endedAt = isDinkyJobDone(inst.status) ? dinkyTime(inst.finishTime, zone) : null;
    let throughput: number | null = null;
    let lastError = truncateEngineText(inst.error, 2000);
    if (client.canUseApi && (state === 'running' || state === 'starting')) {
      let detail: DinkyJobInfoDetail | null = null;
      try {
        detail = await client.getJobDetail(instanceId, {}, signalOf(options));
      } catch (err) {
        // Metrics are a bonus: the OpenAPI status stands without them.
        if (err instanceof DinkyError && err.code === 'ABORTED') throw err;
      }
      const job = detail?.jobDataDto?.job;
      if (job && detail) {
        const flinkStart = job['start-time'];
        if (typeof flinkStart === 'number' && flinkStart > 0) startedAt = new Date(flinkStart);
        const flinkEnd = job['end-time'];
        if (typeof flinkEnd === 'number' && flinkEnd > 0) endedAt = new Date(flinkEnd);
        if (state === 'running') {
          throughput = await meter.measure(instanceId, detail, job.now ?? now(), signalOf(options));
        }
      }
      if (!lastError && detail?.jobDataDto?.errorMsg) {
        lastError = truncateEngineText(detail.jobDataDto.errorMsg, 2000);
      }
    }
    if (isDinkyJobDone(inst.status)) meter.forget(instanceId);
    const engineState = (inst.status ?? '').toUpperCase();
    let uptimeMs: number | null = null;
    if (startedAt && isDinkyJobDone(engineState)) {
      uptimeMs = endedAt
        ? Math.max(0, endedAt.getTime() - startedAt.getTime())
        : (inst.duration ?? null);
    } else if (startedAt && engineState !== 'INITIALIZING' && engineState !== 'CREATED') {
      uptimeMs = Math.max(0, now() - startedAt.getTime());
    }
    return {
      state,
      engineState: inst.status ?? null,
      externalRunId: String(inst.id),
      startedAt,
      uptimeMs,
      throughput,
      lastError:
        state === 'failed' || state === 'unknown' || state === 'starting' ? lastError : null,
    };
  };

  const stop = async (
    task: Task,
    stopOptions: { readonly savepoint?: boolean } = {},
    options?: EngineCallOptions,
  ): Promise<StreamStatus> => {
    const ref = refOf(task);
    if (ref.jobInstanceId === undefined) {
      throw new DinkyError('NOT_FOUND', `dinky: task ${task.name} has no job to stop`, {
        details: { task: task.id },
      });
    }
    const own = await client.getJobInstance(ref.jobInstanceId, signalOf(options));
    if (!own || isDinkyJobDone(own.status)) {
      return statusOfInstance(ref, ref.jobInstanceId, options);
    }
    await ownInstance(task, ref, options);
    const v = await client.version(signalOf(options));
    const details = { task: task.id, jobInstanceId: ref.jobInstanceId };
    if (stopOptions.savepoint === true && !v.legacy) {
      // Not /openapi/cancel?withSavePoint=true: Dinky falls back to a plain cancel when the
      // savepoint fails and still answers true. savepointTask fails loudly and names the path.
      const sp = await client.savepointTask(ref.dinkyTaskId, 'cancel', signalOf(options));
      const path = sp.jobInfos?.find((j) => j.savePoint)?.savePoint;
      if (sp.success === false || sp.isSuccess === false || !path) {
        throw new DinkyError(
          'SAVEPOINT_FAILED',
          `dinky: savepoint of task ${task.name} reported no savepoint path`,
          { engineMessage: sp.error ?? sp.exceptionMsg ?? null, details },
        );
      }
    } else {
      // 1.x answers whether a cancel went through (false: Flink refused it, and the fallback
      // plain cancel too); 0.7 answers Flink's cancel, or for `cancel` whether a savepoint came back.
      const accepted = await client.cancelTask(
        ref.dinkyTaskId,
        { withSavepoint: stopOptions.savepoint === true, forceCancel: false },
        signalOf(options),
      );
      if (!accepted) {
        const savepoint = stopOptions.savepoint === true;
        throw new DinkyError(
          savepoint ? 'SAVEPOINT_FAILED' : 'STOP_FAILED',
          `dinky: ${savepoint ? 'cancel with savepoint' : 'cancel'} of task ${task.name} answered false; the job still runs`,
          { details },
        );
      }
    }
    await confirmStop(task, ref.jobInstanceId, options);
    const after = await statusOfInstance(ref, ref.jobInstanceId, options);
    if (after.engineState?.toUpperCase() === 'UNKNOWN') {
      return {
        ...after,
        lastError: 'dinky marked the job UNKNOWN without confirming the cancel with flink',
      };
    }
    return after;
  };

  /**
   * Polls until Dinky's instance row shows the job ended, for at most `stopTimeoutMs`. Dinky
   * refreshes a running job about every 5 s (`job/FlinkJobTask.java`); 0.7 does not refresh it
   * on cancel at all; 1.x refreshes right after the cancel, when Flink is still CANCELLING. With a
   * login the engine first forces a refresh (`refreshJobInfoDetail?isForce=true`).
   */
  const confirmStop = async (
    task: Task,
    instanceId: number,
    options?: EngineCallOptions,
  ): Promise<void> => {
    if (client.canUseApi) {
      try {
        await client.getJobDetail(instanceId, { force: true }, signalOf(options));
      } catch (err) {
        if (err instanceof DinkyError && err.code === 'ABORTED') throw err;
      }
    }
    const deadline = now() + stopTimeoutMs;
    // Bounded by reads too, so a clock that does not move cannot make this loop forever.
    const reads = Math.ceil(stopTimeoutMs / Math.max(1, stopPollMs)) + 1;
    let last: string | null = null;
    for (let i = 0; i < reads; i++) {
      const inst = await client.getJobInstance(instanceId, signalOf(options));
      if (!inst || isDinkyJobDone(inst.status)) return;
      last = inst.status ?? null;
      const left = deadline - now();
      if (left <= 0) break;
      await sleep(Math.min(stopPollMs, left));
    }
    throw new DinkyError(
      'STOP_NOT_CONFIRMED',
      `dinky: the stop of task ${task.name} was accepted but job instance ${instanceId} still reads ${last ?? 'null'} after ${stopTimeoutMs} ms`,
      { details: { task: task.id, jobInstanceId: instanceId, status: last } },
    );
  };

  const restart = async (task: Task, options?: EngineCallOptions): Promise<StreamStartResult> => {
    const ref = refOf(task);
    if (ref.jobInstanceId === undefined) return start(task, options);
    const own = await client.getJobInstance(ref.jobInstanceId, signalOf(options));
    if (!own || isDinkyJobDone(own.status)) return start(task, options);
    await ownInstance(task, ref, options);
    if (ref.mode === 'template') {
      // Dinky's restart resubmits without variables, which would run the bare template.
      const sp = await client.savepointTask(ref.dinkyTaskId, 'cancel', signalOf(options));
      const path = sp.jobInfos?.find((j) => j.savePoint)?.savePoint ?? undefined;
      const result = await client.submitTask(
        ref.dinkyTaskId,
        { variables: templateVariables(task), ...(path ? { savePointPath: path } : {}) },
        signalOf(options),
      );
      return {
        ...startResult(task, ref, result.jobInstanceId, result.jobId),
        savepointPath: path ?? null,
      };
    }
    const result = await client.restartTask(ref.dinkyTaskId, {}, signalOf(options));
    let id = result?.jobInstanceId ?? null;
    let jid = result?.jobId ?? null;
    if (id === null) {
      const latest = await client.getLatestJobInstance(ref.dinkyTaskId, signalOf(options));
      id = latest && latest.id !== ref.jobInstanceId ? latest.id : null;
      jid = latest?.jid ?? null;
    }
    // Dinky's restart stops with a savepoint and submits from it (`TaskServiceImpl.restartTask`).
    return { ...startResult(task, ref, id, jid), savepointPath: result?.savePointPath ?? null };
  };

  const status = async (task: Task, options?: EngineCallOptions): Promise<StreamStatus> => {
    const ref = readDinkyEngineRef(task.engineRef);
    if (!ref || ref.jobInstanceId === undefined) {
      return {
        state: 'stopped',
        engineState: null,
        externalRunId: null,
        startedAt: null,
        uptimeMs: null,
        throughput: null,
        lastError: null,
      };
    }
    return statusOfInstance(ref, ref.jobInstanceId, options);
  };

  const engine: {
    -readonly [K in keyof DinkyEngine]: DinkyEngine[K];
  } = {
    name: 'dinky',
    client,
    capabilities,
    start,
    stop,
    restart,
    status,
    ping: async (options?: EngineCallOptions) => {
      await client.ping(signalOf(options));
    },
  };
  if (capabilities.publish) engine.publish = publish;
  return engine;
}
