import { z } from 'zod';
import { CronSchema, NameSchema, TableNameSchema } from './common.js';

/** `batch` tasks run on a schedule; `stream` tasks run continuously. */
export const TaskTypeSchema = z.enum(['batch', 'stream']);
/** A task type, see {@link TaskTypeSchema}. */
export type TaskType = z.infer<typeof TaskTypeSchema>;

/** The engine that runs a task: DolphinScheduler, Dinky or the embedded local engine. */
export const EngineNameSchema = z.enum(['dolphin', 'dinky', 'local']);
/** An engine name, see {@link EngineNameSchema}. */
export type EngineName = z.infer<typeof EngineNameSchema>;

/** Which engines may run which task type. */
export const ENGINES_BY_TASK_TYPE: Readonly<Record<TaskType, readonly EngineName[]>> = {
  batch: ['dolphin', 'local'],
  stream: ['dinky'],
};

/** Lifecycle of a task. */
export const TaskStatusSchema = z.enum(['draft', 'published', 'online', 'offline', 'failed']);
/** A task status, see {@link TaskStatusSchema}. */
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** Kind of work a task does: SQL (the default) or a shell script (DolphinScheduler SHELL node). */
export const TaskKindSchema = z.enum(['sql', 'shell']);
/** A task kind, see {@link TaskKindSchema}. */
export type TaskKind = z.infer<typeof TaskKindSchema>;

/**
 * What an engine remembers about a published task (project code, workflow code, task codes,
 * schedule id, versions, job ids). Opaque to the portal: each engine defines its own keys.
 */
export const EngineRefSchema = z.record(z.string(), z.unknown());
/** An engine reference, see {@link EngineRefSchema}. */
export type EngineRef = z.infer<typeof EngineRefSchema>;

const TaskFieldsSchema = z.object({
  name: NameSchema,
  description: z.string().max(4000).optional(),
  kind: TaskKindSchema.default('sql'),
  sql: z.string().max(1_000_000).default(''),
  taskType: TaskTypeSchema,
  engine: EngineNameSchema,
  schedule: CronSchema.nullable().optional(),
  inputs: z.array(TableNameSchema).max(500).default([]),
  outputs: z.array(TableNameSchema).max(500).default([]),
  owner: z.string().trim().max(128).optional(),
  datasource: NameSchema.optional(),
  retries: z.number().int().min(0).max(20).default(0),
  timeoutSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(0),
  preStatements: z.array(z.string().max(100_000)).max(50).default([]),
  postStatements: z.array(z.string().max(100_000)).max(50).default([]),
});

type TaskRuleInput = {
  kind: TaskKind;
  sql: string;
  taskType: TaskType;
  engine: EngineName;
  outputs: readonly string[];
  inputs: readonly string[];
};

function checkTaskRules(t: TaskRuleInput, ctx: z.RefinementCtx): void {
  const allowed = ENGINES_BY_TASK_TYPE[t.taskType];
  if (!allowed.includes(t.engine)) {
    ctx.addIssue({
      code: 'custom',
      path: ['engine'],
      message: `a ${t.taskType} task runs on ${allowed.join(' or ')}, not ${t.engine}`,
    });
  }
  if (t.kind === 'sql' && t.sql.trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['sql'], message: 'a SQL task needs its SQL' });
  }
  if (t.kind === 'sql' && t.outputs.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['outputs'],
      message: 'a SQL task must declare at least one output table',
    });
  }
  if (t.kind === 'shell' && t.taskType === 'stream') {
    ctx.addIssue({ code: 'custom', path: ['kind'], message: 'a stream task must be Flink SQL' });
  }
  const dupOut = t.outputs.find((o, i) => t.outputs.indexOf(o) !== i);
  if (dupOut) {
    ctx.addIssue({ code: 'custom', path: ['outputs'], message: `output ${dupOut} listed twice` });
  }
  const self = t.outputs.find((o) => t.inputs.includes(o));
  if (self) {
    ctx.addIssue({
      code: 'custom',
      path: ['inputs'],
      message: `table ${self} is both input and output of the task (a self-loop)`,
    });
  }
}

/** Input to create a task. The model rules (engine per task type, outputs for SQL) are checked. */
export const TaskInputSchema = TaskFieldsSchema.superRefine(checkTaskRules);
/** Input to create a task, see {@link TaskInputSchema}. */
export type TaskInput = z.input<typeof TaskInputSchema>;

/** Changes to a task; `version` is the version the caller read (optimistic lock). */
export const TaskPatchSchema = z.object({
  description: z.string().max(4000).nullable().optional(),
  kind: TaskKindSchema.optional(),
  sql: z.string().max(1_000_000).optional(),
  taskType: TaskTypeSchema.optional(),
  engine: EngineNameSchema.optional(),
  schedule: CronSchema.nullable().optional(),
  inputs: z.array(TableNameSchema).max(500).optional(),
  outputs: z.array(TableNameSchema).max(500).optional(),
  owner: z.string().trim().max(128).nullable().optional(),
  datasource: NameSchema.nullable().optional(),
  retries: z.number().int().min(0).max(20).optional(),
  timeoutSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .optional(),
  preStatements: z.array(z.string().max(100_000)).max(50).optional(),
  postStatements: z.array(z.string().max(100_000)).max(50).optional(),
  version: z.number().int().min(1).optional(),
});
/** Changes to a task, see {@link TaskPatchSchema}. */
export type TaskPatch = z.input<typeof TaskPatchSchema>;

/** A stored task. */
export const TaskSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  kind: TaskKindSchema,
  sql: z.string(),
  taskType: TaskTypeSchema,
  engine: EngineNameSchema,
  schedule: z.string().nullable(),
  inputs: z.array(z.string()),
  outputs: z.array(z.string()),
  owner: z.string().nullable(),
  datasource: z.string().nullable(),
  retries: z.number().int(),
  timeoutSeconds: z.number().int(),
  preStatements: z.array(z.string()),
  postStatements: z.array(z.string()),
  status: TaskStatusSchema,
  engineRef: EngineRefSchema.nullable(),
  /** The engine's message from the last failed publish, cleared by a successful one. */
  lastError: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A stored task, see {@link TaskSchema}. */
export type Task = z.infer<typeof TaskSchema>;

/**
 * Validates a task as it would be after applying a patch (the model rules span fields).
 *
 * @internal
 */
export function checkMergedTask(t: TaskRuleInput, ctx: z.RefinementCtx): void {
  checkTaskRules(t, ctx);
}
