import { formatWallClock } from '@dataportal/sdk';
import { Cron } from 'croner';
import { parseJsonBigInts } from '../../internal/json';
import type { DolphinNames, DolphinVersionLine } from '../../version';
import type {
  FakeAlertDelivery,
  FakeDolphinSchedulerOptions,
  FakeFault,
  FakeRequestRecord,
  FakeRunPlanner,
} from '../fake-dolphin-scheduler';
import {
  emptyState,
  type FakeDolphinState,
  type FakeInstance,
  type FakeRunPlan,
  type FakeWorkflow,
} from '../fake-state';

export type Params = Record<string, string>;

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP alert plugin's placeholder on 3.3 (`HttpAlertConstants.MSG_PARAMS`). */
export const MSG_PLACEHOLDER = '$' + '{msg}';
export const HTML =
  '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>DolphinScheduler</title></head><body><div id="app"></div></body></html>';
export const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'STOP', 'PAUSE', 'KILL']);
export const WORKER = '127.0.0.1:1234';

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** Engine code for missing parameters and unexpected failures of this endpoint. */
  readonly generic: number;
  /** HTTP status of success (201 on create endpoints, even for map-style errors). */
  readonly created?: boolean;
  readonly required?: readonly string[];
  readonly handle: (ctx: Ctx) => unknown;
}

export interface Ctx {
  readonly m: RegExpExecArray;
  readonly p: Params;
  readonly n: DolphinNames;
}

export function str(v: unknown, fallback = ''): string {
  if (v === null || v === undefined) return fallback;
  return typeof v === 'string' ? v : String(v);
}

export function num(v: unknown, fallback = 0): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return fallback;
}

export function toCode(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  return null;
}

export function parseJsonParam(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseJsonBigInts(text);
  } catch {
    return undefined;
  }
}

/** The path prefixes of project-scoped routes for a line. */
export function routePaths(n: DolphinNames): { P: string; D: string; I: string } {
  const P = '/projects/(\\d+)';
  return { P, D: `${P}/${n.definitionPath}`, I: `${P}/${n.instancePath}` };
}

/** One route: method, anchored path pattern, the endpoint's generic error code, handler. */
export function r(
  method: string,
  path: string,
  generic: number,
  handle: (ctx: Ctx) => unknown,
  extra: { created?: boolean; required?: readonly string[] } = {},
): Route {
  return { method, pattern: new RegExp(`^${path}$`), generic, handle, ...extra };
}

/**
 * State, options and the helpers every resource of the fake shares.
 */
export class FakeCore {
  url = '';
  readonly token: string;
  readonly requests: FakeRequestRecord[] = [];
  readonly alerts: FakeAlertDelivery[] = [];
  state: FakeDolphinState;
  protected readonly tz: string;
  protected readonly triggerLag: number;
  protected readonly finishAlerts: boolean;
  protected planner: FakeRunPlanner = () => ({ outcome: 'SUCCESS', durationMs: 1000 });
  protected faults: Array<{ fault: FakeFault; left: number }> = [];

  constructor(options: FakeDolphinSchedulerOptions) {
    this.token = options.token ?? 'fake-token';
    this.state = options.state
      ? structuredClone(options.state)
      : emptyState(options.version ?? '3.2', options.largeCodes ?? false);
    if (options.version) this.state.version = options.version;
    this.tz = options.timeZone ?? 'UTC';
    this.triggerLag = options.triggerLag ?? 1;
    this.finishAlerts = options.finishAlerts ?? true;
  }

  get version(): DolphinVersionLine {
    return this.state.version;
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
    const id = this.id();
    this.state.datasources.push({ id, name: input.name, type: input.type, note: input.note ?? '' });
    return id;
  }

  addTenant(code: string): void {
    if (!this.state.tenants.includes(code)) this.state.tenants.push(code);
  }

  setRunPlan(plan: FakeRunPlan | FakeRunPlanner): void {
    this.planner = typeof plan === 'function' ? plan : () => plan;
  }

  injectFault(fault: FakeFault): void {
    this.faults.push({ fault, left: fault.times ?? 1 });
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  protected id(): number {
    const id = this.state.nextId;
    this.state.nextId += 1;
    return id;
  }

  protected code(): bigint {
    this.state.nextCode += 1n + BigInt(Math.floor(Math.random() * 7));
    return this.state.nextCode;
  }

  protected now(): string {
    return formatWallClock(new Date(), this.tz);
  }

  protected project(code: string | undefined): FakeDolphinState['projects'][number] {
    const c = toCode(code);
    const p = this.state.projects.find((x) => x.code === c);
    if (!p) throw new ApiError(10018, `project ${code} not found `);
    return p;
  }

  protected workflow(projectCode: bigint, code: unknown): FakeWorkflow {
    const c = toCode(code);
    const w = this.state.workflows.find((x) => x.projectCode === projectCode && x.code === c);
    if (!w) throw new ApiError(50003, `process definition ${str(code)} does not exist`);
    return w;
  }

  protected instance(projectCode: bigint, id: string | undefined): FakeInstance {
    const i = this.state.instances.find(
      (x) => x.id === num(id, -1) && x.projectCode === projectCode,
    );
    if (!i) throw new ApiError(50001, `process instance ${id} does not exist`);
    return i;
  }

  protected page<T>(p: Params, rows: T[]): unknown {
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
      // 3.1.1 names the offset `start` (measured, reference §12).
      [this.state.version === '3.1' ? 'start' : 'pageNo']: start,
    };
  }
}

/** A reply that is not the JSON envelope (status, content type, body). */
export class RawReply {
  constructor(
    readonly status: number,
    readonly contentType: string,
    readonly body: string,
  ) {}
}

/** Spring's 405 page: a path whose route exists only for other methods (measured on 3.1.1). */
export const METHOD_NOT_ALLOWED = new RawReply(
  405,
  'text/html;charset=UTF-8',
  '<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, so you are seeing this as a fallback.</p><div>There was an unexpected error (type=Method Not Allowed, status=405).</div></body></html>',
);

/** Jetty's 404 page (3.1.1 without the UI bundle, measured). */
export const NOT_FOUND =
  '<html><head><meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/><title>Error 404 Not Found</title></head><body><h2>HTTP ERROR 404 Not Found</h2></body></html>';

const WORKFLOW_STATUS: Readonly<Record<string, [number, string]>> = {
  SUBMITTED_SUCCESS: [0, 'submit success'],
  RUNNING_EXECUTION: [1, 'running'],
  READY_PAUSE: [2, 'ready pause'],
  PAUSE: [3, 'pause'],
  READY_STOP: [4, 'ready stop'],
  STOP: [5, 'stop'],
  FAILURE: [6, 'failure'],
  SUCCESS: [7, 'success'],
};

/** A workflow state as 3.1 prints the Java enum: `WorkflowExecutionStatus{code=7, desc='success'}`. */
export function javaWorkflowStatus(state: string): string {
  const known = WORKFLOW_STATUS[state];
  return known ? `WorkflowExecutionStatus{code=${known[0]}, desc='${known[1]}'}` : state;
}

export class MapError {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

/** The task codes a run executes: all, or the start nodes widened by `taskDependType`. */
export function selectTasks(w: FakeWorkflow | undefined, i: FakeInstance): Set<bigint> {
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
export function javaSplitCount(text: string, sep: string): number {
  const parts = text.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.length;
}

export function safeObject(text: string | undefined): Record<string, string> {
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

export const FORM_TYPES = new Set([
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
export function pluginParams(text: string | undefined): Record<string, string> {
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
export function isValidQuartz(expr: string): boolean {
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
