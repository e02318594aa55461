import type { NewTask, Task, TaskPatch } from '../api/client';

/** The task form's state (camelCase, strings where the user types). */
export interface TaskForm {
  name: string;
  description: string;
  sql: string;
  taskType: 'batch' | 'stream';
  engine: 'dolphin' | 'dinky' | 'local';
  schedule: string;
  inputs: string[];
  outputs: string[];
  owner: string;
  datasource: string;
  retries: number;
  timeoutSeconds: number;
}

/** A new batch task for DolphinScheduler, as the design's example starts. */
export function emptyTaskForm(): TaskForm {
  return {
    name: '',
    description: '',
    sql: '',
    taskType: 'batch',
    engine: 'dolphin',
    schedule: '',
    inputs: [],
    outputs: [],
    owner: '',
    datasource: '',
    retries: 0,
    timeoutSeconds: 0,
  };
}

/** The form for an existing task. */
export function formFromTask(t: Task): TaskForm {
  return {
    name: t.name,
    description: t.description ?? '',
    sql: t.sql,
    taskType: t.task_type,
    engine: t.engine,
    schedule: t.schedule ?? '',
    inputs: [...t.inputs],
    outputs: [...t.outputs],
    owner: t.owner ?? '',
    datasource: t.datasource ?? '',
    retries: t.retries,
    timeoutSeconds: t.timeout_seconds,
  };
}

/** The create request (`POST /api/v1/tasks`); blank optional fields are left out. */
export function toNewTask(f: TaskForm): NewTask {
  return {
    name: f.name.trim(),
    kind: 'sql',
    sql: f.sql,
    task_type: f.taskType,
    engine: f.engine,
    schedule: f.schedule.trim() || null,
    inputs: f.inputs,
    outputs: f.outputs,
    retries: f.retries,
    timeout_seconds: f.timeoutSeconds,
    pre_statements: [],
    post_statements: [],
    register_missing_tables: true,
    ...(f.description.trim() && { description: f.description.trim() }),
    ...(f.owner.trim() && { owner: f.owner.trim() }),
    ...(f.datasource.trim() && { datasource: f.datasource.trim() }),
  };
}

/** The change request (`PATCH /api/v1/tasks/{id}`) with the version the form was read at. */
export function toPatch(f: TaskForm, version: number): TaskPatch {
  return {
    description: f.description.trim() || null,
    sql: f.sql,
    task_type: f.taskType,
    engine: f.engine,
    schedule: f.schedule.trim() || null,
    inputs: f.inputs,
    outputs: f.outputs,
    owner: f.owner.trim() || null,
    datasource: f.datasource.trim() || null,
    retries: f.retries,
    timeout_seconds: f.timeoutSeconds,
    version,
    register_missing_tables: true,
  };
}
