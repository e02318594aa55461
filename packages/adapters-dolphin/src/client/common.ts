import { z } from 'zod';
import type { DolphinScheduleParam } from '../cron';
import { type DolphinCode, pageSchema } from '../schemas';
import type { DolphinVersionLine } from '../version';

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

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CallSpec<T> {
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
export const LOG_PAGE_BYTE_CAP = 60_000;

/**
 * Parameters of an alert plugin instance: the plugin form's field → value.
 *
 * @example
 * ```ts
 * const params: DolphinAlertParams = httpAlertParams('3.3', 'https://portal/callback');
 * ```
 */
export type DolphinAlertParams = Readonly<Record<string, string>>;

export const NullishData = z.unknown();
export const TrueOrNull = z
  .union([z.boolean(), z.null(), z.undefined()])
  .transform(() => undefined);
export const ProductInfoSchema = z.looseObject({ version: z.string() });

export function pageOf<T extends z.ZodType>(item: T) {
  return pageSchema(item).transform((p) => ({
    items: p.totalList as z.output<T>[],
    total: p.total,
  }));
}

/**
 * The plugin form as the server deserialises it (`PluginParams.Builder`): `field`, `type` and
 * `title` are required, otherwise the whole list is silently read as empty.
 */
export function pluginFields(params: DolphinAlertParams): Array<Record<string, string>> {
  return Object.entries(params).map(([field, value]) => ({
    field,
    name: field,
    type: 'input',
    title: field,
    value,
  }));
}

export function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function asFormValue(v: string | number | boolean): string {
  return typeof v === 'string' ? v : String(v);
}
