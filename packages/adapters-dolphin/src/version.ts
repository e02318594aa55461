/**
 * The DolphinScheduler version lines this adapter speaks. `3.3` covers 3.3.x and later (3.4.x keep
 * the `workflow-*` names).
 *
 * @example
 * ```ts
 * const line: DolphinVersionLine = await client.versionLine();
 * ```
 */
export type DolphinVersionLine = '3.1' | '3.2' | '3.3';

/**
 * Every supported {@link DolphinVersionLine}.
 *
 * @example
 * ```ts
 * for (const line of DOLPHIN_VERSION_LINES) console.log(dolphinNames(line).startPath);
 * ```
 */
export const DOLPHIN_VERSION_LINES: readonly DolphinVersionLine[] = ['3.1', '3.2', '3.3'];

/**
 * Maps a DolphinScheduler release string to its version line.
 *
 * @param version - e.g. `3.2.2`, `3.3.1`, `3.4.0`, `dev-SNAPSHOT`
 * @returns the line, or null for versions older than 3.1 or unparseable strings
 * @example
 * ```ts
 * versionLineOf('3.2.2'); // '3.2'
 * versionLineOf('3.4.1'); // '3.3'
 * ```
 */
export function versionLineOf(version: string): DolphinVersionLine | null {
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return /dev/i.test(version) ? '3.3' : null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major > 3 || (major === 3 && minor >= 3)) return '3.3';
  if (major === 3 && minor === 2) return '3.2';
  if (major === 3 && minor === 1) return '3.1';
  return null;
}

/**
 * Path segments, request parameter names and response keys that differ between version lines
 * (reference §8).
 *
 * @example
 * ```ts
 * const names: DolphinNames = dolphinNames('3.3');
 * ```
 */
export interface DolphinNames {
  /** The line these names belong to. */
  readonly line: DolphinVersionLine;
  /** `process-definition` / `workflow-definition`. */
  readonly definitionPath: string;
  /** `process-instances` / `workflow-instances`. */
  readonly instancePath: string;
  /** `start-process-instance` / `start-workflow-instance`. */
  readonly startPath: string;
  /** Workflow code parameter of start, schedule create/paging: `processDefinitionCode` / `workflowDefinitionCode`. */
  readonly workflowCodeParam: string;
  /** Workflow code filter of the instance paging: `processDefineCode` (sic) / `workflowDefinitionCode`. */
  readonly instanceListWorkflowParam: string;
  /** Instance id parameter of execute and task-instance paging: `processInstanceId` / `workflowInstanceId`. */
  readonly instanceIdParam: string;
  /** Priority parameter: `processInstancePriority` / `workflowInstancePriority`. */
  readonly priorityParam: string;
  /** Code parameter of `verify-name`: `code` / `workflowDefinitionCode`. */
  readonly verifyNameCodeParam: string;
  /** DagData key of the definition: `processDefinition` / `workflowDefinition`. */
  readonly dagDefinitionKey: string;
  /** DagData key of the relations: `processTaskRelationList` / `workflowTaskRelationList`. */
  readonly dagRelationsKey: string;
  /** Key of the state in `GET …/{id}/tasks`: `processInstanceState` / `workflowInstanceState`. */
  readonly instanceStateKey: string;
  /** Whether `tenantCode` is required on definition create/update (3.1) rather than on start/schedule. */
  readonly tenantOnDefinition: boolean;
  /** What start answers: `null` (3.1), a trigger code (3.2), instance ids (3.3). */
  readonly startResult: 'none' | 'triggerCode' | 'instanceIds';
  /** Whether one schedule per workflow is enforced by the server (3.2+). */
  readonly oneSchedulePerWorkflow: boolean;
  /** Whether alert plugin instance creation requires `instanceType` and `warningType` (3.2). */
  readonly alertInstanceTypeRequired: boolean;
  /** Whether the HTTP alert plugin substitutes `${msg}` (3.3) instead of using `contentField`. */
  readonly httpAlertMsgPlaceholder: boolean;
}

const PROCESS_NAMES = {
  definitionPath: 'process-definition',
  instancePath: 'process-instances',
  startPath: 'start-process-instance',
  workflowCodeParam: 'processDefinitionCode',
  instanceListWorkflowParam: 'processDefineCode',
  instanceIdParam: 'processInstanceId',
  priorityParam: 'processInstancePriority',
  verifyNameCodeParam: 'code',
  dagDefinitionKey: 'processDefinition',
  dagRelationsKey: 'processTaskRelationList',
  instanceStateKey: 'processInstanceState',
  httpAlertMsgPlaceholder: false,
} as const;

const NAMES: Readonly<Record<DolphinVersionLine, DolphinNames>> = {
  '3.1': {
    line: '3.1',
    ...PROCESS_NAMES,
    tenantOnDefinition: true,
    startResult: 'none',
    oneSchedulePerWorkflow: false,
    alertInstanceTypeRequired: false,
  },
  '3.2': {
    line: '3.2',
    ...PROCESS_NAMES,
    tenantOnDefinition: false,
    startResult: 'triggerCode',
    oneSchedulePerWorkflow: true,
    alertInstanceTypeRequired: true,
  },
  '3.3': {
    line: '3.3',
    definitionPath: 'workflow-definition',
    instancePath: 'workflow-instances',
    startPath: 'start-workflow-instance',
    workflowCodeParam: 'workflowDefinitionCode',
    instanceListWorkflowParam: 'workflowDefinitionCode',
    instanceIdParam: 'workflowInstanceId',
    priorityParam: 'workflowInstancePriority',
    verifyNameCodeParam: 'workflowDefinitionCode',
    dagDefinitionKey: 'workflowDefinition',
    dagRelationsKey: 'workflowTaskRelationList',
    instanceStateKey: 'workflowInstanceState',
    tenantOnDefinition: false,
    startResult: 'instanceIds',
    oneSchedulePerWorkflow: true,
    alertInstanceTypeRequired: false,
    httpAlertMsgPlaceholder: true,
  },
};

/**
 * The path segments, parameter names and behaviours of a version line.
 *
 * @param line - the version line
 * @returns its names
 * @example
 * ```ts
 * dolphinNames('3.3').startPath; // 'start-workflow-instance'
 * dolphinNames('3.2').instanceListWorkflowParam; // 'processDefineCode'
 * ```
 */
export function dolphinNames(line: DolphinVersionLine): DolphinNames {
  return NAMES[line];
}
