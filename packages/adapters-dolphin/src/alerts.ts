import type { ExecutionInput, ExecutionStatus, Task } from '@dataportal/sdk';
import { parseWallClock } from '@dataportal/sdk';
import type { DolphinCallOptions, DolphinClient } from './client';
import { readDolphinRef, taskStatusOf } from './engine';
import { DolphinError } from './errors';
import { parseJsonLossless } from './internal/json';

/** The HTTP alert plugin's content placeholder on 3.3+ (`HttpAlertConstants.MSG_PARAMS`). */
const MSG_PLACEHOLDER = ['$', '{msg}'].join('');

/** Header the portal reads a callback's shared secret from. */
export const CALLBACK_SECRET_HEADER = 'x-dataportal-secret';

/**
 * Options of {@link provisionDolphinAlerts}.
 *
 * @example
 * ```ts
 * const options: ProvisionDolphinAlertsOptions = { callbackUrl: 'https://portal/api/v1/dolphin/alerts', headers: { 'x-secret': 's' } };
 * ```
 */
export interface ProvisionDolphinAlertsOptions {
  /** URL DolphinScheduler's alert server posts finished-run alerts to (the portal's callback). */
  readonly callbackUrl: string;
  /** Name of the alert plugin instance and of the alert group (default `dataportal-callback`). */
  readonly name?: string;
  /** Extra headers on every callback (e.g. a shared secret). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The portal's callback secret, sent as `x-dataportal-secret` on every alert. DolphinScheduler's
   * HTTP alert plugin cannot sign a request, so this header is how its alerts authenticate.
   */
  readonly callbackSecret?: string;
  /** Abort signal. */
  readonly signal?: AbortSignal;
}

/**
 * What {@link provisionDolphinAlerts} found or created.
 *
 * @example
 * ```ts
 * const { alertGroupId }: DolphinAlertProvision = await provisionDolphinAlerts(client, { callbackUrl });
 * ```
 */
export interface DolphinAlertProvision {
  /** Id of the `Http` alert plugin definition. */
  readonly pluginDefineId: number;
  /** Id of the plugin instance pointing at the callback URL. */
  readonly alertInstanceId: number;
  /** Id of the alert group (pass as the engine's `alertGroupId`). */
  readonly alertGroupId: number;
  /** Field values the instance was given. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * The HTTP alert plugin's field values for a callback URL, per version line (reference §6.2):
 * 3.1/3.2 post `{source, content: "<JSON array>"}` through `contentField`; 3.3+ substitute the
 * `${msg}` placeholder in a JSON body.
 *
 * @param line - version line
 * @param callbackUrl - where to post
 * @param headers - extra headers
 * @returns the plugin form's field → value map
 * @example
 * ```ts
 * httpAlertParams('3.3', 'https://portal/api/v1/dolphin/alerts', {}).bodyParams;
 * ```
 */
export function httpAlertParams(
  line: '3.1' | '3.2' | '3.3',
  callbackUrl: string,
  headers: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const headerParams = JSON.stringify({ 'Content-Type': 'application/json', ...headers });
  if (line === '3.3') {
    return {
      url: callbackUrl,
      requestType: 'POST',
      headerParams,
      bodyParams: JSON.stringify({ source: 'dolphinscheduler', content: MSG_PLACEHOLDER }),
      contentType: 'application/json',
      timeout: '120000',
      WarningType: 'all',
    };
  }
  return {
    url: callbackUrl,
    requestType: 'POST',
    headerParams,
    bodyParams: JSON.stringify({ source: 'dolphinscheduler' }),
    contentField: 'content',
    ...(line === '3.2' ? { timeout: '120' } : { WarningType: 'all' }),
  };
}

/**
 * Makes sure DolphinScheduler posts finished-run alerts to the portal: finds the `Http` alert plugin,
 * creates (or updates) a plugin instance pointing at `callbackUrl` and an alert group holding it.
 * Idempotent by name. Pass the returned `alertGroupId` as the engine's `alertGroupId`.
 *
 * @param client - a DolphinScheduler client
 * @param options - callback URL, names, headers
 * @returns the plugin, instance and group ids
 * @throws {@link DolphinError} `NOT_FOUND` when the server has no `Http` alert plugin
 * @example
 * ```ts
 * const { alertGroupId } = await provisionDolphinAlerts(engine.client, {
 *   callbackUrl: 'https://portal.example/api/v1/dolphin/alerts',
 *   headers: { 'x-dataportal-secret': secret },
 * });
 * ```
 */
export async function provisionDolphinAlerts(
  client: DolphinClient,
  options: ProvisionDolphinAlertsOptions,
): Promise<DolphinAlertProvision> {
  const call: DolphinCallOptions = options.signal ? { signal: options.signal } : {};
  const name = options.name ?? 'dataportal-callback';
  const line = await client.versionLine(call);
  const plugins = await client.listUiPlugins('ALERT', call);
  const http = plugins.find((p) => p.pluginName.toLowerCase() === 'http');
  if (!http) throw new DolphinError('NOT_FOUND', 'dolphin: the server has no Http alert plugin');
  const params = httpAlertParams(line, options.callbackUrl, {
    ...options.headers,
    ...(options.callbackSecret && { [CALLBACK_SECRET_HEADER]: options.callbackSecret }),
  });
  const instances = await client.listAlertPluginInstances(call);
  const found = instances.find((i) => i.instanceName === name);
  let alertInstanceId: number;
  if (found) {
    await client.updateAlertPluginInstance(found.id, { instanceName: name, params }, call);
    alertInstanceId = found.id;
  } else {
    alertInstanceId = (
      await client.createAlertPluginInstance(
        { pluginDefineId: http.id, instanceName: name, params },
        call,
      )
    ).id;
  }
  const groups = await client.listAlertGroups(call);
  const group =
    groups.find((g) => g.groupName === name) ??
    (await client.createAlertGroup(
      {
        groupName: name,
        description: 'DataPortal run callbacks',
        alertInstanceIds: [alertInstanceId],
      },
      call,
    ));
  return { pluginDefineId: http.id, alertInstanceId, alertGroupId: group.id, params };
}

/**
 * One run reported by an alert.
 *
 * @example
 * ```ts
 * const run: DolphinAlertRun | undefined = parseDolphinAlert(body).runs[0];
 * ```
 */
export interface DolphinAlertRun {
  /** Workflow instance id (the engine's external run id). */
  readonly externalRunId: string;
  /** Project code, when present. */
  readonly projectCode: string | null;
  /** Workflow definition code, when present. */
  readonly workflowCode: string | null;
  /** Workflow instance name. */
  readonly workflowInstanceName: string | null;
  /** Task code for task-level (failure) entries, else null. */
  readonly taskCode: string | null;
  /** Task name for task-level entries, else null. */
  readonly taskName: string | null;
  /** Portal status. */
  readonly status: ExecutionStatus;
  /** Start time (workflow or task). */
  readonly startTime: Date | null;
  /** End time (workflow or task). */
  readonly endTime: Date | null;
  /** A short description. */
  readonly message: string | null;
}

/**
 * A parsed workflow-finish alert.
 *
 * @example
 * ```ts
 * const alert: DolphinAlert = parseDolphinAlert(body);
 * if (alert.variant === 'failure') console.log(alert.runs.map((r) => r.taskName));
 * ```
 */
export interface DolphinAlert {
  /** `success` (one workflow entry), `failure` (one entry per failed task), `empty` (stop/pause alert without content). */
  readonly variant: 'success' | 'failure' | 'empty';
  /** Which payload keys it used: `process` (3.1/3.2) or `workflow` (3.3+). */
  readonly keys: 'process' | 'workflow' | null;
  /** The runs it reports. */
  readonly runs: readonly DolphinAlertRun[];
}

/**
 * Options of {@link parseDolphinAlert}.
 *
 * @example
 * ```ts
 * parseDolphinAlert(body, { contentField: 'msg', timeZone: 'Asia/Shanghai' } satisfies ParseDolphinAlertOptions);
 * ```
 */
export interface ParseDolphinAlertOptions {
  /** Field holding the content on 3.1/3.2 (`contentField`, default `content`). */
  readonly contentField?: string;
  /** Zone of the payload's dates (the alert server's JVM zone; default `UTC`). */
  readonly timeZone?: string;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : null;
}

function text(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  return typeof v === 'string' ? v : String(v);
}

function statusOf(state: string | null): ExecutionStatus {
  switch (state) {
    case 'SUCCESS':
    case 'FORCED_SUCCESS':
      return 'SUCCESS';
    case 'STOP':
    case 'KILL':
    case 'PAUSE':
      return 'KILLED';
    default:
      return 'FAILED';
  }
}

/**
 * Parses the HTTP alert plugin's callback into runs: 3.1/3.2 bodies `{…, content: "<JSON array>"}`
 * with `process*` keys, 3.3+ bodies with the `${msg}` content and `workflow*` keys. A success alert
 * carries one workflow entry; a failure alert one entry per failed task (and no workflow state).
 *
 * Alerts are a hint: delivery is at most once, so the run poller stays the source of truth.
 *
 * @param payload - the request body (string or parsed JSON), the content string itself, or the content array
 * @param options - content field and time zone
 * @returns the parsed alert
 * @throws {@link DolphinError} `INVALID_RESPONSE` when the payload is not an alert
 * @example
 * ```ts
 * const alert = parseDolphinAlert(await request.text());
 * const inputs = alertToExecutionInputs(alert, await portal.listTasks({ engine: 'dolphin' }).then((p) => p.items));
 * ```
 */
export function parseDolphinAlert(
  payload: unknown,
  options: ParseDolphinAlertOptions = {},
): DolphinAlert {
  const field = options.contentField ?? 'content';
  const zone = options.timeZone ?? 'UTC';
  let value: unknown = payload;
  for (let depth = 0; depth < 3; depth++) {
    if (typeof value === 'string') {
      if (value.trim() === '') return { variant: 'empty', keys: null, runs: [] };
      try {
        value = parseJsonLossless(value);
      } catch (err) {
        throw new DolphinError('INVALID_RESPONSE', 'dolphin: alert payload is not JSON', {
          cause: err,
        });
      }
      continue;
    }
    const obj = asRecord(value);
    if (obj && field in obj) {
      value = obj[field];
      continue;
    }
    break;
  }
  if (!Array.isArray(value)) {
    throw new DolphinError('INVALID_RESPONSE', `dolphin: alert payload has no ${field} array`);
  }
  const entries = value.map(asRecord).filter((e): e is Record<string, unknown> => e !== null);
  if (entries.length === 0) return { variant: 'empty', keys: null, runs: [] };
  const workflowKeys = entries.some(
    (e) => 'workflowInstanceId' in e || 'workflowDefinitionCode' in e,
  );
  const failure = entries.some((e) => 'taskCode' in e || 'taskState' in e);
  const runs = entries.map((e): DolphinAlertRun => {
    const taskLevel = 'taskCode' in e || 'taskState' in e;
    const wfState = text(e['workflowExecutionStatus'] ?? e['processState']);
    const state = taskLevel ? text(e['taskState']) : wfState;
    const id = text(e['workflowInstanceId'] ?? e['processId']);
    if (!id)
      throw new DolphinError('INVALID_RESPONSE', 'dolphin: alert entry without an instance id');
    const start = taskLevel
      ? e['taskStartTime']
      : (e['workflowStartTime'] ?? e['processStartTime']);
    const end = taskLevel ? e['taskEndTime'] : (e['workflowEndTime'] ?? e['processEndTime']);
    const status = statusOf(state);
    return {
      externalRunId: id,
      projectCode: text(e['projectCode']),
      workflowCode: text(e['workflowDefinitionCode'] ?? e['processDefinitionCode']),
      workflowInstanceName: text(e['workflowInstanceName'] ?? e['processName']),
      taskCode: taskLevel ? text(e['taskCode']) : null,
      taskName: taskLevel ? text(e['taskName']) : null,
      status,
      startTime: parseWallClock(text(start), zone),
      endTime: parseWallClock(text(end), zone),
      message:
        status === 'SUCCESS'
          ? null
          : `${taskLevel ? `task ${text(e['taskName'])}` : 'workflow'} ended ${state ?? 'FAILURE'}`,
    };
  });
  return {
    variant: failure ? 'failure' : 'success',
    keys: workflowKeys ? 'workflow' : 'process',
    runs,
  };
}

/**
 * Turns a parsed alert into the portal's execution inputs for the tasks it concerns. A failure
 * entry maps to the task with that task code; a success entry maps to the workflow's task when the
 * unit has one task (for multi-task units the poller records per-task outcomes).
 *
 * @param alert - from {@link parseDolphinAlert}
 * @param tasks - candidate portal tasks (those published on DolphinScheduler)
 * @returns inputs for `PortalService.recordExecution`, possibly none
 * @example
 * ```ts
 * for (const input of alertToExecutionInputs(alert, tasks)) await portal.recordExecution(input);
 * ```
 */
export function alertToExecutionInputs(
  alert: DolphinAlert,
  tasks: readonly Task[],
): ExecutionInput[] {
  const out: ExecutionInput[] = [];
  for (const run of alert.runs) {
    for (const task of tasks) {
      const ref = readDolphinRef(task.engineRef);
      if (!ref || (run.workflowCode !== null && ref.workflowCode !== run.workflowCode)) continue;
      const matches =
        run.taskCode !== null ? ref.taskCode === run.taskCode : ref.unitTaskCount <= 1;
      if (!matches) continue;
      out.push({
        taskId: task.id,
        engine: 'dolphin',
        externalRunId: run.externalRunId,
        status: run.status,
        startTime: run.startTime,
        endTime: run.endTime,
        message: run.message,
      });
    }
  }
  return out;
}

/**
 * Options of {@link resolveDolphinAlert}.
 *
 * @example
 * ```ts
 * const options: ResolveDolphinAlertOptions = { client: engine.client, timeZone: 'UTC' };
 * ```
 */
export interface ResolveDolphinAlertOptions {
  /** Client to read the run's task instances (and SQL task logs) with. */
  readonly client: DolphinClient;
  /** Time zone of the DolphinScheduler server's wall-clock times (default `UTC`). */
  readonly timeZone?: string;
  /** Read each SQL task's log for the rows it wrote (one call per task; default true). */
  readonly readRows?: boolean;
  /** Abort signal. */
  readonly signal?: AbortSignal;
}

/** "main statement execute update result: 3, for sql: …" in a 3.1.1 SQL task log (measured). */
const UPDATE_RESULT = /execute update result:\s*(\d+)/;

/**
 * Like {@link alertToExecutionInputs}, and a workflow-level alert of a workflow that holds several
 * portal tasks (a success alert names no task) is resolved by reading the run's task instances:
 * one execution per portal task that ran (status, start, end; rows from a SQL task's log).
 * Tasks that did not run in that instance (a TASK_ONLY run of a sibling) get nothing.
 *
 * @param alert - the parsed alert
 * @param tasks - the portal's DolphinScheduler tasks
 * @param options - client, server time zone
 * @returns execution inputs for `PortalService.recordExecution`
 * @example
 * ```ts
 * for (const input of await resolveDolphinAlert(parseDolphinAlert(body), tasks, { client })) {
 *   await portal.recordExecution(input);
 * }
 * ```
 */
export async function resolveDolphinAlert(
  alert: DolphinAlert,
  tasks: readonly Task[],
  options: ResolveDolphinAlertOptions,
): Promise<ExecutionInput[]> {
  const call: DolphinCallOptions = options.signal ? { signal: options.signal } : {};
  const zone = options.timeZone ?? 'UTC';
  const out = alertToExecutionInputs(alert, tasks);
  for (const run of alert.runs) {
    if (run.taskCode !== null) continue;
    const members = tasks.filter((t) => {
      const ref = readDolphinRef(t.engineRef);
      return ref !== null && ref.unitTaskCount > 1 && ref.workflowCode === run.workflowCode;
    });
    const first = readDolphinRef(members[0]?.engineRef);
    if (!first || !/^\d+$/.test(run.externalRunId)) continue;
    const instance = await options.client.getInstanceTasks(
      first.projectCode,
      Number(run.externalRunId),
      call,
    );
    for (const task of members) {
      const ref = readDolphinRef(task.engineRef);
      const ti = instance.taskList
        .filter((x) => x.taskCode === ref?.taskCode)
        .sort((a, b) => b.id - a.id)[0];
      if (!ti) continue;
      let rowsOutput: number | null = null;
      if (
        options.readRows !== false &&
        ti.taskType === 'SQL' &&
        taskStatusOf(ti.state) === 'SUCCESS'
      ) {
        const log = await options.client.readLog(ti.id, call);
        const m = UPDATE_RESULT.exec(log);
        rowsOutput = m?.[1] ? Number(m[1]) : null;
      }
      const status = taskStatusOf(ti.state);
      out.push({
        taskId: task.id,
        engine: 'dolphin',
        externalRunId: run.externalRunId,
        status,
        startTime: parseWallClock(ti.startTime, zone),
        endTime: parseWallClock(ti.endTime, zone),
        rowsOutput,
        message: status === 'FAILED' ? `task ${ti.name} ended ${ti.state}` : run.message,
      });
    }
  }
  return out;
}
