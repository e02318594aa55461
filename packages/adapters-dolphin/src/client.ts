import ky, { isHTTPError, isTimeoutError, type KyInstance } from 'ky';
import { z } from 'zod';
import type { DolphinScheduleParam } from './cron';
import { codeForEngineCode, DolphinError, isDolphinError } from './errors';
import { parseJsonLossless, rawNumber } from './internal/json';
import {
  AlertGroupSchema,
  AlertPluginInstanceSchema,
  CodeSchema,
  DagDataSchema,
  DatasourceSchema,
  type DolphinAlertGroup,
  type DolphinAlertPluginInstance,
  type DolphinCode,
  type DolphinDag,
  type DolphinDatasource,
  type DolphinInstanceTasks,
  type DolphinProject,
  type DolphinSchedule,
  type DolphinTaskInstance,
  type DolphinUiPlugin,
  type DolphinWorkflowDefinition,
  type DolphinWorkflowInstance,
  EnvelopeSchema,
  InstanceTasksSchema,
  LogPageSchema,
  ProjectSchema,
  pageSchema,
  type ReleaseState,
  ScheduleSchema,
  TaskInstanceSchema,
  UiPluginSchema,
  WorkflowDefinitionSchema,
  WorkflowInstanceSchema,
} from './schemas';
import { type DolphinNames, type DolphinVersionLine, dolphinNames, versionLineOf } from './version';

/**
 * Configuration of a {@link DolphinClient}.
 *
 * @example
 * ```ts
 * const config: DolphinClientConfig = { baseUrl: 'http://ds:12345/dolphinscheduler', token, version: '3.2', timeoutMs: 10_000 };
 * ```
 */
export interface DolphinClientConfig {
  /** API base URL including the context path, e.g. `http://host:12345/dolphinscheduler`. */
  readonly baseUrl: string;
  /** Access token sent in the `token` header. */
  readonly token: string;
  /** Version line to speak; `auto` (default) probes the server once and re-probes on HTML answers. */
  readonly version?: DolphinVersionLine | 'auto';
  /** Per-attempt timeout in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Retries for idempotent reads (GET) on 5xx, timeouts and network errors (default 2). */
  readonly retries?: number;
  /** Base backoff in ms between read retries, doubled per attempt (default 300). */
  readonly retryBackoffMs?: number;
  /** `fetch` implementation (for tests, tracing or proxies); defaults to the global one. */
  readonly fetch?: typeof fetch;
}

/**
 * Options for one client call.
 *
 * @example
 * ```ts
 * await client.listProjects({}, { signal: AbortSignal.timeout(5_000) } satisfies DolphinCallOptions);
 * ```
 */
export interface DolphinCallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal;
}

/**
 * Values of a form-encoded request. `undefined` and `null` values are not sent.
 *
 * @example
 * ```ts
 * const params: DolphinParams = { pageNo: 1, pageSize: 10, searchVal: undefined };
 * ```
 */
export type DolphinParams = Readonly<Record<string, string | number | boolean | null | undefined>>;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface CallSpec<T> {
  readonly op: string;
  readonly method: Method;
  readonly path: string;
  readonly params?: DolphinParams;
  readonly schema: z.ZodType<T>;
}

/**
 * A page of rows as the client returns it.
 *
 * @example
 * ```ts
 * const page: DolphinPage<DolphinProject> = await client.listProjects({ searchVal: 'dw' });
 * ```
 */
export interface DolphinPage<T> {
  /** Rows of this page. */
  readonly items: T[];
  /** Total number of rows. */
  readonly total: number;
}

/**
 * One task of a workflow definition, as sent in `taskDefinitionJson` (reference §3.1).
 *
 * @example
 * ```ts
 * const task: DolphinTaskDefinitionInput = { code, version: 0, name: 'a', taskType: 'SHELL', taskParams: { rawScript: 'echo hi' } };
 * ```
 */
export interface DolphinTaskDefinitionInput {
  /** Server-generated code (from {@link DolphinClient.genTaskCodes}), reused on update. */
  readonly code: DolphinCode;
  /** Current version on update; 0 for new tasks. */
  readonly version: number;
  /** Task name (unique inside the workflow). */
  readonly name: string;
  /** Description. */
  readonly description?: string;
  /** Plugin name: `SQL`, `SHELL`, `DEPENDENT`. */
  readonly taskType: string;
  /** Plugin parameters. */
  readonly taskParams: Readonly<Record<string, unknown>>;
  /** Retries on failure (default 0). */
  readonly failRetryTimes?: number;
  /** Minutes between retries (default 1). */
  readonly failRetryInterval?: number;
  /** Timeout in minutes (0 = none). */
  readonly timeout?: number;
}

/**
 * A relation `preTaskCode → postTaskCode`; `preTaskCode` `"0"` marks a root.
 *
 * @example
 * ```ts
 * const root: DolphinRelationInput = { preTaskCode: '0', postTaskCode: code };
 * ```
 */
export interface DolphinRelationInput {
  /** Upstream task code, `"0"` for a root. */
  readonly preTaskCode: DolphinCode;
  /** Downstream task code. */
  readonly postTaskCode: DolphinCode;
}

/**
 * Everything a workflow create/update sends.
 *
 * @example
 * ```ts
 * const input: DolphinWorkflowInput = { name: 'wf', tasks: [task], relations: [{ preTaskCode: '0', postTaskCode: task.code }] };
 * ```
 */
export interface DolphinWorkflowInput {
  /** Workflow name (unique in the project). */
  readonly name: string;
  /** Description. */
  readonly description?: string;
  /** Tasks. */
  readonly tasks: readonly DolphinTaskDefinitionInput[];
  /** Relations, including `0 → root` rows. */
  readonly relations: readonly DolphinRelationInput[];
  /** Tenant; required on 3.1 (default `default`), ignored on 3.2+. */
  readonly tenantCode?: string;
  /** Timeout of the workflow in minutes (0 = none). */
  readonly timeout?: number;
  /** `PARALLEL` (default), `SERIAL_WAIT`, `SERIAL_DISCARD`, `SERIAL_PRIORITY`. */
  readonly executionType?: string;
}

/**
 * Options of schedule create/update (reference §2.5); all fields are resent on update.
 *
 * @example
 * ```ts
 * const input: DolphinScheduleInput = { schedule: toDolphinSchedule('0 2 * * *', { timeZone: 'UTC' }), failureStrategy: 'END' };
 * ```
 */
export interface DolphinScheduleInput {
  /** The schedule itself (Quartz crontab, zone, start and end). */
  readonly schedule: DolphinScheduleParam;
  /** `NONE` (default), `SUCCESS`, `FAILURE`, `ALL`. */
  readonly warningType?: string;
  /** Alert group notified per `warningType`. */
  readonly warningGroupId?: number;
  /** `END` (default here, on create and update alike) or `CONTINUE`. */
  readonly failureStrategy?: 'END' | 'CONTINUE';
  /** Worker group (default `default`). */
  readonly workerGroup?: string;
  /** Tenant (3.2+; default `default`). */
  readonly tenantCode?: string;
}

/**
 * Options of a manual start (reference §2.6).
 *
 * @example
 * ```ts
 * const input: DolphinStartInput = { workflowCode, warningType: 'ALL', warningGroupId: 3 };
 * ```
 */
export interface DolphinStartInput {
  /** Workflow code. */
  readonly workflowCode: DolphinCode;
  /** `END` (default) or `CONTINUE`. */
  readonly failureStrategy?: 'END' | 'CONTINUE';
  /** `NONE` (default), `SUCCESS`, `FAILURE`, `ALL`. */
  readonly warningType?: string;
  /** Alert group for finish alerts. */
  readonly warningGroupId?: number;
  /** Run-time global parameters. */
  readonly startParams?: Readonly<Record<string, string>>;
  /** Start only from these task codes. */
  readonly startNodeList?: readonly DolphinCode[];
  /** `TASK_ONLY`, `TASK_PRE`, `TASK_POST`. */
  readonly taskDependType?: string;
  /** Tenant (3.2+; default `default`). */
  readonly tenantCode?: string;
  /** Worker group (default `default`). */
  readonly workerGroup?: string;
}

/**
 * What a start returned, per line: nothing (3.1), a trigger code (3.2) or instance ids (3.3).
 *
 * @example
 * ```ts
 * const started: DolphinStartResult = await client.startWorkflow(projectCode, { workflowCode });
 * if (started.kind === 'instanceIds') console.log(started.instanceIds[0]);
 * ```
 */
export type DolphinStartResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'triggerCode'; readonly triggerCode: DolphinCode }
  | { readonly kind: 'instanceIds'; readonly instanceIds: readonly number[] };

/**
 * Options of the workflow-instance listing.
 *
 * @example
 * ```ts
 * const query: ListInstancesQuery = { workflowCode, stateType: 'FAILURE', pageSize: 10 };
 * ```
 */
export interface ListInstancesQuery {
  /** Only instances of this workflow. */
  readonly workflowCode?: DolphinCode;
  /** Only instances in this state (WorkflowExecutionStatus name). */
  readonly stateType?: string;
  /** Page number, from 1. */
  readonly pageNo?: number;
  /** Page size (default 20). */
  readonly pageSize?: number;
}

/**
 * One page of a task log as {@link DolphinClient.readLogPage} returns it.
 *
 * @example
 * ```ts
 * const chunk: DolphinLogChunk = await client.readLogPage(taskInstanceId, { skipLineNum: 0, limit: 100 });
 * ```
 */
export interface DolphinLogChunk {
  /** The page's text, line endings normalised to `\n` (the first page starts with the `[LOG-PATH]` header). */
  readonly text: string;
  /** Log-file lines in the page (excluding the header): add to `skipLineNum` for the next page. */
  readonly lines: number;
  /** Whether the end of the log (so far) was reached. */
  readonly end: boolean;
}

/** Bytes after which the worker may have cut a log page short (it stops after 65 535). */
const LOG_PAGE_BYTE_CAP = 60_000;

/**
 * Parameters of an alert plugin instance: the plugin form's field → value.
 *
 * @example
 * ```ts
 * const params: DolphinAlertParams = httpAlertParams('3.3', 'https://portal/callback');
 * ```
 */
export type DolphinAlertParams = Readonly<Record<string, string>>;

const NullishData = z.unknown();
const TrueOrNull = z.union([z.boolean(), z.null(), z.undefined()]).transform(() => undefined);
const ProductInfoSchema = z.looseObject({ version: z.string() });

function pageOf<T extends z.ZodType>(item: T) {
  return pageSchema(item).transform((p) => ({
    items: p.totalList as z.output<T>[],
    total: p.total,
  }));
}

/**
 * The plugin form as the server deserialises it (`PluginParams.Builder`): `field`, `type` and
 * `title` are required, otherwise the whole list is silently read as empty.
 */
function pluginFields(params: DolphinAlertParams): Array<Record<string, string>> {
  return Object.entries(params).map(([field, value]) => ({
    field,
    name: field,
    type: 'input',
    title: field,
    value,
  }));
}

function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function asFormValue(v: string | number | boolean): string {
  return typeof v === 'string' ? v : String(v);
}

/**
 * Typed client of DolphinScheduler's v1 REST API for the 3.1, 3.2 and 3.3+ lines.
 *
 * One ky instance per client; form-encoded parameters; the `token` header; the `{code,msg,data}`
 * envelope checked (`code === 0` is the only success); `data` validated with zod; codes carried as
 * decimal strings; HTML answers reported as a version mismatch; timeouts on every call; retries with
 * backoff for GET only. Every failure is a {@link DolphinError}.
 *
 * @example
 * ```ts
 * const client = new DolphinClient({ baseUrl: 'http://ds:12345/dolphinscheduler', token });
 * const project = await client.findProjectByName('warehouse');
 * const dag = project && (await client.getWorkflowByName(project.code, 'daily_orders'));
 * ```
 */
export class DolphinClient {
  readonly #ky: KyInstance;
  readonly #pinned: DolphinVersionLine | null;
  #line: Promise<DolphinVersionLine> | null = null;
  #serverVersion: string | null = null;
  #calls = 0;

  /**
   * @param config - base URL, token, version line, timeouts, retries, fetch
   */
  constructor(config: DolphinClientConfig) {
    const backoff = config.retryBackoffMs ?? 300;
    this.#pinned = config.version && config.version !== 'auto' ? config.version : null;
    const token = config.token;
    this.#ky = ky.create({
      prefix: config.baseUrl,
      timeout: config.timeoutMs ?? 30_000,
      retry: {
        limit: config.retries ?? 2,
        methods: ['get'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        retryOnTimeout: true,
        delay: (attempt) => backoff * 2 ** (attempt - 1),
      },
      ...(config.fetch ? { fetch: config.fetch } : {}),
      hooks: {
        beforeRequest: [
          ({ request }) => {
            request.headers.set('token', token);
          },
        ],
      },
    });
  }

  /** Number of HTTP calls this client has started (attempts, including version probes). */
  get callCount(): number {
    return this.#calls;
  }

  /** The server's release string when the probe read it (3.3+), else null. */
  get serverVersion(): string | null {
    return this.#serverVersion;
  }

  /**
   * The version line in use: the configured one, or the probed one (probed once, cached).
   *
   * @param options - abort signal
   * @returns `3.1`, `3.2` or `3.3`
   * @throws {@link DolphinError} `UNAUTHORIZED`, `NETWORK_ERROR`, `TIMEOUT` when the probe fails
   */
  async versionLine(options: DolphinCallOptions = {}): Promise<DolphinVersionLine> {
    if (this.#pinned) return this.#pinned;
    if (!this.#line) {
      const probe = this.detectVersion(options);
      this.#line = probe;
      probe.catch(() => {
        if (this.#line === probe) this.#line = null;
      });
    }
    return this.#line;
  }

  /**
   * Probes the server's version line: `GET /ui-plugins/query-product-info` (3.3+ only), then
   * `GET /alert-groups/normal-list` (3.2+) (reference §2.13).
   *
   * @param options - abort signal
   * @returns the detected line
   * @throws {@link DolphinError} `UNAUTHORIZED`, `NETWORK_ERROR`, `TIMEOUT`
   */
  async detectVersion(options: DolphinCallOptions = {}): Promise<DolphinVersionLine> {
    try {
      const info = await this.#send(
        {
          op: 'detectVersion',
          method: 'GET',
          path: 'ui-plugins/query-product-info',
          schema: ProductInfoSchema,
        },
        options,
      );
      this.#serverVersion = info.version;
      return versionLineOf(info.version) ?? '3.3';
    } catch (err) {
      if (!isDolphinError(err, 'VERSION_MISMATCH')) throw err;
    }
    try {
      await this.#send(
        {
          op: 'detectVersion',
          method: 'GET',
          path: 'alert-groups/normal-list',
          schema: NullishData,
        },
        options,
      );
      return '3.2';
    } catch (err) {
      if (
        isDolphinError(err) &&
        ['UNAUTHORIZED', 'NETWORK_ERROR', 'TIMEOUT', 'ABORTED'].includes(err.code)
      ) {
        throw err;
      }
      return '3.1';
    }
  }

  // ---------------------------------------------------------------- transport

  async #call<T>(
    build: (names: DolphinNames) => CallSpec<T>,
    options: DolphinCallOptions = {},
  ): Promise<T> {
    const line = await this.versionLine(options);
    try {
      return await this.#send(build(dolphinNames(line)), options);
    } catch (err) {
      // A server upgraded in place (3.2 → 3.3) answers the old paths with the UI's HTML:
      // probe again once and retry with the new line's names.
      if (this.#pinned || !isDolphinError(err, 'VERSION_MISMATCH')) throw err;
      this.#line = null;
      const again = await this.versionLine(options);
      if (again === line) throw err;
      return this.#send(build(dolphinNames(again)), options);
    }
  }

  async #send<T>(spec: CallSpec<T>, options: DolphinCallOptions): Promise<T> {
    const { op, method, path } = spec;
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(spec.params ?? {})) {
      if (v !== undefined && v !== null) form.append(k, asFormValue(v));
    }
    const ctx = { method, path: `/${path}` };
    const query = method === 'GET' || method === 'DELETE';
    let response: Response;
    let body: string;
    try {
      this.#calls += 1;
      response = await this.#ky(path, {
        method,
        ...(query ? { searchParams: form } : { body: form }),
        ...(options.signal ? { signal: options.signal } : {}),
        hooks: {
          beforeRetry: [
            () => {
              this.#calls += 1;
            },
          ],
        },
      });
      body = await response.text();
    } catch (err) {
      throw this.#transportError(op, err, ctx);
    }
    const status = response.status;
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('text/html') || /^\s*</.test(body)) {
      throw new DolphinError(
        'VERSION_MISMATCH',
        `dolphin: ${op} got HTML instead of JSON from ${ctx.path}: version mismatch or wrong base URL`,
        { ...ctx, httpStatus: status },
      );
    }
    let json: unknown;
    try {
      json = parseJsonLossless(body);
    } catch (err) {
      throw new DolphinError(
        'INVALID_RESPONSE',
        `dolphin: ${op} answered non-JSON: ${shorten(body, 80)}`,
        {
          ...ctx,
          httpStatus: status,
          cause: err,
        },
      );
    }
    const envelope = EnvelopeSchema.safeParse(json);
    if (!envelope.success) {
      throw new DolphinError(
        'INVALID_RESPONSE',
        `dolphin: ${op} answered without the {code,msg,data} envelope`,
        {
          ...ctx,
          httpStatus: status,
          cause: envelope.error,
        },
      );
    }
    const { code, msg } = envelope.data;
    if (code !== 0) {
      throw new DolphinError(
        codeForEngineCode(code, msg ?? ''),
        `dolphin: ${op} failed with engine code ${code}: ${shorten(msg ?? '')}`,
        { ...ctx, httpStatus: status, engineCode: code },
      );
    }
    const data = spec.schema.safeParse(envelope.data.data);
    if (!data.success) {
      throw new DolphinError(
        'INVALID_RESPONSE',
        `dolphin: ${op} answered unexpected data: ${shorten(data.error.message)}`,
        {
          ...ctx,
          httpStatus: status,
          engineCode: 0,
          cause: data.error,
        },
      );
    }
    return data.data;
  }

  #transportError(op: string, err: unknown, ctx: { method: string; path: string }): DolphinError {
    if (isDolphinError(err)) return err;
    if (isHTTPError(err)) {
      const status = err.response.status;
      if (status === 401) {
        return new DolphinError('UNAUTHORIZED', `dolphin: ${op} rejected the token (HTTP 401)`, {
          ...ctx,
          httpStatus: 401,
          cause: err,
        });
      }
      return new DolphinError('HTTP_ERROR', `dolphin: ${op} failed with HTTP ${status}`, {
        ...ctx,
        httpStatus: status,
        cause: err,
      });
    }
    if (isTimeoutError(err)) {
      return new DolphinError('TIMEOUT', `dolphin: ${op} timed out`, { ...ctx, cause: err });
    }
    if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
      return new DolphinError(
        err.name === 'AbortError' ? 'ABORTED' : 'TIMEOUT',
        `dolphin: ${op} ${err.name === 'AbortError' ? 'aborted' : 'timed out'}`,
        {
          ...ctx,
          cause: err,
        },
      );
    }
    const message = err instanceof Error ? err.message : String(err);
    return new DolphinError(
      'NETWORK_ERROR',
      `dolphin: ${op} failed to reach the server: ${shorten(message, 120)}`,
      { ...ctx, cause: err },
    );
  }

  // ---------------------------------------------------------------- projects

  /**
   * Lists projects (paged, `searchVal` is a LIKE filter).
   *
   * @param query - search value and paging
   * @param options - abort signal
   * @returns a page of projects
   */
  async listProjects(
    query: {
      readonly searchVal?: string;
      readonly pageNo?: number;
      readonly pageSize?: number;
    } = {},
    options?: DolphinCallOptions,
  ): Promise<DolphinPage<DolphinProject>> {
    return this.#send(
      {
        op: 'listProjects',
        method: 'GET',
        path: 'projects',
        params: {
          searchVal: query.searchVal,
          pageNo: query.pageNo ?? 1,
          pageSize: query.pageSize ?? 100,
        },
        schema: pageOf(ProjectSchema),
      },
      options ?? {},
    );
  }

  /**
   * Finds a project by exact name (names are globally unique).
   *
   * @param name - project name
   * @param options - abort signal
   * @returns the project, or null
   */
  async findProjectByName(
    name: string,
    options?: DolphinCallOptions,
  ): Promise<DolphinProject | null> {
    const page = await this.listProjects({ searchVal: name, pageSize: 100 }, options);
    return page.items.find((p) => p.name === name) ?? null;
  }

  /**
   * Creates a project (HTTP 201; an existing name answers 10019 → `NAME_EXISTS`).
   *
   * @param name - project name
   * @param description - optional description (≤ 255 chars)
   * @param options - abort signal
   * @returns the project
   */
  async createProject(
    name: string,
    description?: string,
    options?: DolphinCallOptions,
  ): Promise<DolphinProject> {
    return this.#send(
      {
        op: 'createProject',
        method: 'POST',
        path: 'projects',
        params: { projectName: name, description },
        schema: ProjectSchema,
      },
      options ?? {},
    );
  }

  /**
   * Reads a project by code.
   *
   * @param code - project code
   * @param options - abort signal
   * @returns the project
   */
  async getProject(code: DolphinCode, options?: DolphinCallOptions): Promise<DolphinProject> {
    return this.#send(
      { op: 'getProject', method: 'GET', path: `projects/${code}`, schema: ProjectSchema },
      options ?? {},
    );
  }

  /**
   * Deletes a project (fails with 10137 while it still has workflows).
   *
   * @param code - project code
   * @param options - abort signal
   */
  async deleteProject(code: DolphinCode, options?: DolphinCallOptions): Promise<void> {
    await this.#send(
      { op: 'deleteProject', method: 'DELETE', path: `projects/${code}`, schema: NullishData },
      options ?? {},
    );
  }

  /**
   * Generates task codes (1–100 per call).
   *
   * @param projectCode - project code
   * @param count - how many
   * @param options - abort signal
   * @returns the new codes
   */
  async genTaskCodes(
    projectCode: DolphinCode,
    count: number,
    options?: DolphinCallOptions,
  ): Promise<DolphinCode[]> {
    return this.#send(
      {
        op: 'genTaskCodes',
        method: 'GET',
        path: `projects/${projectCode}/task-definition/gen-task-codes`,
        params: { genNum: count },
        schema: z.array(CodeSchema),
      },
      options ?? {},
    );
  }

  // ---------------------------------------------------------------- workflows

  #workflowParams(
    names: DolphinNames,
    input: DolphinWorkflowInput,
  ): Record<string, string | number | undefined> {
    const tasks = input.tasks.map((t) => ({
      code: rawNumber(t.code),
      version: t.version,
      name: t.name,
      description: t.description ?? '',
      taskType: t.taskType,
      taskParams: t.taskParams,
      flag: 'YES',
      isCache: 'NO',
      taskPriority: 'MEDIUM',
      workerGroup: 'default',
      environmentCode: -1,
      failRetryTimes: t.failRetryTimes ?? 0,
      failRetryInterval: t.failRetryInterval ?? 1,
      timeoutFlag: (t.timeout ?? 0) > 0 ? 'OPEN' : 'CLOSE',
      timeoutNotifyStrategy: (t.timeout ?? 0) > 0 ? 'FAILED' : null,
      timeout: t.timeout ?? 0,
      delayTime: 0,
      taskExecuteType: 'BATCH',
      cpuQuota: -1,
      memoryMax: -1,
    }));
    const relations = input.relations.map((r) => ({
      name: '',
      preTaskCode: rawNumber(r.preTaskCode),
      preTaskVersion: 0,
      postTaskCode: rawNumber(r.postTaskCode),
      postTaskVersion: 0,
      conditionType: 'NONE',
      conditionParams: {},
    }));
    const locations = input.tasks.map((t, i) => ({
      taskCode: rawNumber(t.code),
      x: 120 + 220 * (i % 5),
      y: 80 + 110 * Math.floor(i / 5),
    }));
    return {
      name: input.name,
      description: input.description ?? '',
      taskDefinitionJson: JSON.stringify(tasks),
      taskRelationJson: JSON.stringify(relations),
      locations: JSON.stringify(locations),
      globalParams: '[]',
      timeout: input.timeout ?? 0,
      executionType: input.executionType ?? 'PARALLEL',
      tenantCode: names.tenantOnDefinition ? (input.tenantCode ?? 'default') : undefined,
    };
  }

  /**
   * Creates a workflow definition (starts OFFLINE).
   *
   * @param projectCode - project code
   * @param input - name, tasks (with codes from {@link DolphinClient.genTaskCodes}), relations
   * @param options - abort signal
   * @returns the definition (code, version)
   */
  async createWorkflow(
    projectCode: DolphinCode,
    input: DolphinWorkflowInput,
    options?: DolphinCallOptions,
  ): Promise<DolphinWorkflowDefinition> {
    return this.#call(
      (n) => ({
        op: 'createWorkflow',
        method: 'POST',
        path: `projects/${projectCode}/${n.definitionPath}`,
        params: this.#workflowParams(n, input),
        schema: WorkflowDefinitionSchema,
      }),
      options,
    );
  }

  /**
   * Updates a workflow definition; it must be OFFLINE (else `MUST_BE_OFFLINE`, 50008).
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param input - the full definition, plus the release state to leave it in
   * @param options - abort signal
   * @returns the definition after the update
   */
  async updateWorkflow(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    input: DolphinWorkflowInput & { readonly releaseState?: ReleaseState },
    options?: DolphinCallOptions,
  ): Promise<DolphinWorkflowDefinition> {
    return this.#call(
      (n) => ({
        op: 'updateWorkflow',
        method: 'PUT',
        path: `projects/${projectCode}/${n.definitionPath}/${workflowCode}`,
        params: {
          ...this.#workflowParams(n, input),
          releaseState: input.releaseState ?? 'OFFLINE',
        },
        schema: WorkflowDefinitionSchema,
      }),
      options,
    );
  }

  /**
   * Reads a workflow with its tasks and relations.
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param options - abort signal
   * @returns the DAG
   */
  async getWorkflow(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    options?: DolphinCallOptions,
  ): Promise<DolphinDag> {
    return this.#call(
      (n) => ({
        op: 'getWorkflow',
        method: 'GET',
        path: `projects/${projectCode}/${n.definitionPath}/${workflowCode}`,
        schema: DagDataSchema,
      }),
      options,
    );
  }

  /**
   * Reads a workflow by name; null when absent (50003).
   *
   * @param projectCode - project code
   * @param name - workflow name
   * @param options - abort signal
   * @returns the DAG, or null
   */
  async getWorkflowByName(
    projectCode: DolphinCode,
    name: string,
    options?: DolphinCallOptions,
  ): Promise<DolphinDag | null> {
    try {
      return await this.#call(
        (n) => ({
          op: 'getWorkflowByName',
          method: 'GET',
          path: `projects/${projectCode}/${n.definitionPath}/query-by-name`,
          params: { name },
          schema: DagDataSchema,
        }),
        options,
      );
    } catch (err) {
      if (isDolphinError(err, 'NOT_FOUND')) return null;
      throw err;
    }
  }

  /**
   * Releases a workflow ONLINE or OFFLINE (OFFLINE also takes its schedule offline).
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param state - `ONLINE` or `OFFLINE`
   * @param options - abort signal
   */
  async releaseWorkflow(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    state: ReleaseState,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.#call(
      (n) => ({
        op: 'releaseWorkflow',
        method: 'POST',
        path: `projects/${projectCode}/${n.definitionPath}/${workflowCode}/release`,
        params: { releaseState: state },
        schema: TrueOrNull,
      }),
      options,
    );
  }

  /**
   * Deletes a workflow (must be OFFLINE, without an online schedule or running instances).
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param options - abort signal
   */
  async deleteWorkflow(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.#call(
      (n) => ({
        op: 'deleteWorkflow',
        method: 'DELETE',
        path: `projects/${projectCode}/${n.definitionPath}/${workflowCode}`,
        schema: NullishData,
      }),
      options,
    );
  }

  // ---------------------------------------------------------------- schedules

  #scheduleParams(
    n: DolphinNames,
    input: DolphinScheduleInput,
  ): Record<string, string | number | undefined> {
    return {
      schedule: JSON.stringify(input.schedule),
      warningType: input.warningType ?? 'NONE',
      warningGroupId: input.warningGroupId ?? 0,
      failureStrategy: input.failureStrategy ?? 'END',
      workerGroup: input.workerGroup ?? 'default',
      environmentCode: -1,
      [n.priorityParam]: 'MEDIUM',
      tenantCode: n.tenantOnDefinition ? undefined : (input.tenantCode ?? 'default'),
    };
  }

  /**
   * Lists the schedules of one workflow.
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param options - abort signal
   * @returns its schedules (at most one on 3.2+)
   */
  async listSchedules(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    options?: DolphinCallOptions,
  ): Promise<DolphinSchedule[]> {
    const page = await this.#call(
      (n) => ({
        op: 'listSchedules',
        method: 'GET',
        path: `projects/${projectCode}/schedules`,
        params: { [n.workflowCodeParam]: workflowCode, pageNo: 1, pageSize: 100 },
        schema: pageOf(ScheduleSchema),
      }),
      options,
    );
    return page.items.filter((s) => s.workflowCode === null || s.workflowCode === workflowCode);
  }

  /**
   * Creates a schedule (OFFLINE) for an ONLINE workflow.
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param input - schedule and run options
   * @param options - abort signal
   * @returns the schedule
   */
  async createSchedule(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    input: DolphinScheduleInput,
    options?: DolphinCallOptions,
  ): Promise<DolphinSchedule> {
    return this.#call(
      (n) => ({
        op: 'createSchedule',
        method: 'POST',
        path: `projects/${projectCode}/schedules`,
        params: { [n.workflowCodeParam]: workflowCode, ...this.#scheduleParams(n, input) },
        schema: ScheduleSchema,
      }),
      options,
    );
  }

  /**
   * Updates an OFFLINE schedule; every option is resent (omitted ones reset server-side).
   *
   * @param projectCode - project code
   * @param scheduleId - schedule id
   * @param input - schedule and run options
   * @param options - abort signal
   */
  async updateSchedule(
    projectCode: DolphinCode,
    scheduleId: number,
    input: DolphinScheduleInput,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.#call(
      (n) => ({
        op: 'updateSchedule',
        method: 'PUT',
        path: `projects/${projectCode}/schedules/${scheduleId}`,
        params: this.#scheduleParams(n, input),
        schema: NullishData,
      }),
      options,
    );
  }

  /**
   * Puts a schedule online (the workflow must be ONLINE).
   *
   * @param projectCode - project code
   * @param scheduleId - schedule id
   * @param options - abort signal
   */
  async onlineSchedule(
    projectCode: DolphinCode,
    scheduleId: number,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.#send(
      {
        op: 'onlineSchedule',
        method: 'POST',
        path: `projects/${projectCode}/schedules/${scheduleId}/online`,
        schema: TrueOrNull,
      },
      options ?? {},
    );
  }

  /**
   * Takes a schedule offline.
   *
   * @param projectCode - project code
   * @param scheduleId - schedule id
   * @param options - abort signal
   */
  async offlineSchedule(
    projectCode: DolphinCode,
    scheduleId: number,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.#send(
      {
        op: 'offlineSchedule',
        method: 'POST',
        path: `projects/${projectCode}/schedules/${scheduleId}/offline`,
        schema: TrueOrNull,
      },
      options ?? {},
    );
  }

  /**
   * Deletes an OFFLINE schedule.
   *
   * @param projectCode - project code
   * @param scheduleId - schedule id
   * @param options - abort signal
   */
  async deleteSchedule(
    projectCode: DolphinCode,
    scheduleId: number,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.#send(
      {
        op: 'deleteSchedule',
        method: 'DELETE',
        path: `projects/${projectCode}/schedules/${scheduleId}`,
        schema: NullishData,
      },
      options ?? {},
    );
  }

  /**
   * Previews the next fire times of a schedule (validates the Quartz crontab server-side).
   *
   * @param projectCode - project code
   * @param schedule - the schedule parameter
   * @param options - abort signal
   * @returns the next fire times, `yyyy-MM-dd HH:mm:ss` in the schedule's zone
   */
  async previewSchedule(
    projectCode: DolphinCode,
    schedule: DolphinScheduleParam,
    options?: DolphinCallOptions,
  ): Promise<string[]> {
    return this.#send(
      {
        op: 'previewSchedule',
        method: 'POST',
        path: `projects/${projectCode}/schedules/preview`,
        params: { schedule: JSON.stringify(schedule) },
        schema: z.array(z.string()),
      },
      options ?? {},
    );
  }

  // ---------------------------------------------------------------- executors

  /**
   * Starts a run of an ONLINE workflow. What comes back differs per line (reference §2.6).
   *
   * @param projectCode - project code
   * @param input - workflow code and run options
   * @param options - abort signal
   * @returns nothing (3.1), a trigger code (3.2) or the new instance ids (3.3)
   */
  async startWorkflow(
    projectCode: DolphinCode,
    input: DolphinStartInput,
    options?: DolphinCallOptions,
  ): Promise<DolphinStartResult> {
    let line: DolphinVersionLine = '3.1';
    const data = await this.#call((n) => {
      line = n.line;
      return {
        op: 'startWorkflow',
        method: 'POST',
        path: `projects/${projectCode}/executors/${n.startPath}`,
        params: {
          [n.workflowCodeParam]: input.workflowCode,
          scheduleTime: '',
          failureStrategy: input.failureStrategy ?? 'END',
          warningType: input.warningType ?? 'NONE',
          warningGroupId: input.warningGroupId,
          execType: 'START_PROCESS',
          taskDependType: input.taskDependType ?? 'TASK_POST',
          startNodeList: input.startNodeList?.join(','),
          startParams: input.startParams ? JSON.stringify(input.startParams) : undefined,
          [n.priorityParam]: 'MEDIUM',
          workerGroup: input.workerGroup ?? 'default',
          environmentCode: -1,
          dryRun: 0,
          tenantCode: n.tenantOnDefinition ? undefined : (input.tenantCode ?? 'default'),
        },
        schema: z.unknown(),
      };
    }, options);
    const names = dolphinNames(line);
    if (names.startResult === 'instanceIds') {
      const ids = z.array(z.number().int()).safeParse(data);
      if (ids.success) return { kind: 'instanceIds', instanceIds: ids.data };
    }
    if (names.startResult === 'triggerCode') {
      const code = CodeSchema.safeParse(data);
      if (code.success) return { kind: 'triggerCode', triggerCode: code.data };
    }
    if (data === null || data === undefined) return { kind: 'none' };
    throw new DolphinError(
      'INVALID_RESPONSE',
      `dolphin: startWorkflow answered unexpected data for line ${line}`,
      {
        method: 'POST',
        path: `/projects/${projectCode}/executors/${names.startPath}`,
        engineCode: 0,
      },
    );
  }

  /**
   * Controls a run (`STOP`, `PAUSE`, `REPEAT_RUNNING`, …) through `/executors/execute`.
   *
   * @param projectCode - project code
   * @param instanceId - workflow instance id
   * @param executeType - ExecuteType name
   * @param options - abort signal
   */
  async executeInstance(
    projectCode: DolphinCode,
    instanceId: number,
    executeType: string,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.#call(
      (n) => ({
        op: 'executeInstance',
        method: 'POST',
        path: `projects/${projectCode}/executors/execute`,
        params: { [n.instanceIdParam]: instanceId, executeType },
        schema: NullishData,
      }),
      options,
    );
  }

  // ---------------------------------------------------------------- instances

  /**
   * Reads one workflow instance.
   *
   * @param projectCode - project code
   * @param instanceId - workflow instance id
   * @param options - abort signal
   * @returns the instance (`NOT_FOUND` when missing)
   */
  async getInstance(
    projectCode: DolphinCode,
    instanceId: number,
    options?: DolphinCallOptions,
  ): Promise<DolphinWorkflowInstance> {
    return this.#call(
      (n) => ({
        op: 'getInstance',
        method: 'GET',
        path: `projects/${projectCode}/${n.instancePath}/${instanceId}`,
        schema: WorkflowInstanceSchema,
      }),
      options,
    );
  }

  /**
   * Lists workflow instances, newest first.
   *
   * @param projectCode - project code
   * @param query - workflow filter, state, paging
   * @param options - abort signal
   * @returns a page of instances
   */
  async listInstances(
    projectCode: DolphinCode,
    query: ListInstancesQuery = {},
    options?: DolphinCallOptions,
  ): Promise<DolphinPage<DolphinWorkflowInstance>> {
    return this.#call(
      (n) => ({
        op: 'listInstances',
        method: 'GET',
        path: `projects/${projectCode}/${n.instancePath}`,
        params: {
          [n.instanceListWorkflowParam]: query.workflowCode,
          stateType: query.stateType,
          pageNo: query.pageNo ?? 1,
          pageSize: query.pageSize ?? 20,
        },
        schema: pageOf(WorkflowInstanceSchema),
      }),
      options,
    );
  }

  /**
   * Resolves a 3.2 trigger code to the instances it created (empty until the master took it).
   *
   * @param projectCode - project code
   * @param triggerCode - from {@link DolphinClient.startWorkflow}
   * @param options - abort signal
   * @returns the instances (possibly none yet)
   */
  async getInstancesByTrigger(
    projectCode: DolphinCode,
    triggerCode: DolphinCode,
    options?: DolphinCallOptions,
  ): Promise<DolphinWorkflowInstance[]> {
    return this.#call(
      (n) => ({
        op: 'getInstancesByTrigger',
        method: 'GET',
        path: `projects/${projectCode}/${n.instancePath}/trigger`,
        params: { triggerCode },
        schema: z
          .array(WorkflowInstanceSchema)
          .nullish()
          .transform((v) => v ?? []),
      }),
      options,
    );
  }

  /**
   * Reads the task instances of a workflow instance with the instance's state.
   *
   * @param projectCode - project code
   * @param instanceId - workflow instance id
   * @param options - abort signal
   * @returns state and task list
   */
  async getInstanceTasks(
    projectCode: DolphinCode,
    instanceId: number,
    options?: DolphinCallOptions,
  ): Promise<DolphinInstanceTasks> {
    return this.#call(
      (n) => ({
        op: 'getInstanceTasks',
        method: 'GET',
        path: `projects/${projectCode}/${n.instancePath}/${instanceId}/tasks`,
        schema: InstanceTasksSchema,
      }),
      options,
    );
  }

  /**
   * Lists task instances (paged), optionally of one workflow instance.
   *
   * @param projectCode - project code
   * @param query - workflow instance id and paging
   * @param options - abort signal
   * @returns a page of task instances
   */
  async listTaskInstances(
    projectCode: DolphinCode,
    query: {
      readonly instanceId?: number;
      readonly pageNo?: number;
      readonly pageSize?: number;
    } = {},
    options?: DolphinCallOptions,
  ): Promise<DolphinPage<DolphinTaskInstance>> {
    return this.#call(
      (n) => ({
        op: 'listTaskInstances',
        method: 'GET',
        path: `projects/${projectCode}/task-instances`,
        params: {
          [n.instanceIdParam]: query.instanceId,
          pageNo: query.pageNo ?? 1,
          pageSize: query.pageSize ?? 50,
        },
        schema: pageOf(TaskInstanceSchema),
      }),
      options,
    );
  }

  // ---------------------------------------------------------------- logs

  /**
   * Reads one page of a task instance's log (line-based paging).
   *
   * @param taskInstanceId - task instance id
   * @param page - lines to skip and the page size
   * @param options - abort signal
   * @returns the page's text and line count
   */
  async getLogPage(
    taskInstanceId: number,
    page: { readonly skipLineNum: number; readonly limit: number },
    options?: DolphinCallOptions,
  ): Promise<{ readonly lineNum: number; readonly message: string }> {
    return this.#send(
      {
        op: 'getLogPage',
        method: 'GET',
        path: 'log/detail',
        params: { taskInstanceId, skipLineNum: page.skipLineNum, limit: page.limit },
        schema: LogPageSchema,
      },
      options ?? {},
    );
  }

  /**
   * Reads one page of a task instance's log and counts the log-file lines it holds.
   *
   * The server joins file lines with `\r\n`, prefixes the first page with a
   * `[LOG-PATH]: …, [HOST]: …` header line (not a file line), stops a page early after 64 KiB and
   * reports `lineNum` as the number of `\r\n`-separated segments (1 for an empty page), so the
   * file lines are counted here instead.
   *
   * @param taskInstanceId - task instance id
   * @param page - file lines to skip and the page size
   * @param options - abort signal
   * @returns the text (line endings normalised to `\n`), the number of file lines, and whether the end was reached
   * @example
   * ```ts
   * const first = await client.readLogPage(taskInstanceId, { skipLineNum: 0, limit: 500 });
   * const next = first.end ? null : await client.readLogPage(taskInstanceId, { skipLineNum: first.lines, limit: 500 });
   * ```
   */
  async readLogPage(
    taskInstanceId: number,
    page: { readonly skipLineNum: number; readonly limit: number },
    options?: DolphinCallOptions,
  ): Promise<DolphinLogChunk> {
    const raw = await this.getLogPage(taskInstanceId, page, options);
    const message = raw.message;
    const lines = message.split('\r\n').length - 1;
    const bytes = Buffer.byteLength(message, 'utf8');
    return {
      text: message.replace(/\r\n/g, '\n'),
      lines,
      end: lines === 0 || (lines < page.limit && bytes < LOG_PAGE_BYTE_CAP),
    };
  }

  /**
   * Reads a task instance's whole log, page by page to the end.
   *
   * @param taskInstanceId - task instance id
   * @param options - page size (default 1000 lines), abort signal
   * @returns the log text (with the `[LOG-PATH]` header line)
   * @example
   * ```ts
   * console.log(await client.readLog(taskInstanceId));
   * ```
   */
  async readLog(
    taskInstanceId: number,
    options: DolphinCallOptions & { readonly pageLines?: number } = {},
  ): Promise<string> {
    const limit = options.pageLines ?? 1000;
    const parts: string[] = [];
    let skip = 0;
    for (;;) {
      const page = await this.readLogPage(taskInstanceId, { skipLineNum: skip, limit }, options);
      parts.push(page.text);
      skip += page.lines;
      if (page.end) break;
    }
    return parts.join('');
  }

  // ---------------------------------------------------------------- data sources and alerts

  /**
   * Lists data sources (paged, `searchVal` filters by name).
   *
   * @param query - search value and paging
   * @param options - abort signal
   * @returns a page of data sources
   */
  async listDatasources(
    query: {
      readonly searchVal?: string;
      readonly pageNo?: number;
      readonly pageSize?: number;
    } = {},
    options?: DolphinCallOptions,
  ): Promise<DolphinPage<DolphinDatasource>> {
    return this.#send(
      {
        op: 'listDatasources',
        method: 'GET',
        path: 'datasources',
        params: {
          searchVal: query.searchVal,
          pageNo: query.pageNo ?? 1,
          pageSize: query.pageSize ?? 100,
        },
        schema: pageOf(DatasourceSchema),
      },
      options ?? {},
    );
  }

  /**
   * Lists UI plugin definitions of a type (e.g. `ALERT`).
   *
   * @param pluginType - `ALERT`, `TASK`, …
   * @param options - abort signal
   * @returns the plugin definitions
   */
  async listUiPlugins(
    pluginType: string,
    options?: DolphinCallOptions,
  ): Promise<DolphinUiPlugin[]> {
    return this.#send(
      {
        op: 'listUiPlugins',
        method: 'GET',
        path: 'ui-plugins/query-by-type',
        params: { pluginType },
        schema: z.array(UiPluginSchema),
      },
      options ?? {},
    );
  }

  /**
   * Lists alert plugin instances.
   *
   * @param options - abort signal
   * @returns the instances
   */
  async listAlertPluginInstances(
    options?: DolphinCallOptions,
  ): Promise<DolphinAlertPluginInstance[]> {
    return this.#send(
      {
        op: 'listAlertPluginInstances',
        method: 'GET',
        path: 'alert-plugin-instances/list',
        schema: z.array(AlertPluginInstanceSchema),
      },
      options ?? {},
    );
  }

  /**
   * Creates an alert plugin instance. On 3.2 `instanceType=NORMAL` and `warningType=ALL` are sent
   * (required there).
   *
   * @param input - plugin id, instance name and the plugin's field values
   * @param options - abort signal
   * @returns the instance
   */
  async createAlertPluginInstance(
    input: {
      readonly pluginDefineId: number;
      readonly instanceName: string;
      readonly params: DolphinAlertParams;
    },
    options?: DolphinCallOptions,
  ): Promise<DolphinAlertPluginInstance> {
    const fields = pluginFields(input.params);
    return this.#call(
      (n) => ({
        op: 'createAlertPluginInstance',
        method: 'POST',
        path: 'alert-plugin-instances',
        params: {
          pluginDefineId: input.pluginDefineId,
          instanceName: input.instanceName,
          pluginInstanceParams: JSON.stringify(fields),
          instanceType: n.alertInstanceTypeRequired ? 'NORMAL' : undefined,
          warningType: n.alertInstanceTypeRequired ? 'ALL' : undefined,
        },
        schema: AlertPluginInstanceSchema,
      }),
      options,
    );
  }

  /**
   * Updates an alert plugin instance's fields.
   *
   * @param id - instance id
   * @param input - instance name and the plugin's field values
   * @param options - abort signal
   */
  async updateAlertPluginInstance(
    id: number,
    input: { readonly instanceName: string; readonly params: DolphinAlertParams },
    options?: DolphinCallOptions,
  ): Promise<void> {
    const fields = pluginFields(input.params);
    await this.#call(
      (n) => ({
        op: 'updateAlertPluginInstance',
        method: 'PUT',
        path: `alert-plugin-instances/${id}`,
        params: {
          instanceName: input.instanceName,
          pluginInstanceParams: JSON.stringify(fields),
          instanceType: n.alertInstanceTypeRequired ? 'NORMAL' : undefined,
          warningType: n.alertInstanceTypeRequired ? 'ALL' : undefined,
        },
        schema: NullishData,
      }),
      options,
    );
  }

  /**
   * Lists alert groups.
   *
   * @param options - abort signal
   * @returns the groups
   */
  async listAlertGroups(options?: DolphinCallOptions): Promise<DolphinAlertGroup[]> {
    return this.#send(
      {
        op: 'listAlertGroups',
        method: 'GET',
        path: 'alert-groups/list',
        schema: z.array(AlertGroupSchema),
      },
      options ?? {},
    );
  }

  /**
   * Creates an alert group of plugin instances.
   *
   * @param input - group name, description and instance ids
   * @param options - abort signal
   * @returns the group
   */
  async createAlertGroup(
    input: {
      readonly groupName: string;
      readonly description?: string;
      readonly alertInstanceIds: readonly number[];
    },
    options?: DolphinCallOptions,
  ): Promise<DolphinAlertGroup> {
    return this.#send(
      {
        op: 'createAlertGroup',
        method: 'POST',
        path: 'alert-groups',
        params: {
          groupName: input.groupName,
          description: input.description,
          alertInstanceIds: input.alertInstanceIds.join(','),
        },
        schema: AlertGroupSchema,
      },
      options ?? {},
    );
  }
}
