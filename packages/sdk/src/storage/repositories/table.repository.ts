import type { Kysely } from 'kysely';
import type { Field, FieldInput, Table, TableDrift } from '../../models/table.js';
import type { Database, DataFieldRow, DataTableRow } from '../database.js';
import { insertedId, parseJson, toDate, toNum } from './json.js';

/** @internal */
export function tableFromRow(r: DataTableRow): Table {
  return {
    id: Number(r.id),
    qualifiedName: r.qualified_name,
    database: r.database_name,
    name: r.table_name,
    layer: r.layer as Table['layer'],
    owner: r.owner,
    status: r.status as Table['status'],
    description: r.description,
    tags: parseJson<string[]>(r.tags_json, []),
    datasource: r.datasource,
    stats: {
      rowCount: toNum(r.row_count),
      dataSize: toNum(r.data_size),
      lastModified: toDate(r.last_modified),
      syncedAt: toDate(r.synced_at),
      drift: parseJson<TableDrift | null>(r.drift_json, null),
    },
    version: Number(r.version),
    createdAt: toDate(r.created_at) ?? new Date(0),
    updatedAt: toDate(r.updated_at) ?? new Date(0),
  };
}

/** @internal */
export function fieldFromRow(r: DataFieldRow): Field {
  const f: Field = {
    id: Number(r.id),
    tableId: Number(r.table_id),
    name: r.name,
    type: r.type,
    nullable: Number(r.nullable) === 1,
    key: r.key_kind as Field['key'],
    ordinal: Number(r.ordinal),
    defaultValue: r.default_value,
  };
  if (r.description != null) f.description = r.description;
  return f;
}

/** Finds a table by id or qualified name. @internal */
export async function findTableRow(
  db: Kysely<Database>,
  ref: number | string,
): Promise<DataTableRow | undefined> {
  const q = db.selectFrom('data_table').selectAll();
  return typeof ref === 'number'
    ? q.where('id', '=', ref).executeTakeFirst()
    : q.where('qualified_name', '=', ref.toLowerCase()).executeTakeFirst();
}

/** Tables whose qualified names are in `names`. @internal */
export async function findTablesByName(
  db: Kysely<Database>,
  names: readonly string[],
): Promise<DataTableRow[]> {
  if (names.length === 0) return [];
  return db.selectFrom('data_table').selectAll().where('qualified_name', 'in', names).execute();
}

/** What a new table row needs; everything else starts empty. @internal */
export interface NewTableRow {
  readonly qualifiedName: string;
  readonly layer: string;
  readonly status: string;
  readonly datasource?: string | null | undefined;
  readonly owner?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly tags?: readonly string[] | undefined;
}

/**
 * Inserts a table row (the last part of the qualified name is the table, the rest its
 * database) and returns its id.
 *
 * @internal
 */
export async function insertTable(
  db: Kysely<Database>,
  table: NewTableRow,
  now: number,
): Promise<number> {
  const parts = table.qualifiedName.split('.');
  const result = await db
    .insertInto('data_table')
    .values({
      qualified_name: table.qualifiedName,
      database_name: parts.slice(0, -1).join('.'),
      table_name: parts[parts.length - 1] ?? table.qualifiedName,
      datasource: table.datasource ?? null,
      layer: table.layer,
      owner: table.owner ?? null,
      status: table.status,
      description: table.description ?? null,
      tags_json: JSON.stringify(table.tags ?? []),
      row_count: null,
      data_size: null,
      last_modified: null,
      synced_at: null,
      drift_json: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirst();
  return insertedId(result);
}

/** Replaces all fields of a table. @internal */
export async function replaceFields(
  db: Kysely<Database>,
  tableId: number,
  fields: readonly FieldInput[],
): Promise<void> {
  await db.deleteFrom('data_field').where('table_id', '=', tableId).execute();
  if (fields.length === 0) return;
  const rows = fields.map((f, i) => ({
    table_id: tableId,
    name: f.name,
    type: f.type,
    description: f.description ?? null,
    nullable: f.nullable === false ? 0 : 1,
    key_kind: f.key ?? 'none',
    default_value: f.defaultValue ?? null,
    ordinal: i,
  }));
  // Chunked so a wide table never exceeds a driver's placeholder limit.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('data_field')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** Fields of a table in ordinal order. @internal */
export async function listFields(db: Kysely<Database>, tableId: number): Promise<Field[]> {
  const rows = await db
    .selectFrom('data_field')
    .selectAll()
    .where('table_id', '=', tableId)
    .orderBy('ordinal')
    .execute();
  return rows.map(fieldFromRow);
}
