import type { DolphinVersionLine } from '../version';

/**
 * A project in the fake.
 *
 * @example
 * ```ts
 * const first: FakeProject | undefined = ds.state.projects[0];
 * ```
 */
export interface FakeProject {
  id: number;
  code: bigint;
  name: string;
  description: string;
  createTime: string;
}

/**
 * A stored task definition (latest version) in the fake.
 *
 * @example
 * ```ts
 * const tasks: FakeTaskDefinition[] = ds.state.workflows[0]?.tasks ?? [];
 * ```
 */
export interface FakeTaskDefinition {
  code: bigint;
  version: number;
  name: string;
  description: string;
  taskType: string;
  taskParams: Record<string, unknown>;
  flag: string | null;
  failRetryTimes: number;
  timeout: number;
}

/**
 * A relation in the fake.
 *
 * @example
 * ```ts
 * const edges: FakeRelation[] = ds.state.workflows[0]?.relations ?? [];
 * ```
 */
export interface FakeRelation {
  preTaskCode: bigint;
  postTaskCode: bigint;
  preTaskVersion: number;
  postTaskVersion: number;
}

/**
 * A workflow definition in the fake.
 *
 * @example
 * ```ts
 * const first: FakeWorkflow | undefined = ds.state.workflows[0];
 * ```
 */
export interface FakeWorkflow {
  id: number;
  code: bigint;
  projectCode: bigint;
  name: string;
  description: string;
  version: number;
  releaseState: 'ONLINE' | 'OFFLINE';
  tenantCode: string | null;
  tasks: FakeTaskDefinition[];
  relations: FakeRelation[];
  locations: string;
  timeout: number;
  executionType: string;
  warningGroupId: number | null;
  createTime: string;
  updateTime: string;
}

/**
 * A schedule in the fake.
 *
 * @example
 * ```ts
 * const first: FakeSchedule | undefined = ds.state.schedules[0];
 * ```
 */
export interface FakeSchedule {
  id: number;
  projectCode: bigint;
  workflowCode: bigint;
  startTime: string;
  endTime: string;
  crontab: string;
  timezoneId: string;
  releaseState: 'ONLINE' | 'OFFLINE';
  warningType: string;
  warningGroupId: number;
  failureStrategy: string;
  workerGroup: string;
  tenantCode: string;
  createTime: string;
  updateTime: string;
}

/**
 * A task instance in the fake.
 *
 * @example
 * ```ts
 * const taskRuns: FakeTaskInstance[] = ds.state.instances[0]?.tasks ?? [];
 * ```
 */
export interface FakeTaskInstance {
  id: number;
  instanceId: number;
  name: string;
  taskCode: bigint;
  taskType: string;
  state: string;
  startTime: string | null;
  endTime: string | null;
  host: string | null;
  log: string[];
}

/**
 * A workflow instance in the fake.
 *
 * @example
 * ```ts
 * const first: FakeInstance | undefined = ds.state.instances[0];
 * ```
 */
export interface FakeInstance {
  id: number;
  projectCode: bigint;
  workflowCode: bigint;
  workflowVersion: number;
  name: string;
  state: string;
  commandType: string;
  commandParam: string;
  startTime: string | null;
  endTime: string | null;
  scheduleTime: string | null;
  warningType: string;
  warningGroupId: number;
  failureStrategy: string;
  triggerCode: bigint | null;
  /** How many `/trigger` queries still answer empty (the master has not taken the command yet). */
  triggerLag: number;
  plan: FakeRunPlan;
  /** Task codes the run starts from (`startNodeList`), null for the whole DAG. */
  startNodes: string[] | null;
  /** `TASK_ONLY`, `TASK_PRE` or `TASK_POST`. */
  taskDependType: string;
  tasks: FakeTaskInstance[];
  createTime: string;
}

/**
 * What a run does, chosen by the test.
 *
 * @example
 * ```ts
 * ds.setRunPlan({ outcome: 'FAILURE', durationMs: 5_000, log: ['boom'] } satisfies FakeRunPlan);
 * ```
 */
export interface FakeRunPlan {
  /** Final state of the workflow instance. */
  readonly outcome: 'SUCCESS' | 'FAILURE';
  /** Milliseconds between the instance's start and end. */
  readonly durationMs: number;
  /** Lines the task logs (after the `[LOG-PATH]` header). */
  readonly log?: readonly string[];
  /** Names of the tasks that fail when `outcome` is FAILURE (default: every task). */
  readonly failTasks?: readonly string[];
}

/**
 * A data source in the fake.
 *
 * @example
 * ```ts
 * const first: FakeDatasource | undefined = ds.state.datasources[0];
 * ```
 */
export interface FakeDatasource {
  id: number;
  name: string;
  type: string;
  note: string;
}

/**
 * An alert plugin instance in the fake.
 *
 * @example
 * ```ts
 * const first: FakeAlertInstance | undefined = ds.state.alertInstances[0];
 * ```
 */
export interface FakeAlertInstance {
  id: number;
  pluginDefineId: number;
  instanceName: string;
  params: Record<string, string>;
  instanceType: string | null;
  warningType: string | null;
}

/**
 * An alert group in the fake.
 *
 * @example
 * ```ts
 * const first: FakeAlertGroup | undefined = ds.state.alertGroups[0];
 * ```
 */
export interface FakeAlertGroup {
  id: number;
  groupName: string;
  description: string;
  alertInstanceIds: string;
}

/**
 * Everything a fake DolphinScheduler holds. Plain data (bigints for codes), so it can be copied
 * into another fake — e.g. to "upgrade" a 3.2 server to 3.3 with the same metadata.
 *
 * @example
 * ```ts
 * const upgraded = await createFakeDolphinScheduler({ version: '3.3', state: ds.snapshot() satisfies FakeDolphinState });
 * ```
 */
export interface FakeDolphinState {
  /** Line the state was last served as. */
  version: DolphinVersionLine;
  nextId: number;
  nextCode: bigint;
  tenants: string[];
  /**
   * The calling user's own tenant (a fresh server's admin has none). On 3.1 `query-by-name` joins
   * it, so without one every name answers 50003 (measured on 3.1.1).
   */
  userTenant?: string | null;
  projects: FakeProject[];
  workflows: FakeWorkflow[];
  /** Every task code ever generated (codes are global). */
  issuedCodes: string[];
  schedules: FakeSchedule[];
  instances: FakeInstance[];
  datasources: FakeDatasource[];
  alertInstances: FakeAlertInstance[];
  alertGroups: FakeAlertGroup[];
}

/** @internal */
export function emptyState(version: DolphinVersionLine, largeCodes: boolean): FakeDolphinState {
  const base = largeCodes ? 2n ** 60n + 12_345n : BigInt(Date.now() - Date.UTC(2021, 0, 1)) << 10n;
  return {
    version,
    nextId: 2,
    nextCode: base,
    tenants: ['default'],
    projects: [],
    workflows: [],
    issuedCodes: [],
    schedules: [],
    instances: [],
    datasources: [],
    alertInstances: [],
    alertGroups: [
      { id: 1, groupName: 'default admin warning group', description: '', alertInstanceIds: '' },
    ],
  };
}
