import { z } from 'zod';

/**
 * A DolphinScheduler code (project, workflow, task): a 64-bit long carried as a decimal string,
 * so values beyond 2^53 stay exact.
 *
 * @example
 * ```ts
 * const code: DolphinCode = '1152921504606859999';
 * ```
 */
export type DolphinCode = string;

/**
 * Reads a code sent as a JSON number (exact when safe) or as a decimal string.
 *
 * @example
 * ```ts
 * CodeSchema.parse(12345); // '12345'
 * ```
 */
export const CodeSchema = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/), z.bigint()])
  .transform((v): DolphinCode => String(v));

const nstr = z.string().nullish();
const text = nstr.transform((v) => v ?? null);

/**
 * The `{code, msg, data}` envelope every v1 endpoint answers (reference §1.3).
 *
 * @example
 * ```ts
 * const { code, data } = EnvelopeSchema.parse(JSON.parse(body));
 * ```
 */
export const EnvelopeSchema = z.looseObject({
  code: z.number().int(),
  msg: z.string().nullish(),
  data: z.unknown().optional(),
});
/**
 * A raw envelope, see {@link EnvelopeSchema}.
 *
 * @example
 * ```ts
 * const envelope: Envelope = { code: 0, msg: 'success', data: null };
 * ```
 */
export type Envelope = z.infer<typeof EnvelopeSchema>;

/**
 * A page of results: `totalList` plus counts; `pageNo` is the row offset, `currentPage` the page.
 *
 * @param item - schema of one row
 * @returns the page schema
 * @example
 * ```ts
 * const ProjectPageSchema = pageSchema(ProjectSchema);
 * ```
 */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    totalList: z
      .array(item)
      .nullish()
      .transform((v) => v ?? []),
    total: z
      .number()
      .int()
      .nullish()
      .transform((v) => v ?? 0),
    totalPage: z.number().int().nullish(),
    pageSize: z.number().int().nullish(),
    currentPage: z.number().int().nullish(),
  });
}

/**
 * A project.
 *
 * @example
 * ```ts
 * const value = ProjectSchema.parse(data);
 * ```
 */
export const ProjectSchema = z
  .looseObject({
    id: z.number().int(),
    code: CodeSchema,
    name: z.string(),
    description: text,
  })
  .transform((p) => ({ id: p.id, code: p.code, name: p.name, description: p.description }));
/**
 * A project, see {@link ProjectSchema}.
 *
 * @example
 * ```ts
 * const project: DolphinProject | null = await client.findProjectByName('dataportal');
 * ```
 */
export type DolphinProject = z.infer<typeof ProjectSchema>;

/**
 * `ONLINE` / `OFFLINE`.
 *
 * @example
 * ```ts
 * const value = ReleaseStateSchema.parse(data);
 * ```
 */
export const ReleaseStateSchema = z.enum(['ONLINE', 'OFFLINE']);
/**
 * A release state, see {@link ReleaseStateSchema}.
 *
 * @example
 * ```ts
 * await client.releaseWorkflow(projectCode, workflowCode, 'ONLINE' satisfies ReleaseState);
 * ```
 */
export type ReleaseState = z.infer<typeof ReleaseStateSchema>;

/**
 * A workflow (process) definition, keys common to every line.
 *
 * @example
 * ```ts
 * const value = WorkflowDefinitionSchema.parse(data);
 * ```
 */
export const WorkflowDefinitionSchema = z
  .looseObject({
    id: z.number().int().nullish(),
    code: CodeSchema,
    name: z.string(),
    version: z.number().int(),
    // 3.1.1's create answers the unsaved entity: `releaseState` null, `version` 0, `id` null;
    // what it saved is OFFLINE at version 1 (measured, reference §12).
    releaseState: ReleaseStateSchema.nullish(),
    projectCode: CodeSchema,
    description: text,
    locations: text,
    scheduleReleaseState: ReleaseStateSchema.nullish(),
  })
  .transform((d) => ({
    code: d.code,
    name: d.name,
    version: Math.max(d.version, 1),
    releaseState: d.releaseState ?? ('OFFLINE' as const),
    projectCode: d.projectCode,
    description: d.description,
    scheduleReleaseState: d.scheduleReleaseState ?? null,
  }));
/**
 * A workflow definition, see {@link WorkflowDefinitionSchema}.
 *
 * @example
 * ```ts
 * const definition: DolphinWorkflowDefinition = (await client.getWorkflow(projectCode, workflowCode)).definition;
 * ```
 */
export type DolphinWorkflowDefinition = z.infer<typeof WorkflowDefinitionSchema>;

const TaskParamsSchema = z
  .union([z.record(z.string(), z.unknown()), z.string()])
  .nullish()
  .transform((v): Record<string, unknown> => {
    if (v === null || v === undefined) return {};
    if (typeof v !== 'string') return v;
    try {
      const parsed: unknown = JSON.parse(v);
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  });

/**
 * A task definition inside a workflow. `taskParams` is an object (or a JSON string, parsed).
 *
 * @example
 * ```ts
 * const value = TaskDefinitionSchema.parse(data);
 * ```
 */
export const TaskDefinitionSchema = z
  .looseObject({
    code: CodeSchema,
    version: z.number().int(),
    name: z.string(),
    description: text,
    taskType: z.string(),
    taskParams: TaskParamsSchema,
    flag: z.string().nullish(),
    failRetryTimes: z.number().int().nullish(),
    timeout: z.number().int().nullish(),
  })
  .transform((t) => ({
    code: t.code,
    version: t.version,
    name: t.name,
    description: t.description,
    taskType: t.taskType,
    taskParams: t.taskParams,
    flag: t.flag ?? null,
    failRetryTimes: t.failRetryTimes ?? 0,
    timeout: t.timeout ?? 0,
  }));
/**
 * A task definition, see {@link TaskDefinitionSchema}.
 *
 * @example
 * ```ts
 * const tasks: DolphinTaskDefinition[] = (await client.getWorkflow(projectCode, workflowCode)).tasks;
 * ```
 */
export type DolphinTaskDefinition = z.infer<typeof TaskDefinitionSchema>;

/**
 * A task relation (edge `preTaskCode → postTaskCode`; `preTaskCode` 0 marks a root).
 *
 * @example
 * ```ts
 * const value = TaskRelationSchema.parse(data);
 * ```
 */
export const TaskRelationSchema = z
  .looseObject({
    preTaskCode: CodeSchema,
    postTaskCode: CodeSchema,
    preTaskVersion: z.number().int().nullish(),
    postTaskVersion: z.number().int().nullish(),
  })
  .transform((r) => ({
    preTaskCode: r.preTaskCode,
    postTaskCode: r.postTaskCode,
    preTaskVersion: r.preTaskVersion ?? 0,
    postTaskVersion: r.postTaskVersion ?? 0,
  }));
/**
 * A task relation, see {@link TaskRelationSchema}.
 *
 * @example
 * ```ts
 * const relations: DolphinTaskRelation[] = (await client.getWorkflow(projectCode, workflowCode)).relations;
 * ```
 */
export type DolphinTaskRelation = z.infer<typeof TaskRelationSchema>;

/**
 * DagData as `GET …/{code}` and `query-by-name` answer it, under the 3.1/3.2 (`process*`) or
 * 3.3 (`workflow*`) keys, normalised to one shape.
 *
 * @example
 * ```ts
 * const value = DagDataSchema.parse(data);
 * ```
 */
export const DagDataSchema = z
  .looseObject({
    processDefinition: WorkflowDefinitionSchema.optional(),
    workflowDefinition: WorkflowDefinitionSchema.optional(),
    processTaskRelationList: z.array(TaskRelationSchema).nullish(),
    workflowTaskRelationList: z.array(TaskRelationSchema).nullish(),
    taskDefinitionList: z.array(TaskDefinitionSchema).nullish(),
  })
  .transform((d, ctx) => {
    const definition = d.workflowDefinition ?? d.processDefinition;
    if (!definition) {
      ctx.addIssue({
        code: 'custom',
        message: 'DagData without processDefinition/workflowDefinition',
      });
      return z.NEVER;
    }
    return {
      definition,
      relations: d.workflowTaskRelationList ?? d.processTaskRelationList ?? [],
      tasks: d.taskDefinitionList ?? [],
    };
  });
/**
 * A workflow with its tasks and relations, see {@link DagDataSchema}.
 *
 * @example
 * ```ts
 * const dag: DolphinDag = await client.getWorkflow(projectCode, workflowCode);
 * ```
 */
export type DolphinDag = z.infer<typeof DagDataSchema>;

/**
 * A schedule, with the workflow code under either line's key.
 *
 * @example
 * ```ts
 * const value = ScheduleSchema.parse(data);
 * ```
 */
export const ScheduleSchema = z
  .looseObject({
    id: z.number().int(),
    processDefinitionCode: CodeSchema.nullish(),
    workflowDefinitionCode: CodeSchema.nullish(),
    crontab: z.string(),
    timezoneId: text,
    startTime: text,
    endTime: text,
    releaseState: ReleaseStateSchema,
    warningType: text,
    warningGroupId: z.number().int().nullish(),
    failureStrategy: text,
  })
  .transform((s) => ({
    id: s.id,
    workflowCode: s.workflowDefinitionCode ?? s.processDefinitionCode ?? null,
    crontab: s.crontab,
    timezoneId: s.timezoneId,
    startTime: s.startTime,
    endTime: s.endTime,
    releaseState: s.releaseState,
    warningType: s.warningType,
    warningGroupId: s.warningGroupId ?? null,
    failureStrategy: s.failureStrategy,
  }));
/**
 * A schedule, see {@link ScheduleSchema}.
 *
 * @example
 * ```ts
 * const schedules: DolphinSchedule[] = await client.listSchedules(projectCode, workflowCode);
 * ```
 */
export type DolphinSchedule = z.infer<typeof ScheduleSchema>;

/**
 * A workflow (process) instance, with line-specific keys normalised.
 *
 * @example
 * ```ts
 * const value = WorkflowInstanceSchema.parse(data);
 * ```
 */
export const WorkflowInstanceSchema = z
  .looseObject({
    id: z.number().int(),
    processDefinitionCode: CodeSchema.nullish(),
    workflowDefinitionCode: CodeSchema.nullish(),
    processDefinitionVersion: z.number().int().nullish(),
    workflowDefinitionVersion: z.number().int().nullish(),
    name: text,
    state: z.string(),
    startTime: text,
    endTime: text,
    commandType: text,
    commandParam: text,
    globalParams: text,
    scheduleTime: text,
    host: text,
    duration: text,
    runTimes: z.number().int().nullish(),
  })
  .transform((i) => ({
    id: i.id,
    workflowCode: i.workflowDefinitionCode ?? i.processDefinitionCode ?? null,
    workflowVersion: i.workflowDefinitionVersion ?? i.processDefinitionVersion ?? null,
    name: i.name,
    state: i.state,
    startTime: i.startTime,
    endTime: i.endTime,
    commandType: i.commandType,
    commandParam: i.commandParam,
    globalParams: i.globalParams,
    scheduleTime: i.scheduleTime,
    host: i.host,
    duration: i.duration,
  }));
/**
 * A workflow instance, see {@link WorkflowInstanceSchema}.
 *
 * @example
 * ```ts
 * const instance: DolphinWorkflowInstance = await client.getInstance(projectCode, 42);
 * ```
 */
export type DolphinWorkflowInstance = z.infer<typeof WorkflowInstanceSchema>;

/**
 * A task instance.
 *
 * @example
 * ```ts
 * const value = TaskInstanceSchema.parse(data);
 * ```
 */
export const TaskInstanceSchema = z
  .looseObject({
    id: z.number().int(),
    name: z.string(),
    taskCode: CodeSchema,
    taskType: text,
    state: z.string(),
    startTime: text,
    endTime: text,
    host: text,
    varPool: text,
    processInstanceId: z.number().int().nullish(),
    workflowInstanceId: z.number().int().nullish(),
  })
  .transform((t) => ({
    id: t.id,
    name: t.name,
    taskCode: t.taskCode,
    taskType: t.taskType,
    state: t.state,
    startTime: t.startTime,
    endTime: t.endTime,
    host: t.host,
    varPool: t.varPool,
    workflowInstanceId: t.workflowInstanceId ?? t.processInstanceId ?? null,
  }));
/**
 * A task instance, see {@link TaskInstanceSchema}.
 *
 * @example
 * ```ts
 * const taskInstances: DolphinTaskInstance[] = (await client.getInstanceTasks(projectCode, 42)).taskList;
 * ```
 */
export type DolphinTaskInstance = z.infer<typeof TaskInstanceSchema>;

/** `WorkflowExecutionStatus` codes (`code=` in the 3.1 `toString()` form). */
const WORKFLOW_STATE_BY_CODE: Readonly<Record<string, string>> = {
  '0': 'SUBMITTED_SUCCESS',
  '1': 'RUNNING_EXECUTION',
  '2': 'READY_PAUSE',
  '3': 'PAUSE',
  '4': 'READY_STOP',
  '5': 'STOP',
  '6': 'FAILURE',
  '7': 'SUCCESS',
  '12': 'DELAY_EXECUTION',
  '14': 'SERIAL_WAIT',
  '15': 'READY_BLOCK',
  '16': 'BLOCK',
};

function stateName(state: string | null): string | null {
  const m = state === null ? null : /^\w+\{code=(\d+)/.exec(state);
  return m?.[1] ? (WORKFLOW_STATE_BY_CODE[m[1]] ?? state) : state;
}

/**
 * `GET …/instances/{id}/tasks`: the instance state and its task instances.
 *
 * @example
 * ```ts
 * const value = InstanceTasksSchema.parse(data);
 * ```
 */
export const InstanceTasksSchema = z
  .looseObject({
    // 3.1.1 prints the enum's toString here, `WorkflowExecutionStatus{code=7, desc='success'}`
    // (measured, reference §12); it is read back as the state's name.
    processInstanceState: z.string().nullish(),
    workflowInstanceState: z.string().nullish(),
    taskList: z.array(TaskInstanceSchema).nullish(),
  })
  .transform((r) => ({
    state: stateName(r.workflowInstanceState ?? r.processInstanceState ?? null),
    taskList: r.taskList ?? [],
  }));
/**
 * An instance's task list, see {@link InstanceTasksSchema}.
 *
 * @example
 * ```ts
 * const { state, taskList }: DolphinInstanceTasks = await client.getInstanceTasks(projectCode, 42);
 * ```
 */
export type DolphinInstanceTasks = z.infer<typeof InstanceTasksSchema>;

/**
 * One page of a task log (`/log/detail`).
 *
 * @example
 * ```ts
 * const value = LogPageSchema.parse(data);
 * ```
 */
export const LogPageSchema = z.looseObject({
  lineNum: z.number().int(),
  message: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
});
/**
 * A log page, see {@link LogPageSchema}.
 *
 * @example
 * ```ts
 * const page: DolphinLogPage = LogPageSchema.parse({ lineNum: 1, message: 'hello\n' });
 * ```
 */
export type DolphinLogPage = z.infer<typeof LogPageSchema>;

/**
 * A data source (password masked by the server).
 *
 * @example
 * ```ts
 * const value = DatasourceSchema.parse(data);
 * ```
 */
export const DatasourceSchema = z
  .looseObject({ id: z.number().int(), name: z.string(), type: z.string(), note: text })
  .transform((d) => ({ id: d.id, name: d.name, type: d.type, note: d.note }));
/**
 * A data source, see {@link DatasourceSchema}.
 *
 * @example
 * ```ts
 * const sources: DolphinDatasource[] = (await client.listDatasources({ searchVal: 'warehouse' })).items;
 * ```
 */
export type DolphinDatasource = z.infer<typeof DatasourceSchema>;

/**
 * A UI plugin definition (e.g. the `Http` alert plugin).
 *
 * @example
 * ```ts
 * const value = UiPluginSchema.parse(data);
 * ```
 */
export const UiPluginSchema = z
  .looseObject({ id: z.number().int(), pluginName: z.string(), pluginType: text })
  .transform((p) => ({ id: p.id, pluginName: p.pluginName, pluginType: p.pluginType }));
/**
 * A UI plugin, see {@link UiPluginSchema}.
 *
 * @example
 * ```ts
 * const http: DolphinUiPlugin | undefined = (await client.listUiPlugins('ALERT')).find((p) => p.pluginName === 'Http');
 * ```
 */
export type DolphinUiPlugin = z.infer<typeof UiPluginSchema>;

/**
 * An alert plugin instance.
 *
 * @example
 * ```ts
 * const value = AlertPluginInstanceSchema.parse(data);
 * ```
 */
export const AlertPluginInstanceSchema = z
  .looseObject({
    id: z.number().int(),
    pluginDefineId: z.number().int(),
    instanceName: z.string(),
    pluginInstanceParams: text,
  })
  .transform((a) => ({
    id: a.id,
    pluginDefineId: a.pluginDefineId,
    instanceName: a.instanceName,
    pluginInstanceParams: a.pluginInstanceParams,
  }));
/**
 * An alert plugin instance, see {@link AlertPluginInstanceSchema}.
 *
 * @example
 * ```ts
 * const instances: DolphinAlertPluginInstance[] = await client.listAlertPluginInstances();
 * ```
 */
export type DolphinAlertPluginInstance = z.infer<typeof AlertPluginInstanceSchema>;

/**
 * An alert group (`warningGroupId` refers to its id).
 *
 * @example
 * ```ts
 * const value = AlertGroupSchema.parse(data);
 * ```
 */
export const AlertGroupSchema = z
  .looseObject({ id: z.number().int(), groupName: z.string(), alertInstanceIds: text })
  .transform((g) => ({ id: g.id, groupName: g.groupName, alertInstanceIds: g.alertInstanceIds }));
/**
 * An alert group, see {@link AlertGroupSchema}.
 *
 * @example
 * ```ts
 * const groups: DolphinAlertGroup[] = await client.listAlertGroups();
 * ```
 */
export type DolphinAlertGroup = z.infer<typeof AlertGroupSchema>;
