import type { DinkyLineage } from '../../schemas';

// Public types of the fake Dinky (re-exported from `@dataportal/adapters-dinky/testing`).

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

/**
 * Shape of a fake Flink job graph, as measured on Flink 1.20 (`../shared/flink/run-flink.sh`):
 * `unchained` — `Source: source_t[1]` → `sink_t[2]: Writer` over a FORWARD edge (a SinkV2 sink,
 * e.g. blackhole); the vertex counters carry the records. `chained` — one vertex
 * `Source: source_t[1] -> Sink: sink_t[2]` (a legacy sink such as print): its vertex counters and
 * task-level rates are all 0, the records are only in the operator-scoped metrics.
 *
 * @example
 * ```ts
 * fake.addTask({ name: 'print_job', graph: 'chained' satisfies FakeJobGraph });
 * ```
 */
export type FakeJobGraph = 'unchained' | 'chained';

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
  /** Shape of the Flink job graph its jobs get. */
  graph: FakeJobGraph;
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
  /** Shape of the Flink job graph. Defaults to `unchained`. */
  readonly graph?: FakeJobGraph;
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
  /** Records the job's sources emitted (cumulative, all subtasks). */
  records: number;
  /** Records per second out of the job's sources (all subtasks; Flink's 60 s average), or null when not reported yet. */
  rate: number | null;
  /** Parallelism. */
  readonly parallelism: number;
  /** Shape of the Flink job graph. */
  readonly graph: FakeJobGraph;
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
  /** Adds records to the job's cumulative counters (vertex or operator scope, by graph shape). */
  addRecords(instanceId: number, records: number): void;
  /** Sets the job's records per second out of its sources, split evenly over subtasks (null: not reported). */
  setRecordRate(instanceId: number, perSecond: number | null): void;
  /** Makes Flink refuse cancels: `/openapi/cancel` (both attempts) and 0.7 `canceljob` answer `false`. */
  setCancelRefused(refused: boolean): void;
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
