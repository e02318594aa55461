import { z } from 'zod';
import {
  getJobDetail,
  getJobInstance,
  getJobInstanceLineage,
  getLatestJobInstance,
} from './client/job-instances';
import { getVertexMetricIds, getVertexMetrics } from './client/metrics';
import { savepointTask } from './client/savepoints';
import { findTaskByName, getTask, saveTaskSql, setTaskLifeCycle } from './client/task-editing';
import { cancelTask, exportSql, getTaskLineage, restartTask, submitTask } from './client/tasks';
import { DinkyTransport } from './client/transport';
import type {
  DinkyCallOptions,
  DinkyCancelOptions,
  DinkyClientConfig,
  DinkyLifeCycle,
  DinkySavepointType,
  DinkySubmitOptions,
  DinkyTaskSqlInput,
  DinkyTaskSqlResult,
  DinkyVersion,
} from './client/types';
import type {
  DinkyCatalogue,
  DinkyJobInfoDetail,
  DinkyJobInstance,
  DinkyJobResult,
  DinkyLineage,
  DinkySavepointResult,
  DinkyTask,
  FlinkMetric,
} from './schemas';

export type {
  DinkyCallOptions,
  DinkyCancelOptions,
  DinkyClientConfig,
  DinkyLifeCycle,
  DinkyLogin,
  DinkyRetry,
  DinkySavepointType,
  DinkySubmitOptions,
  DinkyTaskSqlInput,
  DinkyTaskSqlResult,
  DinkyTokenStore,
  DinkyVersion,
} from './client/types';

// The client is split by Dinky resource; each file in ./client/ names the Dinky source it follows
// and sits next to the fake's file of the same name in ./testing/fake/:
// tasks (submit, cancel, restart, export, lineage), savepoints, job-instances, metrics,
// task-editing (/api task and catalogue), auth (login, token), transport (envelopes, errors).

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
  readonly #t: DinkyTransport;

  /**
   * @param config - base URL, optional token or login, fetch, timeouts
   * @throws {@link DinkyError} `INVALID_ARGUMENT` when the URL is not absolute http(s)
   */
  constructor(config: DinkyClientConfig) {
    this.#t = new DinkyTransport(config);
  }

  /** Whether `/api/**` calls can be made (a token or a login is configured). */
  get canUseApi(): boolean {
    return this.#t.session.canUseApi;
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
    return this.#t.version(options);
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
      // 0.7 has no version route. Instance 0 never exists: Dinky answers code 1 "Job Instance Not
      // Exist" in its envelope, which getJobInstance reads as null, so any envelope proves it is up.
      await this.getJobInstance(0, options);
      return;
    }
    await this.#t.request({
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
    return submitTask(this.#t, taskId, submit, options);
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
    return cancelTask(this.#t, taskId, cancel, options);
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
    return restartTask(this.#t, taskId, restart, options);
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
    return savepointTask(this.#t, taskId, type, options);
  }

  /**
   * Reads a job instance by its id: `GET /openapi/getJobInstance?id=`.
   *
   * @param instanceId - job instance id (from `JobResult.jobInstanceId`)
   * @param options - abort signal
   * @returns the instance, or null when Dinky has none with that id (Dinky answers that with envelope
   *   code 1 "Job Instance Not Exist", not with null data)
   * @example
   * ```ts
   * const inst = await client.getJobInstance(7);
   * ```
   */
  async getJobInstance(
    instanceId: number,
    options: DinkyCallOptions = {},
  ): Promise<DinkyJobInstance | null> {
    return getJobInstance(this.#t, instanceId, options);
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
    return getLatestJobInstance(this.#t, taskId, options);
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
    return exportSql(this.#t, taskId, options);
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
    return getTaskLineage(this.#t, taskId, options);
  }

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
    await this.#t.session.login(options.signal);
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
    return getTask(this.#t, taskId, options);
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
    return setTaskLifeCycle(this.#t, taskId, lifeCycle, options);
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
    return findTaskByName(this.#t, name, options);
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
    return saveTaskSql(this.#t, input, options);
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
    return getJobDetail(this.#t, instanceId, detail, options);
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
    return getVertexMetrics(this.#t, query, options);
  }

  /**
   * Lists the metric ids of a Flink vertex through Dinky's proxy:
   * `GET /api/jobInstance/getJobMetricsItems?address=&jobId=&verticeId=`. Flink names them
   * `<subtask>.<metric>` or, per operator, `<subtask>.<operator>.<metric>` (`0.Source__src[1].numRecordsOut`);
   * a chained vertex has its records only under the operator names.
   *
   * @param query - job manager address, Flink job id and vertex id
   * @param options - abort signal
   * @returns the metric ids
   * @example
   * ```ts
   * const ids = await client.getVertexMetricIds({ address: 'jm:8081', jobId: 'ab', vertexId: 'v1' });
   * ```
   */
  async getVertexMetricIds(
    query: { readonly address: string; readonly jobId: string; readonly vertexId: string },
    options: DinkyCallOptions = {},
  ): Promise<string[]> {
    return getVertexMetricIds(this.#t, query, options);
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
    return getJobInstanceLineage(this.#t, instanceId, options);
  }
}
