import ky, { HTTPError, isKyError, NetworkError, TimeoutError } from 'ky';
import { type ZodType, z } from 'zod';
import { codeForEngineCode, DinkyError, type DinkyErrorCode, truncateEngineText } from './errors';
import {
  type DinkyCatalogue,
  DinkyCatalogueSchema,
  DinkyEnvelopeSchema,
  type DinkyJobInfoDetail,
  DinkyJobInfoDetailSchema,
  type DinkyJobInstance,
  DinkyJobInstanceSchema,
  type DinkyJobResult,
  DinkyJobResultSchema,
  type DinkyLineage,
  DinkyLineageSchema,
  type DinkySavepointResult,
  DinkySavepointResultSchema,
  type DinkyTask,
  DinkyTaskSchema,
  type FlinkMetric,
  FlinkMetricSchema,
} from './schemas';

/**
 * Login settings for Dinky's `/api/**` endpoints (task editing, job detail with metrics).
 *
 * @example
 * ```ts
 * const login: DinkyLogin = { username: 'dataportal', password: 'secret', tenantId: 1 };
 * ```
 */
export interface DinkyLogin {
  /** Dinky user name. Use a dedicated account: a login kicks out that user's other sessions. */
  readonly username: string;
  /** The user's password. Never logged. */
  readonly password: string;
  /** Tenant to choose after login. Defaults to 1 (Dinky's default tenant). */
  readonly tenantId?: number;
}

/**
 * Retry policy for idempotent reads. Mutations (submit, cancel, restart) are never retried.
 *
 * @example
 * ```ts
 * const retry: DinkyRetry = { limit: 3, delayMs: 500 };
 * ```
 */
export interface DinkyRetry {
  /** Retries after the first attempt. Defaults to 2. */
  readonly limit?: number;
  /** Delay between attempts in milliseconds. Defaults to 300. */
  readonly delayMs?: number;
}

/**
 * Configuration of a {@link DinkyClient}.
 *
 * @example
 * ```ts
 * const config: DinkyClientConfig = { url: 'http://dinky:8888', timeoutMs: 10_000 };
 * ```
 */
export interface DinkyClientConfig {
  /** Dinky's base URL, e.g. `http://dinky:8888`. */
  readonly url: string;
  /**
   * A ready token for `/api/**` (sent in the version's token header) instead of a login. Dinky
   * does not check tokens on `/openapi/**` (every OpenAPI call runs as admin), so a token alone
   * does not protect anything: keep Dinky on a private network.
   */
  readonly token?: string;
  /** Login for `/api/**`; used when no token is given or the token expires. */
  readonly login?: DinkyLogin;
  /** Tenant cookie sent on `/api/**` calls when a token is given. Defaults to 1. */
  readonly tenantId?: number;
  /** Skip the version probe: `'0.7'`, `'1.1.0'`, `'1.2.0'`… */
  readonly version?: string;
  /** The `fetch` to use (tests pass a fake, apps add tracing). Defaults to the global one. */
  readonly fetch?: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
  /** Per-attempt timeout in milliseconds. Defaults to 30 000. */
  readonly timeoutMs?: number;
  /** Timeout of `restartTask`, which can take 20+ seconds on Dinky's side. Defaults to 120 000. */
  readonly restartTimeoutMs?: number;
  /** Retry policy for reads. */
  readonly retry?: DinkyRetry;
}

/**
 * Options for one client call.
 *
 * @example
 * ```ts
 * await client.getJobInstance(7, { signal: AbortSignal.timeout(5000) });
 * ```
 */
export interface DinkyCallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal;
}

/**
 * The Dinky version line the client talks to.
 *
 * @example
 * ```ts
 * const v: DinkyVersion = await client.version();
 * ```
 */
export interface DinkyVersion {
  /** What `/openapi/version` said, or null when it does not exist (0.7). */
  readonly raw: string | null;
  /** Major version (0 for 0.7). */
  readonly major: number;
  /** Minor version. */
  readonly minor: number;
  /** True for 0.7.x: `datas` envelope, GET submit, no `exportSql`. */
  readonly legacy: boolean;
  /** Header (and cookie) carrying the login token: `satoken`, `token` (≤1.1) or `dinky-token` (1.2+). */
  readonly tokenName: 'satoken' | 'token' | 'dinky-token';
}

/**
 * Savepoint types Dinky knows. Unknown types would silently trigger a savepoint, so none are sent.
 *
 * @example
 * ```ts
 * const type: DinkySavepointType = 'stop';
 * ```
 */
export type DinkySavepointType = 'trigger' | 'dispose' | 'stop' | 'cancel';

const SAVEPOINT_TYPES: readonly DinkySavepointType[] = ['trigger', 'dispose', 'stop', 'cancel'];

/**
 * Options of {@link DinkyClient.submitTask}.
 *
 * @example
 * ```ts
 * const submit: DinkySubmitOptions = { variables: { dp_sql_1: 'INSERT INTO t SELECT 1' } };
 * ```
 */
export interface DinkySubmitOptions {
  /** Variables merged over Dinky's global variables; substituted only when the task has `fragment` on. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Start from this savepoint (the task's strategy becomes CUSTOM). */
  readonly savePointPath?: string;
}

/**
 * Options of {@link DinkyClient.cancelTask}.
 *
 * @example
 * ```ts
 * const cancel: DinkyCancelOptions = { withSavepoint: true };
 * ```
 */
export interface DinkyCancelOptions {
  /** Cancel with a savepoint (Flink cancel-with-savepoint). Defaults to false. */
  readonly withSavepoint?: boolean;
  /**
   * Let Dinky mark the instance UNKNOWN and answer `true` when it cannot reach the cluster,
   * without stopping anything. Defaults to false (Dinky's own default is true).
   */
  readonly forceCancel?: boolean;
}

/**
 * Fields of a task to create or update through `/api` ({@link DinkyClient.saveTaskSql}).
 *
 * @example
 * ```ts
 * const input: DinkyTaskSqlInput = { name: 'orders_agg', statement: 'INSERT INTO t SELECT 1', runMode: 'standalone', clusterId: 1 };
 * ```
 */
export interface DinkyTaskSqlInput {
  /** Existing Dinky task id; omitted to create one. */
  readonly id?: number;
  /** Task name, unique among catalogue nodes. */
  readonly name: string;
  /** The Flink SQL. */
  readonly statement: string;
  /** Catalogue folder for a new task. Defaults to 0 (the root). */
  readonly parentId?: number;
  /** Dialect of a new task. Defaults to `FlinkSql`. */
  readonly dialect?: string;
  /** Note shown in Dinky. */
  readonly note?: string;
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
  /** Enable `${var}` substitution. */
  readonly fragment?: boolean;
  /** Publish (lifecycle PUBLISH) after saving. Defaults to: publish again if it was published. */
  readonly publish?: boolean;
}

/**
 * The outcome of {@link DinkyClient.saveTaskSql}.
 *
 * @example
 * ```ts
 * const saved: DinkyTaskSqlResult = await client.saveTaskSql({ name: 'orders_agg', statement: 'INSERT INTO t SELECT 1' });
 * ```
 */
export interface DinkyTaskSqlResult {
  /** The Dinky task id. */
  readonly taskId: number;
  /** The catalogue node id, when the task was created by this call. */
  readonly catalogueId: number | null;
  /** Whether the task was created by this call. */
  readonly created: boolean;
  /** Whether the task is published after the call. */
  readonly published: boolean;
}

/**
 * Dinky's task lifecycle in 1.x.
 *
 * @example
 * ```ts
 * await client.setTaskLifeCycle(12, 'publish' satisfies DinkyLifeCycle);
 * ```
 */
export type DinkyLifeCycle = 'develop' | 'publish';

interface CallSpec<T> {
  readonly op: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly json?: unknown;
  readonly schema: ZodType<T>;
  readonly api?: boolean;
  readonly retry?: boolean;
  readonly timeoutMs?: number;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal | undefined;
}

const NullableString = z.string().nullish();
const Bool = z.boolean().nullish();

function parseVersion(raw: string | null): DinkyVersion {
  if (raw === null || raw === '0.7' || /^0\./.test(raw)) {
    return { raw, major: 0, minor: 7, legacy: true, tokenName: 'satoken' };
  }
  const m = /^(\d+)\.(\d+)/.exec(raw);
  const major = m ? Number(m[1]) : 1;
  const minor = m ? Number(m[2]) : 0;
  const newToken = major > 1 || (major === 1 && minor >= 2);
  return { raw, major, minor, legacy: false, tokenName: newToken ? 'dinky-token' : 'token' };
}

function describe(context: Readonly<Record<string, unknown>> | undefined): string {
  if (!context) return '';
  const parts = Object.entries(context)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function firstLine(data: unknown): string | null {
  if (typeof data !== 'string') return null;
  return data.split('\n', 1)[0] ?? null;
}

/**
 * A typed client of Dinky's OpenAPI (`/openapi/**`, no login in 1.x) and of the few login-based
 * `/api/**` calls the portal needs (task SQL, job detail with vertex metrics). Handles the 1.x and
 * 0.7 envelopes, the version-specific verbs and token header, and turns every failure into a
 * {@link DinkyError}. Nothing portal-specific lives here.
 *
 * @example
 * ```ts
 * const client = new DinkyClient({ url: 'http://dinky:8888' });
 * const result = await client.submitTask(12, { variables: { bizdate: '20240101' } });
 * const instance = await client.getJobInstance(result.jobInstanceId ?? 0);
 * console.log(instance?.status);
 * ```
 */
export class DinkyClient {
  readonly #config: DinkyClientConfig;
  readonly #http: typeof ky;
  #version: DinkyVersion | null;
  #token: string | null;
  #loggingIn: Promise<string> | null = null;

  /**
   * @param config - base URL, optional token or login, fetch, timeouts
   * @throws {@link DinkyError} `INVALID_ARGUMENT` when the URL is not absolute http(s)
   */
  constructor(config: DinkyClientConfig) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch (err) {
      throw new DinkyError('INVALID_ARGUMENT', `dinky: invalid base url ${config.url}`, {
        cause: err,
      });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DinkyError('INVALID_ARGUMENT', `dinky: base url must be http(s): ${url.origin}`);
    }
    this.#config = config;
    this.#version = config.version === undefined ? null : parseVersion(config.version);
    this.#token = config.token ?? null;
    this.#http = ky.create({
      prefix: url.href,
      timeout: config.timeoutMs ?? 30_000,
      retry: 0,
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
  }

  /** Whether `/api/**` calls can be made (a token or a login is configured). */
  get canUseApi(): boolean {
    return this.#token !== null || this.#config.login !== undefined;
  }

  /**
   * Probes the version once (`GET /openapi/version`); a missing endpoint or a non-envelope answer
   * means 0.7, as DolphinScheduler's Dinky plugin also assumes.
   *
   * @param options - abort signal
   * @returns the version line
   * @throws {@link DinkyError} `NETWORK_ERROR`, `TIMEOUT`, `ABORTED` (those never mean 0.7)
   * @example
   * ```ts
   * const v = await client.version();
   * if (v.legacy) console.log('Dinky 0.7');
   * ```
   */
  async version(options: DinkyCallOptions = {}): Promise<DinkyVersion> {
    if (this.#version) return this.#version;
    let raw: string | null = null;
    try {
      raw = await this.#request({
        op: 'version',
        method: 'GET',
        path: 'openapi/version',
        schema: z.string(),
        retry: true,
        signal: options.signal,
        legacy: false,
      });
    } catch (err) {
      if (err instanceof DinkyError && ['NETWORK_ERROR', 'TIMEOUT', 'ABORTED'].includes(err.code)) {
        throw err;
      }
      raw = null;
    }
    this.#version = parseVersion(raw);
    return this.#version;
  }

  /**
   * Checks Dinky answers: `GET /openapi/version` (0.7: `GET /openapi/getJobInstance?id=0`).
   *
   * @param options - abort signal
   * @throws {@link DinkyError} `NETWORK_ERROR`, `TIMEOUT`, `HTTP_ERROR` when Dinky is not reachable
   * @example
   * ```ts
   * await client.ping();
   * ```
   */
  async ping(options: DinkyCallOptions = {}): Promise<void> {
    const v = await this.version(options);
    if (v.legacy) {
      await this.getJobInstance(0, options);
      return;
    }
    await this.#request({
      op: 'version',
      method: 'GET',
      path: 'openapi/version',
      schema: z.string(),
      signal: options.signal,
      legacy: false,
    });
  }

  /**
   * Submits (starts) a task. 1.x: `POST /openapi/submitTask {id, variables, savePointPath}`;
   * 0.7: `GET /openapi/submitTask?id=` (variables and savepoint are not supported there).
   * Dinky has no duplicate-submit guard: a second call starts a second Flink job.
   *
   * @param taskId - Dinky task id
   * @param submit - variables and savepoint path
   * @param options - abort signal
   * @returns the submit result with `jobInstanceId` (the handle for status polling)
   * @throws {@link DinkyError} `ENGINE_REJECTED` (unknown task), `ENGINE_EXCEPTION` (the submit
   *   failed; `engineDetail` has the first stack-trace line), `NOT_SUPPORTED` (variables on 0.7)
   * @example
   * ```ts
   * const { jobInstanceId } = await client.submitTask(12, { savePointPath: 'hdfs:///sp/1' });
   * ```
   */
  async submitTask(
    taskId: number,
    submit: DinkySubmitOptions = {},
    options: DinkyCallOptions = {},
  ): Promise<DinkyJobResult> {
    const v = await this.version(options);
    if (v.legacy) {
      if (submit.variables || submit.savePointPath) {
        throw new DinkyError(
          'NOT_SUPPORTED',
          `dinky: submitTask with variables or a savepoint needs Dinky 1.x (task ${taskId})`,
        );
      }
      return this.#call({
        op: 'submitTask',
        method: 'GET',
        path: 'openapi/submitTask',
        query: { id: taskId },
        schema: DinkyJobResultSchema,
        context: { task: taskId },
        signal: options.signal,
      });
    }
    const body: Record<string, unknown> = { id: taskId };
    if (submit.variables) body['variables'] = submit.variables;
    if (submit.savePointPath) body['savePointPath'] = submit.savePointPath;
    return this.#call({
      op: 'submitTask',
      method: 'POST',
      path: 'openapi/submitTask',
      json: body,
      schema: DinkyJobResultSchema,
      context: { task: taskId },
      signal: options.signal,
    });
  }

  /**
   * Cancels the task's current job. 1.x: `GET /openapi/cancel?id=&withSavePoint=&forceCancel=`
   * with `forceCancel=false` unless asked (Dinky's default `true` answers success without
   * contacting Flink when the cluster is unreachable); 0.7: `POST /openapi/savepointTask` with
   * type `canceljob` (plain) or `cancel` (with savepoint). Dinky 1.x silently falls back to a plain
   * cancel when the savepoint fails and still answers `true`: use {@link DinkyClient.savepointTask}
   * with `cancel` when the savepoint matters.
   *
   * @param taskId - Dinky task id
   * @param cancel - savepoint and force flags
   * @param options - abort signal
   * @returns what Dinky answered (`true` for a cancel it believes done)
   * @throws {@link DinkyError} `ENGINE_REJECTED` (no job instance or cluster), `ENGINE_EXCEPTION`
   * @example
   * ```ts
   * await client.cancelTask(12, { withSavepoint: true });
   * ```
   */
  async cancelTask(
    taskId: number,
    cancel: DinkyCancelOptions = {},
    options: DinkyCallOptions = {},
  ): Promise<boolean> {
    const v = await this.version(options);
    if (v.legacy) {
      const r = await this.#call({
        op: 'cancelTask',
        method: 'POST',
        path: 'openapi/savepointTask',
        json: { taskId, type: cancel.withSavepoint ? 'cancel' : 'canceljob' },
        schema: z.unknown(),
        context: { task: taskId },
        signal: options.signal,
      });
      return r !== false;
    }
    const r = await this.#call({
      op: 'cancelTask',
      method: 'GET',
      path: 'openapi/cancel',
      query: {
        id: taskId,
        withSavePoint: cancel.withSavepoint ?? false,
        forceCancel: cancel.forceCancel ?? false,
      },
      schema: Bool,
      context: { task: taskId },
      signal: options.signal,
    });
    return r === true;
  }

  /**
   * Restarts the task: Dinky stops the job (with a savepoint when no path is given, polling up to
   * about 22 s) and submits again. `GET /openapi/restartTask?id=&savePointPath=` (0.7:
   * `restartTask?id=` or `selectSavePointRestartTask?id=&savePointPath=`). Long-running; never
   * retried.
   *
   * @param taskId - Dinky task id
   * @param restart - optional savepoint path to restart from
   * @param options - abort signal
   * @returns the new submit result, or null when Dinky answered without one
   * @throws {@link DinkyError} `ENGINE_EXCEPTION` (e.g. the stop did not finish in time), `TIMEOUT`
   * @example
   * ```ts
   * const r = await client.restartTask(12);
   * console.log(r?.jobInstanceId);
   * ```
   */
  async restartTask(
    taskId: number,
    restart: { readonly savePointPath?: string } = {},
    options: DinkyCallOptions = {},
  ): Promise<DinkyJobResult | null> {
    const v = await this.version(options);
    const timeoutMs = this.#config.restartTimeoutMs ?? 120_000;
    const path =
      v.legacy && restart.savePointPath
        ? 'openapi/selectSavePointRestartTask'
        : 'openapi/restartTask';
    return this.#call({
      op: 'restartTask',
      method: 'GET',
      path,
      query: { id: taskId, savePointPath: restart.savePointPath },
      schema: DinkyJobResultSchema.nullish().transform((r) => r ?? null),
      timeoutMs,
      context: { task: taskId },
      signal: options.signal,
    });
  }

  /**
   * Takes a savepoint of the task's job: `POST /openapi/savepointTask {taskId, type}`. `stop` and
   * `cancel` also end the job.
   *
   * @param taskId - Dinky task id
   * @param type - `trigger`, `dispose`, `stop` or `cancel` (checked here: Dinky would silently
   *   treat an unknown type as `trigger`)
   * @param options - abort signal
   * @returns the savepoint result (0.7 answers only a boolean, returned as an empty result)
   * @throws {@link DinkyError} `INVALID_ARGUMENT` for an unknown type, `ENGINE_REJECTED`, `ENGINE_EXCEPTION`
   * @example
   * ```ts
   * const sp = await client.savepointTask(12, 'trigger');
   * console.log(sp.jobInfos?.[0]?.savePoint);
   * ```
   */
  async savepointTask(
    taskId: number,
    type: DinkySavepointType,
    options: DinkyCallOptions = {},
  ): Promise<DinkySavepointResult> {
    if (!SAVEPOINT_TYPES.includes(type)) {
      throw new DinkyError('INVALID_ARGUMENT', `dinky: unknown savepoint type ${String(type)}`);
    }
    const v = await this.version(options);
    return this.#call({
      op: 'savepointTask',
      method: 'POST',
      path: 'openapi/savepointTask',
      json: { taskId, type },
      schema: v.legacy
        ? z.unknown().transform((): DinkySavepointResult => ({}))
        : DinkySavepointResultSchema,
      context: { task: taskId, type },
      signal: options.signal,
    });
  }

  /**
   * Reads a job instance by its id: `GET /openapi/getJobInstance?id=`.
   *
   * @param instanceId - job instance id (from `JobResult.jobInstanceId`)
   * @param options - abort signal
   * @returns the instance, or null when Dinky has none with that id
   * @example
   * ```ts
   * const inst = await client.getJobInstance(7);
   * ```
   */
  async getJobInstance(
    instanceId: number,
    options: DinkyCallOptions = {},
  ): Promise<DinkyJobInstance | null> {
    return this.#call({
      op: 'getJobInstance',
      method: 'GET',
      path: 'openapi/getJobInstance',
      query: { id: instanceId },
      schema: DinkyJobInstanceSchema.nullish().transform((r) => r ?? null),
      retry: true,
      context: { instance: instanceId },
      signal: options.signal,
    });
  }

  /**
   * Reads the latest job instance of a task (`GET /openapi/getJobInstanceByTaskId?id=`), which may
   * be a finished one from an earlier run: compare its id with the one you submitted.
   *
   * @param taskId - Dinky task id
   * @param options - abort signal
   * @returns the latest instance, or null when the task never ran
   * @example
   * ```ts
   * const latest = await client.getLatestJobInstance(12);
   * ```
   */
  async getLatestJobInstance(
    taskId: number,
    options: DinkyCallOptions = {},
  ): Promise<DinkyJobInstance | null> {
    return this.#call({
      op: 'getJobInstanceByTaskId',
      method: 'GET',
      path: 'openapi/getJobInstanceByTaskId',
      query: { id: taskId },
      schema: DinkyJobInstanceSchema.nullish().transform((r) => r ?? null),
      retry: true,
      context: { task: taskId },
      signal: options.signal,
    });
  }

  /**
   * Reads the full SQL Dinky would submit for a task (env + statement, sensitive variables
   * masked): `GET /openapi/exportSql?id=` (1.x only).
   *
   * @param taskId - Dinky task id
   * @param options - abort signal
   * @returns the SQL
   * @throws {@link DinkyError} `NOT_SUPPORTED` on 0.7, `ENGINE_REJECTED` for an unknown task
   * @example
   * ```ts
   * console.log(await client.exportSql(12));
   * ```
   */
  async exportSql(taskId: number, options: DinkyCallOptions = {}): Promise<string> {
    const v = await this.version(options);
    if (v.legacy) {
      throw new DinkyError('NOT_SUPPORTED', `dinky: exportSql needs Dinky 1.x (task ${taskId})`);
    }
    const sql = await this.#call({
      op: 'exportSql',
      method: 'GET',
      path: 'openapi/exportSql',
      query: { id: taskId },
      schema: NullableString,
      retry: true,
      context: { task: taskId },
      signal: options.signal,
    });
    return sql ?? '';
  }

  /**
   * Reads Dinky's lineage of a task: `GET /openapi/getTaskLineage?id=`. Dinky 1.0–1.2 answers
   * null for Flink SQL tasks (an inverted dialect check); {@link DinkyClient.getJobInstanceLineage}
   * works for them when a login is configured.
   *
   * @param taskId - Dinky task id
   * @param options - abort signal
   * @returns the lineage, or null when Dinky gave none
   * @example
   * ```ts
   * const lineage = await client.getTaskLineage(12);
   * console.log(lineage?.tables.map((t) => t.name));
   * ```
   */
  async getTaskLineage(
    taskId: number,
    options: DinkyCallOptions = {},
  ): Promise<DinkyLineage | null> {
    return this.#call({
      op: 'getTaskLineage',
      method: 'GET',
      path: 'openapi/getTaskLineage',
      query: { id: taskId },
      schema: DinkyLineageSchema.nullish().transform((r) => r ?? null),
      retry: true,
      context: { task: taskId },
      signal: options.signal,
    });
  }

  // ------------------------------------------------------------------ /api (login)

  /**
   * Logs in (`POST /api/login`, then `POST /api/chooseTenant?tenantId=`) and keeps the token from
   * the response header or cookie. Called automatically by `/api` calls, and once more when Dinky
   * answers 401 (expired token, or another login of the same user kicked this one out).
   *
   * @param options - abort signal
   * @throws {@link DinkyError} `NOT_SUPPORTED` without login settings or on 0.7, `UNAUTHORIZED`
   *   when Dinky refuses the credentials or sends no token
   * @example
   * ```ts
   * await client.login();
   * ```
   */
  async login(options: DinkyCallOptions = {}): Promise<void> {
    this.#token = null;
    await this.#ensureToken(options.signal);
  }

  /**
   * Reads a task (`GET /api/task?id=`), including its statement and lifecycle step.
   *
   * @param taskId - Dinky task id
   * @param options - abort signal
   * @returns the task
   * @throws {@link DinkyError} `NOT_SUPPORTED` without login, `UNAUTHORIZED`, `ENGINE_REJECTED`
   * @example
   * ```ts
   * const task = await client.getTask(12);
   * console.log(task.step === 2 ? 'published' : 'develop');
   * ```
   */
  async getTask(taskId: number, options: DinkyCallOptions = {}): Promise<DinkyTask> {
    return this.#call({
      op: 'getTask',
      method: 'GET',
      path: 'api/task',
      query: { id: taskId },
      schema: DinkyTaskSchema,
      api: true,
      retry: true,
      context: { task: taskId },
      signal: options.signal,
    });
  }

  /**
   * Moves a task between lifecycles: `GET /api/task/changeTaskLife?taskId=&lifeCycle=1|2`.
   * A published task cannot be edited; publishing makes a version snapshot.
   *
   * @param taskId - Dinky task id
   * @param lifeCycle - `develop` (offline) or `publish`
   * @param options - abort signal
   * @throws {@link DinkyError} `ENGINE_REJECTED` (e.g. the SQL does not explain), `UNAUTHORIZED`
   * @example
   * ```ts
   * await client.setTaskLifeCycle(12, 'develop');
   * ```
   */
  async setTaskLifeCycle(
    taskId: number,
    lifeCycle: DinkyLifeCycle,
    options: DinkyCallOptions = {},
  ): Promise<void> {
    await this.#call({
      op: 'changeTaskLife',
      method: 'GET',
      path: 'api/task/changeTaskLife',
      query: { taskId, lifeCycle: lifeCycle === 'publish' ? 2 : 1 },
      schema: z.unknown(),
      api: true,
      context: { task: taskId, lifeCycle },
      signal: options.signal,
    });
  }

  /**
   * Finds a task by its catalogue name (`POST /api/catalogue/getCatalogueTreeData`).
   *
   * @param name - the task name
   * @param options - abort signal
   * @returns the catalogue node of the task, or null
   * @example
   * ```ts
   * const node = await client.findTaskByName('dataportal_orders_agg');
   * console.log(node?.taskId);
   * ```
   */
  async findTaskByName(
    name: string,
    options: DinkyCallOptions = {},
  ): Promise<DinkyCatalogue | null> {
    const tree = await this.#call({
      op: 'getCatalogueTreeData',
      method: 'POST',
      path: 'api/catalogue/getCatalogueTreeData',
      json: { sortValue: '', sortType: '' },
      schema: z.array(DinkyCatalogueSchema).nullish(),
      api: true,
      retry: true,
      signal: options.signal,
    });
    const stack: DinkyCatalogue[] = [...((tree as DinkyCatalogue[] | null | undefined) ?? [])];
    while (stack.length > 0) {
      const node = stack.pop() as DinkyCatalogue;
      if (node.name === name && typeof node.taskId === 'number') return node;
      if (node.children) stack.push(...node.children);
    }
    return null;
  }

  /**
   * Creates or updates a task's Flink SQL through `/api`. Create:
   * `PUT /api/catalogue/saveOrUpdateCatalogueAndTask` (with the statement in the nested task).
   * Update: `GET /api/task?id=`; when published, `changeTaskLife` to develop first (Dinky refuses
   * to edit an online task); `PUT /api/task {id, name, enabled, statement, …}`; then publish again
   * when it was published or `publish` is set.
   *
   * @param input - the task's name, SQL and settings
   * @param options - abort signal
   * @returns the task id and whether it was created and is published
   * @throws {@link DinkyError} `ENGINE_REJECTED` (name taken, SQL does not explain on publish),
   *   `INVALID_PARAMS`, `UNAUTHORIZED`, `NOT_SUPPORTED`
   * @example
   * ```ts
   * const { taskId } = await client.saveTaskSql({ name: 'orders_agg', statement: 'insert into …' });
   * ```
   */
  async saveTaskSql(
    input: DinkyTaskSqlInput,
    options: DinkyCallOptions = {},
  ): Promise<DinkyTaskSqlResult> {
    const settings: Record<string, unknown> = {};
    if (input.runMode !== undefined) settings['type'] = input.runMode;
    if (input.clusterId !== undefined) settings['clusterId'] = input.clusterId;
    if (input.clusterConfigurationId !== undefined) {
      settings['clusterConfigurationId'] = input.clusterConfigurationId;
    }
    if (input.parallelism !== undefined) settings['parallelism'] = input.parallelism;
    if (input.envId !== undefined) settings['envId'] = input.envId;
    if (input.fragment !== undefined) settings['fragment'] = input.fragment;

    if (input.id === undefined) {
      const node = await this.#call({
        op: 'saveOrUpdateCatalogueAndTask',
        method: 'PUT',
        path: 'api/catalogue/saveOrUpdateCatalogueAndTask',
        json: {
          name: input.name,
          type: input.dialect ?? 'FlinkSql',
          parentId: input.parentId ?? 0,
          note: input.note ?? '',
          task: { statement: input.statement, ...settings },
        },
        schema: DinkyCatalogueSchema,
        api: true,
        context: { name: input.name },
        signal: options.signal,
      });
      const taskId = node.taskId;
      if (typeof taskId !== 'number') {
        throw new DinkyError(
          'INVALID_RESPONSE',
          `dinky: saveOrUpdateCatalogueAndTask returned no task id (name ${input.name})`,
          { path: 'api/catalogue/saveOrUpdateCatalogueAndTask', method: 'PUT' },
        );
      }
      // The catalogue call ignores the nested statement on some versions; save it explicitly.
      await this.#putTask(
        { id: taskId, name: input.name, statement: input.statement, ...settings },
        options,
      );
      if (input.publish) await this.setTaskLifeCycle(taskId, 'publish', options);
      return { taskId, catalogueId: node.id, created: true, published: input.publish === true };
    }

    const current = await this.getTask(input.id, options);
    const wasPublished = current.step === 2;
    if (wasPublished) await this.setTaskLifeCycle(input.id, 'develop', options);
    await this.#putTask(
      { id: input.id, name: current.name, statement: input.statement, ...settings },
      options,
    );
    const publish = input.publish ?? wasPublished;
    if (publish) await this.setTaskLifeCycle(input.id, 'publish', options);
    return { taskId: input.id, catalogueId: null, created: false, published: publish };
  }

  async #putTask(body: Record<string, unknown>, options: DinkyCallOptions): Promise<void> {
    await this.#call({
      op: 'saveTask',
      method: 'PUT',
      path: 'api/task',
      json: { enabled: true, ...body },
      schema: z.unknown(),
      api: true,
      context: { task: body['id'] },
      signal: options.signal,
    });
  }

  /**
   * Reads a job instance's detail with Flink's job (epoch-ms `start-time`, `duration`, vertices
   * with cumulative `read-records`/`write-records`). Default `GET
   * /api/jobInstance/refreshJobInfoDetail?id=&isForce=false` (the live, ~5 s fresh copy; Dinky
   * writes an operate-log row per call); `stored: true` uses `getJobInfoDetail` (database copy,
   * possibly minutes old); `force: true` makes Dinky re-read Flink now (`isForce=true`), which also
   * fixes a status Dinky has not refreshed yet.
   *
   * @param instanceId - job instance id
   * @param detail - `stored` to read the database copy, `force` to refresh from Flink
   * @param options - abort signal
   * @returns the job detail
   * @throws {@link DinkyError} `NOT_SUPPORTED` without login, `UNAUTHORIZED`, `ENGINE_REJECTED`
   * @example
   * ```ts
   * const d = await client.getJobDetail(7);
   * console.log(d.jobDataDto?.job?.vertices.length);
   * ```
   */
  async getJobDetail(
    instanceId: number,
    detail: { readonly stored?: boolean; readonly force?: boolean } = {},
    options: DinkyCallOptions = {},
  ): Promise<DinkyJobInfoDetail> {
    return this.#call({
      op: detail.stored ? 'getJobInfoDetail' : 'refreshJobInfoDetail',
      method: 'GET',
      path: detail.stored
        ? 'api/jobInstance/getJobInfoDetail'
        : 'api/jobInstance/refreshJobInfoDetail',
      query: detail.stored
        ? { id: instanceId }
        : { id: instanceId, isForce: detail.force === true },
      schema: DinkyJobInfoDetailSchema,
      api: true,
      retry: true,
      context: { instance: instanceId },
      signal: options.signal,
    });
  }

  /**
   * Reads Flink vertex metrics through Dinky's proxy:
   * `GET /api/jobInstance/getJobMetricsData?address=&jobId=&verticeId=&metrics=`.
   *
   * @param query - job manager address, Flink job id, vertex id and metric names (Flink names
   *   vertex metrics per subtask, e.g. `0.numRecordsOutPerSecond`)
   * @param options - abort signal
   * @returns the metric values
   * @example
   * ```ts
   * const m = await client.getVertexMetrics({ address: 'jm:8081', jobId: 'ab', vertexId: 'v1', metrics: ['0.numRecordsOutPerSecond'] });
   * ```
   */
  async getVertexMetrics(
    query: {
      readonly address: string;
      readonly jobId: string;
      readonly vertexId: string;
      readonly metrics: readonly string[];
    },
    options: DinkyCallOptions = {},
  ): Promise<FlinkMetric[]> {
    const r = await this.#call({
      op: 'getJobMetricsData',
      method: 'GET',
      path: 'api/jobInstance/getJobMetricsData',
      query: {
        address: query.address,
        jobId: query.jobId,
        verticeId: query.vertexId,
        metrics: query.metrics.join(','),
      },
      schema: z.array(FlinkMetricSchema).nullish(),
      api: true,
      retry: true,
      signal: options.signal,
    });
    return r ?? [];
  }

  /**
   * Reads the lineage of the SQL a job instance ran (`GET /api/jobInstance/getLineage?id=`); works
   * for Flink SQL tasks where `getTaskLineage` answers null.
   *
   * @param instanceId - job instance id
   * @param options - abort signal
   * @returns the lineage, or null
   * @example
   * ```ts
   * const lineage = await client.getJobInstanceLineage(7);
   * ```
   */
  async getJobInstanceLineage(
    instanceId: number,
    options: DinkyCallOptions = {},
  ): Promise<DinkyLineage | null> {
    return this.#call({
      op: 'getLineage',
      method: 'GET',
      path: 'api/jobInstance/getLineage',
      query: { id: instanceId },
      schema: DinkyLineageSchema.nullish().transform((r) => r ?? null),
      api: true,
      retry: true,
      context: { instance: instanceId },
      signal: options.signal,
    });
  }

  // ------------------------------------------------------------------ transport

  async #call<T>(spec: CallSpec<T>): Promise<T> {
    const v = await this.version(spec.signal ? { signal: spec.signal } : {});
    if (!spec.api) return this.#request({ ...spec, legacy: v.legacy });
    if (v.legacy) {
      throw new DinkyError('NOT_SUPPORTED', `dinky: ${spec.op} via /api needs Dinky 1.x`);
    }
    const token = await this.#ensureToken(spec.signal);
    try {
      return await this.#request({ ...spec, legacy: false, token, tokenName: v.tokenName });
    } catch (err) {
      // One fresh login when the token expired or another login of this user replaced it.
      if (err instanceof DinkyError && err.code === 'UNAUTHORIZED' && this.#config.login) {
        this.#token = null;
        const fresh = await this.#ensureToken(spec.signal);
        return this.#request({ ...spec, legacy: false, token: fresh, tokenName: v.tokenName });
      }
      throw err;
    }
  }

  async #ensureToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.#token !== null) return this.#token;
    const login = this.#config.login;
    if (!login) {
      throw new DinkyError(
        'NOT_SUPPORTED',
        'dinky: this call uses /api and needs a token or login settings',
      );
    }
    if (!this.#loggingIn) {
      this.#loggingIn = this.#doLogin(login, signal).finally(() => {
        this.#loggingIn = null;
      });
    }
    const token = await this.#loggingIn;
    this.#token = token;
    return token;
  }

  async #doLogin(login: DinkyLogin, signal: AbortSignal | undefined): Promise<string> {
    const v = await this.version(signal ? { signal } : {});
    if (v.legacy) throw new DinkyError('NOT_SUPPORTED', 'dinky: login via /api needs Dinky 1.x');
    let token: string | null = null;
    await this.#request({
      op: 'login',
      method: 'POST',
      path: 'api/login',
      json: {
        username: login.username,
        password: login.password,
        ldapLogin: false,
        autoLogin: true,
      },
      schema: z.unknown(),
      legacy: false,
      signal,
      onResponse: (res) => {
        token = res.headers.get(v.tokenName) ?? cookieValue(res.headers, v.tokenName);
      },
      authFailure: true,
    });
    if (!token) {
      throw new DinkyError('UNAUTHORIZED', `dinky: login answered no ${v.tokenName} header`, {
        path: 'api/login',
        method: 'POST',
      });
    }
    const tenantId = login.tenantId ?? this.#config.tenantId ?? 1;
    await this.#request({
      op: 'chooseTenant',
      method: 'POST',
      path: 'api/chooseTenant',
      query: { tenantId },
      schema: z.unknown(),
      legacy: false,
      token,
      tokenName: v.tokenName,
      signal,
    });
    return token;
  }

  async #request<T>(
    spec: CallSpec<T> & {
      readonly legacy: boolean;
      readonly token?: string;
      readonly tokenName?: string;
      readonly onResponse?: (res: Response) => void;
      readonly authFailure?: boolean;
    },
  ): Promise<T> {
    const where = describe(spec.context);
    const meta = { method: spec.method, path: spec.path };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.token && spec.tokenName) {
      headers[spec.tokenName] = spec.token;
      const tenantId = this.#config.login?.tenantId ?? this.#config.tenantId ?? 1;
      headers['cookie'] = `${spec.tokenName}=${spec.token}; tenantId=${tenantId}`;
    }
    const searchParams: Record<string, string> = {};
    for (const [k, val] of Object.entries(spec.query ?? {})) {
      if (val !== undefined) searchParams[k] = String(val);
    }
    const retryLimit = spec.retry ? (this.#config.retry?.limit ?? 2) : 0;
    const delayMs = this.#config.retry?.delayMs ?? 300;
    let text: string;
    let status: number;
    try {
      const res = await this.#http(spec.path, {
        method: spec.method,
        headers,
        searchParams,
        ...(spec.json === undefined ? {} : { json: spec.json }),
        ...(spec.timeoutMs === undefined ? {} : { timeout: spec.timeoutMs }),
        retry: {
          limit: retryLimit,
          methods: ['get', 'post'],
          delay: () => delayMs,
        },
        ...(spec.signal ? { signal: spec.signal } : {}),
      });
      spec.onResponse?.(res);
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw this.#transportError(spec.op, where, meta, err, spec.authFailure === true);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new DinkyError('INVALID_RESPONSE', `dinky: ${spec.op} answered non-JSON${where}`, {
        ...meta,
        httpStatus: status,
        cause: err,
      });
    }
    const env = DinkyEnvelopeSchema.safeParse(body);
    if (!env.success) {
      throw new DinkyError('INVALID_RESPONSE', `dinky: ${spec.op} answered no envelope${where}`, {
        ...meta,
        httpStatus: status,
        cause: env.error,
      });
    }
    if (env.data.code !== 0) {
      throw envelopeError(
        spec.op,
        where,
        { ...meta, httpStatus: status },
        env.data,
        spec.authFailure,
      );
    }
    const payload = spec.legacy
      ? 'datas' in env.data
        ? env.data.datas
        : env.data.data
      : 'data' in env.data
        ? env.data.data
        : env.data.datas;
    const parsed = spec.schema.safeParse(payload ?? null);
    if (!parsed.success) {
      throw new DinkyError(
        'INVALID_RESPONSE',
        `dinky: ${spec.op} answered an unexpected payload${where}`,
        { ...meta, httpStatus: status, cause: parsed.error },
      );
    }
    return parsed.data;
  }

  #transportError(
    op: string,
    where: string,
    meta: { method: string; path: string },
    err: unknown,
    authFailure: boolean,
  ): DinkyError {
    if (err instanceof DinkyError) return err;
    if (err instanceof HTTPError) {
      const status = err.response.status;
      const env = DinkyEnvelopeSchema.safeParse(err.data);
      if (env.success && env.data.code !== 0) {
        return envelopeError(
          op,
          where,
          { ...meta, httpStatus: status },
          env.data,
          authFailure,
          err,
        );
      }
      const code: DinkyErrorCode =
        status === 401 || status === 403
          ? 'UNAUTHORIZED'
          : status === 404 || status === 405
            ? 'NOT_SUPPORTED'
            : status === 400
              ? 'INVALID_PARAMS'
              : 'HTTP_ERROR';
      return new DinkyError(code, `dinky: ${op} failed with http ${status}${where}`, {
        ...meta,
        httpStatus: status,
        cause: err,
      });
    }
    if (err instanceof TimeoutError) {
      return new DinkyError('TIMEOUT', `dinky: ${op} timed out${where}`, { ...meta, cause: err });
    }
    if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
      const code = err.name === 'AbortError' ? 'ABORTED' : 'TIMEOUT';
      return new DinkyError(
        code,
        `dinky: ${op} ${code === 'ABORTED' ? 'aborted' : 'timed out'}${where}`,
        {
          ...meta,
          cause: err,
        },
      );
    }
    if (err instanceof NetworkError || isKyError(err)) {
      return new DinkyError('NETWORK_ERROR', `dinky: ${op} could not reach dinky${where}`, {
        ...meta,
        cause: err,
      });
    }
    return new DinkyError('NETWORK_ERROR', `dinky: ${op} failed${where}`, { ...meta, cause: err });
  }
}

function envelopeError(
  op: string,
  where: string,
  meta: { method: string; path: string; httpStatus: number },
  env: { code: number; msg?: string | null | undefined; data?: unknown; datas?: unknown },
  authFailure: boolean | undefined,
  cause?: unknown,
): DinkyError {
  const code = authFailure ? 'UNAUTHORIZED' : codeForEngineCode(env.code);
  const detail = env.code === 5 ? firstLine(env.data ?? env.datas) : null;
  const shortMsg = truncateEngineText(env.msg, 120);
  return new DinkyError(
    code,
    `dinky: ${op} failed with engine code ${env.code}${where}${shortMsg ? `: ${shortMsg}` : ''}`,
    {
      ...meta,
      engineCode: env.code,
      engineMessage: env.msg ?? null,
      engineDetail: detail,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

function cookieValue(headers: Headers, name: string): string | null {
  const all = headers.getSetCookie?.() ?? [];
  for (const c of all) {
    const [pair] = c.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0 && pair.slice(0, eq).trim() === name) {
      return decodeURIComponent(pair.slice(eq + 1).trim());
    }
  }
  return null;
}
