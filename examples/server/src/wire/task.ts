import {
  EngineNameSchema,
  type Task,
  type TaskInput,
  TaskInputSchema,
  TaskKindSchema,
  type TaskLineageCheck,
  type TaskPatch,
  TaskPatchSchema,
  TaskStatusSchema,
  TaskTypeSchema,
} from '@dataportal/sdk';
import { z } from 'zod';
import { camelKeys, snakeShape } from './case';
import { PageQuerySchema, pageSchema, WireTimestampSchema } from './common';

const registerMissing = z
  .boolean()
  .optional()
  .describe(
    'register input/output tables that are not registered yet as `draft` tables, with the layer ' +
      'guessed from the name (`ods.x`, `dwd_x` …). Defaults to true; false answers 422 UNKNOWN_TABLES.',
  );

/** `POST /api/v1/tasks` body: `{name, sql, task_type, engine, schedule, inputs, outputs}` and more. */
export const TaskBodySchema = z
  .object({
    ...snakeShape(TaskInputSchema.shape),
    register_missing_tables: registerMissing,
  })
  .meta({ id: 'NewTask' });

/** `PATCH /api/v1/tasks/{id}` body. */
export const TaskPatchBodySchema = z
  .object({
    ...snakeShape(TaskPatchSchema.shape),
    register_missing_tables: registerMissing,
  })
  .meta({ id: 'TaskPatch' });

/** `POST /api/v1/tasks/{id}/publish` body: `{scheduler, auto_start}`. */
export const PublishBodySchema = z
  .object({
    scheduler: EngineNameSchema.optional().describe(
      "engine to publish to: 'local', 'dolphin' (batch) or 'dinky' (stream). Defaults to the " +
        "task's engine; a different one moves an unpublished task to it.",
    ),
    auto_start: z
      .boolean()
      .optional()
      .describe('start a run (batch) or the job (stream) right away'),
    online: z
      .boolean()
      .optional()
      .describe('bring the task and its schedule online (default true)'),
  })
  .nullish()
  .meta({ id: 'PublishRequest' });

/** `GET /api/v1/tasks` query. */
export const TaskListQuerySchema = PageQuerySchema.extend({
  status: TaskStatusSchema.optional(),
  engine: EngineNameSchema.optional(),
  task_type: TaskTypeSchema.optional(),
  owner: z.string().max(128).optional(),
  prefix: z.string().max(128).optional().describe('task-name prefix'),
  table: z.string().max(190).optional().describe('only tasks reading or writing this table'),
});

/** A task on the wire. */
export const TaskWireSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    kind: TaskKindSchema,
    sql: z.string(),
    task_type: TaskTypeSchema,
    engine: EngineNameSchema,
    schedule: z.string().nullable(),
    inputs: z.array(z.string()),
    outputs: z.array(z.string()),
    owner: z.string().nullable(),
    datasource: z.string().nullable(),
    retries: z.number().int(),
    timeout_seconds: z.number().int(),
    pre_statements: z.array(z.string()),
    post_statements: z.array(z.string()),
    status: TaskStatusSchema,
    engine_ref: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("what the engine remembers about the published task (opaque, engine's keys)"),
    last_error: z.string().nullable(),
    version: z.number().int(),
    created_at: WireTimestampSchema,
    updated_at: WireTimestampSchema,
  })
  .meta({ id: 'Task' });
/** A task on the wire. */
export type TaskWire = z.infer<typeof TaskWireSchema>;

/** A page of tasks. */
export const TaskPageSchema = pageSchema(TaskWireSchema);

/**
 * Maps a task to the wire.
 *
 * @param t - the sdk task
 * @returns its snake_case form
 * @example
 * ```ts
 * reply.code(201).send(taskToWire(task));
 * ```
 */
export function taskToWire(t: Task): TaskWire {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    kind: t.kind,
    sql: t.sql,
    task_type: t.taskType,
    engine: t.engine,
    schedule: t.schedule,
    inputs: t.inputs,
    outputs: t.outputs,
    owner: t.owner,
    datasource: t.datasource,
    retries: t.retries,
    timeout_seconds: t.timeoutSeconds,
    pre_statements: t.preStatements,
    post_statements: t.postStatements,
    status: t.status,
    engine_ref: t.engineRef,
    last_error: t.lastError,
    version: t.version,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

/**
 * Maps a task creation body from the wire.
 *
 * @param body - a parsed `TaskBodySchema` value
 * @returns the sdk input and whether to register missing tables (default true)
 * @example
 * ```ts
 * const { input, registerMissingTables } = taskFromWire(req.body);
 * await portal.createTask(input, { registerMissingTables });
 * ```
 */
export function taskFromWire(body: z.output<typeof TaskBodySchema>): {
  input: TaskInput;
  registerMissingTables: boolean;
} {
  const { register_missing_tables, ...rest } = body;
  return {
    input: camelKeys(rest) as TaskInput,
    registerMissingTables: register_missing_tables ?? true,
  };
}

/**
 * Maps a task patch from the wire.
 *
 * @param body - a parsed `TaskPatchBodySchema` value
 * @returns the sdk patch and whether to register missing tables (default true)
 * @example
 * ```ts
 * const { patch } = taskPatchFromWire({ schedule: '0 3 * * *', version: 2 });
 * ```
 */
export function taskPatchFromWire(body: z.output<typeof TaskPatchBodySchema>): {
  patch: TaskPatch;
  registerMissingTables: boolean;
} {
  const { register_missing_tables, ...rest } = body;
  return {
    patch: camelKeys(rest) as TaskPatch,
    registerMissingTables: register_missing_tables ?? true,
  };
}

/** How a task's declared inputs/outputs differ from the tables its SQL reads and writes. */
export const LineageCheckWireSchema = z
  .object({
    task_id: z.number().int(),
    dialect: z.string(),
    parsed_inputs: z.array(z.string()),
    parsed_outputs: z.array(z.string()),
    undeclared_inputs: z.array(z.string()).describe('read by the SQL, not declared'),
    unused_inputs: z.array(z.string()).describe('declared, not read by the SQL'),
    undeclared_outputs: z.array(z.string()).describe('written by the SQL, not declared'),
    unwritten_outputs: z.array(z.string()).describe('declared, not written by the SQL'),
    consistent: z.boolean(),
    confidence: z.number(),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'TaskLineageCheck' });

/** `GET /api/v1/tasks/{id}/lineage-check` query. */
export const LineageCheckQuerySchema = z.object({
  dialect: z.enum(['mysql', 'doris', 'hive', 'flink']).optional(),
});

/**
 * Maps a lineage check to the wire.
 *
 * @param c - the sdk check
 * @returns its snake_case form
 * @example
 * ```ts
 * lineageCheckToWire(await portal.checkTaskLineage('dwd_orders'));
 * ```
 */
export function lineageCheckToWire(c: TaskLineageCheck): z.infer<typeof LineageCheckWireSchema> {
  return {
    task_id: c.taskId,
    dialect: c.dialect,
    parsed_inputs: [...c.parsedInputs],
    parsed_outputs: [...c.parsedOutputs],
    undeclared_inputs: [...c.undeclaredInputs],
    unused_inputs: [...c.unusedInputs],
    undeclared_outputs: [...c.undeclaredOutputs],
    unwritten_outputs: [...c.unwrittenOutputs],
    consistent: c.consistent,
    confidence: c.confidence,
    warnings: [...c.warnings],
  };
}
