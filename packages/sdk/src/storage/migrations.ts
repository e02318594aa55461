import { type ColumnDataType, type Expression, type Kysely, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

/** SQL dialects the portal store supports. */
export type StoreDialect = 'mysql' | 'sqlite';

interface Types {
  id: ColumnDataType;
  ref: ColumnDataType;
  time: ColumnDataType;
  big: ColumnDataType;
  name: ColumnDataType;
  text: ColumnDataType | Expression<unknown>;
  long: ColumnDataType | Expression<unknown>;
}

function types(dialect: StoreDialect): Types {
  return dialect === 'mysql'
    ? {
        id: 'bigint',
        ref: 'bigint',
        time: 'bigint',
        big: 'bigint',
        name: 'varchar(255)',
        text: 'text',
        long: sql`longtext`,
      }
    : {
        // SQLite: only "integer primary key" aliases the rowid and auto-increments.
        id: 'integer',
        ref: 'integer',
        time: 'integer',
        big: 'integer',
        name: 'text',
        text: 'text',
        long: 'text',
      };
}

function initial(dialect: StoreDialect): Migration {
  const t = types(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('dp_datasource')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('name', t.name, (c) => c.notNull().unique())
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        .addColumn('host', t.name)
        .addColumn('port', 'integer')
        .addColumn('user_name', t.name)
        .addColumn('password_ref', t.name)
        .addColumn('database_name', t.name)
        .addColumn('path', t.text)
        .addColumn('dolphin_datasource', t.name)
        .addColumn('description', t.text)
        .addColumn('options_json', t.text, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('data_table')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('qualified_name', t.name, (c) => c.notNull().unique())
        .addColumn('database_name', t.name, (c) => c.notNull())
        .addColumn('table_name', t.name, (c) => c.notNull())
        .addColumn('datasource', t.name)
        .addColumn('layer', 'varchar(8)', (c) => c.notNull())
        .addColumn('owner', t.name)
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('description', t.text)
        .addColumn('tags_json', t.text, (c) => c.notNull())
        .addColumn('row_count', t.big)
        .addColumn('data_size', t.big)
        .addColumn('last_modified', t.time)
        .addColumn('synced_at', t.time)
        .addColumn('drift_json', t.text)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('idx_data_table_layer')
        .ifNotExists()
        .on('data_table')
        .columns(['layer', 'qualified_name'])
        .execute();
      await db.schema
        .createIndex('idx_data_table_owner')
        .ifNotExists()
        .on('data_table')
        .columns(['owner'])
        .execute();

      await db.schema
        .createTable('data_field')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('table_id', t.ref, (c) => c.notNull())
        .addColumn('name', t.name, (c) => c.notNull())
        .addColumn('type', t.name, (c) => c.notNull())
        .addColumn('description', t.text)
        .addColumn('nullable', 'integer', (c) => c.notNull())
        .addColumn('key_kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('default_value', t.text)
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addUniqueConstraint('uq_data_field_table_name', ['table_id', 'name'])
        .execute();

      await db.schema
        .createTable('data_task')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('name', t.name, (c) => c.notNull().unique())
        .addColumn('description', t.text)
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('sql_text', t.long, (c) => c.notNull())
        .addColumn('task_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('engine', 'varchar(16)', (c) => c.notNull())
        .addColumn('schedule', 'varchar(128)')
        .addColumn('inputs_json', t.long, (c) => c.notNull())
        .addColumn('outputs_json', t.long, (c) => c.notNull())
        .addColumn('owner', t.name)
        .addColumn('datasource', t.name)
        .addColumn('retries', 'integer', (c) => c.notNull())
        .addColumn('timeout_seconds', 'integer', (c) => c.notNull())
        .addColumn('pre_json', t.long, (c) => c.notNull())
        .addColumn('post_json', t.long, (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('engine_ref_json', t.long)
        .addColumn('last_error', t.text)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('idx_data_task_status')
        .ifNotExists()
        .on('data_task')
        .columns(['status', 'engine'])
        .execute();

      await db.schema
        .createTable('data_lineage')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('source', t.name, (c) => c.notNull())
        .addColumn('target', t.name, (c) => c.notNull())
        .addColumn('task_id', t.ref, (c) => c.notNull())
        .addColumn('provenance', 'varchar(16)', (c) => c.notNull())
        .addColumn('columns_json', t.long, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addUniqueConstraint('uq_data_lineage_edge', ['source', 'target', 'task_id', 'provenance'])
        .execute();
      // Lineage is walked in both directions: downstream by source, upstream by target.
      await db.schema
        .createIndex('idx_data_lineage_source')
        .ifNotExists()
        .on('data_lineage')
        .columns(['source', 'target'])
        .execute();
      await db.schema
        .createIndex('idx_data_lineage_target')
        .ifNotExists()
        .on('data_lineage')
        .columns(['target', 'source'])
        .execute();
      await db.schema
        .createIndex('idx_data_lineage_task')
        .ifNotExists()
        .on('data_lineage')
        .columns(['task_id'])
        .execute();

      await db.schema
        .createTable('task_execution_log')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('task_id', t.ref, (c) => c.notNull())
        .addColumn('engine', 'varchar(16)', (c) => c.notNull())
        .addColumn('external_run_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('start_time', t.time)
        .addColumn('end_time', t.time)
        .addColumn('duration_ms', t.big)
        .addColumn('rows_output', t.big)
        .addColumn('message', t.text)
        .addColumn('log_ref', t.text)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addUniqueConstraint('uq_execution_run', ['task_id', 'engine', 'external_run_id'])
        .execute();
      await db.schema
        .createIndex('idx_execution_task_time')
        .ifNotExists()
        .on('task_execution_log')
        .columns(['task_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('idx_execution_status_time')
        .ifNotExists()
        .on('task_execution_log')
        .columns(['status', 'created_at'])
        .execute();

      await db.schema
        .createTable('dp_lock')
        .ifNotExists()
        .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('touched_at', t.time, (c) => c.notNull())
        .execute();
      await sql`insert into dp_lock (name, touched_at) values ('lineage', 0)`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const name of [
        'dp_lock',
        'task_execution_log',
        'data_lineage',
        'data_task',
        'data_field',
        'data_table',
        'dp_datasource',
      ]) {
        await db.schema.dropTable(name).ifExists().execute();
      }
    },
  };
}

function lineageHistory(dialect: StoreDialect): Migration {
  const t = types(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('data_lineage_history')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('source', t.name, (c) => c.notNull())
        .addColumn('target', t.name, (c) => c.notNull())
        .addColumn('task_id', t.ref, (c) => c.notNull())
        .addColumn('provenance', 'varchar(16)', (c) => c.notNull())
        .addColumn('columns_json', t.long, (c) => c.notNull())
        .addColumn('task_version', 'integer', (c) => c.notNull())
        .addColumn('valid_from', t.time, (c) => c.notNull())
        .addColumn('valid_to', t.time)
        .execute();
      // As-of walks go level by level through source (downstream) or target (upstream), then
      // keep the versions valid at the instant; diffs scan the changes inside a time window.
      for (const [name, columns] of [
        ['idx_lineage_history_source', ['source', 'valid_from']],
        ['idx_lineage_history_target', ['target', 'valid_from']],
        ['idx_lineage_history_from', ['valid_from']],
        ['idx_lineage_history_to', ['valid_to']],
        ['idx_lineage_history_edge', ['task_id', 'provenance', 'source', 'target']],
      ] as const) {
        await db.schema
          .createIndex(name)
          .ifNotExists()
          .on('data_lineage_history')
          .columns([...columns])
          .execute();
      }
      // The edges that exist now have been valid since they were stored.
      await sql`insert into data_lineage_history
          (source, target, task_id, provenance, columns_json, task_version, valid_from, valid_to)
        select l.source, l.target, l.task_id, l.provenance, l.columns_json,
          coalesce(t.version, 0), l.created_at, null
        from data_lineage l left join data_task t on t.id = l.task_id`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('data_lineage_history').ifExists().execute();
    },
  };
}

function streamSamples(dialect: StoreDialect): Migration {
  const t = types(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // One row per status read of a started stream job: what the web page draws as a sparkline.
      await db.schema
        .createTable('stream_sample')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('task_id', t.ref, (c) => c.notNull())
        .addColumn('external_run_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('sampled_at', t.time, (c) => c.notNull())
        .addColumn('state', 'varchar(16)', (c) => c.notNull())
        .addColumn('throughput', dialect === 'mysql' ? 'double precision' : 'real')
        .addColumn('uptime_ms', t.big)
        .execute();
      await db.schema
        .createIndex('idx_stream_sample_task_time')
        .ifNotExists()
        .on('stream_sample')
        .columns(['task_id', 'sampled_at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('stream_sample').ifExists().execute();
    },
  };
}

/**
 * Table names as people write them: an unqualified name (`ods_user`) is stored with an empty
 * database, and a reference resolves by its last part (`table_name`), so that column gets an
 * index. Adds an index only: every row stays as it is.
 */
function tableNames(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('idx_data_table_table_name')
        .ifNotExists()
        .on('data_table')
        .columns(['table_name', 'database_name'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('idx_data_table_table_name').ifExists().on('data_table').execute();
    },
  };
}

function security(dialect: StoreDialect): Migration {
  const t = types(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('dp_user')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('name', 'varchar(128)', (c) => c.notNull().unique())
        .addColumn('display_name', t.name)
        .addColumn('email', t.name)
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('dp_api_token')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('user_name', 'varchar(128)', (c) => c.notNull())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('prefix', 'varchar(16)', (c) => c.notNull())
        .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time)
        .addColumn('revoked_at', t.time)
        .addColumn('last_used_at', t.time)
        .execute();
      await db.schema
        .createIndex('idx_api_token_user')
        .ifNotExists()
        .on('dp_api_token')
        .columns(['user_name', 'id'])
        .execute();
      await db.schema
        .createTable('dp_audit')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('at', t.time, (c) => c.notNull())
        .addColumn('actor', 'varchar(128)', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('action', 'varchar(64)', (c) => c.notNull())
        .addColumn('entity', 'varchar(64)', (c) => c.notNull())
        .addColumn('entity_id', t.name)
        .addColumn('version_before', 'integer')
        .addColumn('version_after', 'integer')
        .addColumn('request_id', 'varchar(64)')
        .addColumn('source_ip', 'varchar(64)')
        .addColumn('details_json', t.text, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('idx_audit_entity')
        .ifNotExists()
        .on('dp_audit')
        .columns(['entity', 'entity_id', 'id'])
        .execute();
      await db.schema
        .createIndex('idx_audit_actor')
        .ifNotExists()
        .on('dp_audit')
        .columns(['actor', 'id'])
        .execute();
      await db.schema
        .createIndex('idx_audit_at')
        .ifNotExists()
        .on('dp_audit')
        .columns(['at'])
        .execute();
      await db.schema
        .createTable('dp_secret')
        .ifNotExists()
        .addColumn('id', t.id, (c) => c.primaryKey().autoIncrement())
        .addColumn('name', 'varchar(190)', (c) => c.notNull().unique())
        .addColumn('sealed', t.text, (c) => c.notNull())
        .addColumn('key_id', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      // Audit rows are append-only: the database itself refuses to change or remove one.
      for (const op of ['update', 'delete'] as const) {
        if (dialect === 'sqlite') {
          await sql
            .raw(
              `create trigger if not exists dp_audit_no_${op} before ${op} on dp_audit ` +
                `begin select raise(abort, 'dp_audit is append-only'); end`,
            )
            .execute(db);
        } else {
          await sql.raw(`drop trigger if exists dp_audit_no_${op}`).execute(db);
          await sql
            .raw(
              `create trigger dp_audit_no_${op} before ${op} on dp_audit for each row ` +
                `signal sqlstate '45000' set message_text = 'dp_audit is append-only'`,
            )
            .execute(db);
        }
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const name of ['dp_secret', 'dp_audit', 'dp_api_token', 'dp_user']) {
        await db.schema.dropTable(name).ifExists().execute();
      }
    },
  };
}

/**
 * The portal's migrations as code objects, named by timestamp so they sort in the order they
 * were written.
 *
 * @internal
 */
export function portalMigrations(dialect: StoreDialect): MigrationProvider {
  return {
    getMigrations: async () => ({
      '2026_11_23_0001_initial': initial(dialect),
      '2026_12_04_0001_lineage_history': lineageHistory(dialect),
      '2026_12_04_0002_table_names': tableNames(),
      '2026_12_04_0003_stream_samples': streamSamples(dialect),
      '2026_12_04_0004_security': security(dialect),
    }),
  };
}
