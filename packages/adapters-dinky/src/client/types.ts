// Configuration and option types of the Dinky client (re-exported by the package entry).

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
  /**
   * Where replicas that log in as the same Dinky user share its token. Dinky runs sa-token with
   * `is-concurrent: false`, so every `POST /api/login` kicks out that user's other sessions; with a
   * shared store a replica that is kicked out adopts the newer token instead of logging in again.
   */
  readonly tokenStore?: DinkyTokenStore;
  /**
   * After a kick-out (HTTP 401, code 7), log in again at most once per this many milliseconds;
   * within the window the call fails with `UNAUTHORIZED` instead of kicking the other session out
   * in turn. Defaults to 60 000.
   */
  readonly reloginCooldownMs?: number;
  /** Clock in epoch ms for the re-login window (tests inject one). Defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * A token shared by the replicas that use one Dinky login (e.g. a row in the portal's database).
 *
 * @example
 * ```ts
 * let shared: string | null = null;
 * const tokenStore: DinkyTokenStore = {
 *   get: async () => shared,
 *   set: async (token) => { shared = token; },
 * };
 * ```
 */
export interface DinkyTokenStore {
  /** The newest token any replica obtained, or null. */
  get(): Promise<string | null>;
  /** Publishes a token this replica just obtained by logging in. */
  set(token: string): Promise<void>;
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

/** Every savepoint type Dinky's `SavePointType` knows. */
export const SAVEPOINT_TYPES: readonly DinkySavepointType[] = [
  'trigger',
  'dispose',
  'stop',
  'cancel',
];

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
