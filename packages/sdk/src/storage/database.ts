import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Row shapes of the portal's tables (snake_case, as stored). Times are epoch milliseconds in
 * BIGINT columns on every dialect, so no driver time-zone conversion can shift them; JSON
 * values are stored as text.
 */

/** `dp_datasource` row. */
export interface DatasourceTable {
  id: Generated<number>;
  name: string;
  kind: string;
  host: string | null;
  port: number | null;
  user_name: string | null;
  password_ref: string | null;
  database_name: string | null;
  path: string | null;
  dolphin_datasource: string | null;
  description: string | null;
  options_json: string;
  version: number;
  created_at: number;
  updated_at: number;
}

/** `data_table` row. */
export interface DataTableTable {
  id: Generated<number>;
  qualified_name: string;
  database_name: string;
  table_name: string;
  datasource: string | null;
  layer: string;
  owner: string | null;
  status: string;
  description: string | null;
  tags_json: string;
  row_count: number | null;
  data_size: number | null;
  last_modified: number | null;
  synced_at: number | null;
  drift_json: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

/** `data_field` row. */
export interface DataFieldTable {
  id: Generated<number>;
  table_id: number;
  name: string;
  type: string;
  description: string | null;
  nullable: number;
  key_kind: string;
  default_value: string | null;
  ordinal: number;
}

/** `data_task` row. */
export interface DataTaskTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  kind: string;
  sql_text: string;
  task_type: string;
  engine: string;
  schedule: string | null;
  inputs_json: string;
  outputs_json: string;
  owner: string | null;
  datasource: string | null;
  retries: number;
  timeout_seconds: number;
  pre_json: string;
  post_json: string;
  status: string;
  engine_ref_json: string | null;
  last_error: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

/** `data_lineage` row; `task_id` 0 means "no task" (manual edges), so the unique key holds. */
export interface DataLineageTable {
  id: Generated<number>;
  source: string;
  target: string;
  task_id: number;
  provenance: string;
  columns_json: string;
  created_at: number;
}

/** `task_execution_log` row. */
/**
 * `data_lineage_history`: every version of every lineage edge, valid from `valid_from` until
 * `valid_to` (null while it is current), with the version of the task that made it.
 */
export interface DataLineageHistoryTable {
  id: Generated<number>;
  source: string;
  target: string;
  task_id: number;
  provenance: string;
  columns_json: string;
  /** Version of the task when the edge version was written; 0 for edges without a task. */
  task_version: number;
  valid_from: number;
  valid_to: number | null;
}

/** A `data_lineage_history` row as selected. */
export type DataLineageHistoryRow = Selectable<DataLineageHistoryTable>;

export interface TaskExecutionLogTable {
  id: Generated<number>;
  task_id: number;
  engine: string;
  external_run_id: string;
  status: string;
  start_time: number | null;
  end_time: number | null;
  duration_ms: number | null;
  rows_output: number | null;
  message: string | null;
  log_ref: string | null;
  created_at: number;
  updated_at: number;
}

/** `stream_sample`: one status read of a started stream job (state, throughput, uptime). */
export interface StreamSampleTable {
  id: Generated<number>;
  task_id: number;
  external_run_id: string;
  sampled_at: number;
  state: string;
  throughput: number | null;
  uptime_ms: number | null;
}

/** `dp_lock` row: named rows that writers lock to serialise graph changes. */
export interface LockTable {
  name: string;
  touched_at: number;
}

/** `dp_user` row. */
export interface UserTable {
  id: Generated<number>;
  name: string;
  display_name: string | null;
  email: string | null;
  role: string;
  created_at: number;
  updated_at: number;
}

/** `dp_api_token` row: only the token's SHA-256 is stored. */
export interface ApiTokenTable {
  id: Generated<number>;
  user_name: string;
  name: string;
  role: string;
  kind: string;
  prefix: string;
  token_hash: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** `dp_audit` row (append-only: triggers refuse updates and deletes). */
export interface AuditTable {
  id: Generated<number>;
  at: number;
  actor: string;
  role: string;
  action: string;
  entity: string;
  entity_id: string | null;
  version_before: number | null;
  version_after: number | null;
  request_id: string | null;
  source_ip: string | null;
  details_json: string;
}

/** `dp_secret` row: a secret sealed with AES-256-GCM. */
export interface SecretTable {
  id: Generated<number>;
  name: string;
  sealed: string;
  key_id: string;
  created_at: number;
  updated_at: number;
}

/** The portal database, as kysely sees it. */
export interface Database {
  dp_datasource: DatasourceTable;
  data_table: DataTableTable;
  data_field: DataFieldTable;
  data_task: DataTaskTable;
  data_lineage: DataLineageTable;
  data_lineage_history: DataLineageHistoryTable;
  task_execution_log: TaskExecutionLogTable;
  stream_sample: StreamSampleTable;
  dp_lock: LockTable;
  dp_user: UserTable;
  dp_api_token: ApiTokenTable;
  dp_audit: AuditTable;
  dp_secret: SecretTable;
}

/** A selected `data_table` row. */
export type DataTableRow = Selectable<DataTableTable>;
/** A selected `data_field` row. */
export type DataFieldRow = Selectable<DataFieldTable>;
/** A selected `data_task` row. */
export type DataTaskRow = Selectable<DataTaskTable>;
/** An insertable `data_task` row. */
export type InsertableDataTaskRow = Insertable<DataTaskTable>;
/** An updateable `data_task` row. */
export type UpdateableDataTaskRow = Updateable<DataTaskTable>;
/** A selected `data_lineage` row. */
export type DataLineageRow = Selectable<DataLineageTable>;
/** A selected `task_execution_log` row. */
export type TaskExecutionLogRow = Selectable<TaskExecutionLogTable>;
/** A selected `dp_datasource` row. */
export type DatasourceRow = Selectable<DatasourceTable>;
