import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import { SdkError } from '../errors.js';
import { assertMayChange, assertRole, SYSTEM_ACTOR } from '../identity/roles.js';
import { isUniqueViolation } from '../internal/db-errors.js';
import { type Layer, LayerSchema } from '../models/common.js';
import {
  type Datasource,
  type DatasourceInput,
  DatasourceInputSchema,
} from '../models/datasource.js';
import {
  type Field,
  type FieldInput,
  FieldInputSchema,
  type Table,
  type TableDrift,
  type TableInput,
  TableInputSchema,
  type TablePatch,
  TablePatchSchema,
  type TableStatus,
} from '../models/table.js';
import type { Database, DataTableRow } from '../storage/database.js';
import {
  datasourceColumns,
  datasourceFromRow,
} from '../storage/repositories/datasource.repository.js';
import {
  findTableRow,
  insertTable,
  listFields,
  replaceFields,
  tableFromRow,
} from '../storage/repositories/table.repository.js';
import {
  audit,
  cursorId,
  type EntityRef,
  LIMIT,
  likePrefix,
  lockLineage,
  type Page,
  type PortalContext,
  pageOf,
  parse,
  storageError,
  versionRequired,
} from './context.js';
import { resolveTableRow, resolveTableRows, type TableNameScope } from './table-names.js';

/** Filters for {@link CatalogService.listTables}. */
export interface ListTablesQuery {
  /** Only tables of this layer. */
  readonly layer?: Layer;
  /** Only tables with this owner. */
  readonly owner?: string;
  /** Only tables with this status. */
  readonly status?: TableStatus;
  /** Only tables whose qualified name starts with this prefix. */
  readonly prefix?: string;
  /** Only tables of this datasource. */
  readonly datasource?: string;
  /** Page size (1–1000, default 100). */
  readonly limit?: number;
  /** Cursor from a previous page. */
  readonly cursor?: string;
}

/**
 * The catalog: tables with their fields and synced statistics, and the datasources they live
 * in. Reached as `portal.catalog`; every method is also on {@link PortalService}.
 */
export class CatalogService {
  readonly #ctx: PortalContext;

  /** @internal */
  constructor(ctx: PortalContext) {
    this.#ctx = ctx;
  }

  /**
   * Registers a table (with its fields, when given) in one transaction.
   *
   * @param input - qualified name, layer, owner, …
   * @returns the stored table
   * @throws {@link SdkError} `VALIDATION_FAILED` for bad input, `CONFLICT` when the name is taken
   */
  async registerTable(input: TableInput): Promise<Table> {
    const data = parse(TableInputSchema, 'table', input);
    const actor = this.#ctx.actor;
    assertRole(actor, 'developer', `register table ${data.qualifiedName}`);
    const now = this.#ctx.now();
    try {
      return await this.#ctx.db.transaction().execute(async (trx) => {
        await lockLineage(trx);
        const id = await insertTable(
          trx,
          {
            qualifiedName: data.qualifiedName,
            layer: data.layer,
            status: data.status,
            datasource: data.datasource,
            owner: data.owner ?? (actor === SYSTEM_ACTOR ? undefined : actor.name),
            description: data.description,
            tags: data.tags,
          },
          now,
        );
        if (data.fields) {
          checkFieldNames(data.fields);
          await replaceFields(trx, id, data.fields);
        }
        await audit(this.#ctx, trx, {
          action: 'table.create',
          entity: 'table',
          entityId: id,
          versionAfter: 1,
          details: { name: data.qualifiedName },
        });
        return tableById(trx, id);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new SdkError('CONFLICT', `sdk: table ${data.qualifiedName} is already registered`, {
          cause: err,
          details: { qualifiedName: data.qualifiedName },
        });
      }
      throw storageError('registerTable', err);
    }
  }

  /**
   * Reads a table by id or by name as written: `ods_user`, `ods.ods_user`, `cat.ods.ods_user`.
   * The name resolves by the one rule (see docs/architecture.md, "Table names"): an exact
   * registered name wins, else the one table of that name (in the default database, if given).
   *
   * @param ref - id or table name
   * @param scope - the default database unqualified names resolve in
   * @returns the table
   * @throws {@link SdkError} `NOT_FOUND`, `AMBIGUOUS_TABLE` (`details.candidates`)
   */
  async getTable(ref: EntityRef, scope: TableNameScope = {}): Promise<Table> {
    const row = await this.#row(ref, scope);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    return tableFromRow(row);
  }

  /**
   * Reads a table by id or by name as written (resolved as in {@link CatalogService.getTable}),
   * or null.
   *
   * @param ref - id or table name
   * @param scope - the default database unqualified names resolve in
   * @returns the table or null
   * @throws {@link SdkError} `AMBIGUOUS_TABLE`
   */
  async findTable(ref: EntityRef, scope: TableNameScope = {}): Promise<Table | null> {
    const row = await this.#row(ref, scope);
    return row ? tableFromRow(row) : null;
  }

  /**
   * The registered names several names as written stand for (null for an unknown name), by
   * the rule of {@link CatalogService.getTable}.
   *
   * @param names - table names as written
   * @param scope - the default database unqualified names resolve in
   * @returns written name (lower-case) → registered name or null
   * @throws {@link SdkError} `AMBIGUOUS_TABLE`
   */
  async resolveTableNames(
    names: readonly string[],
    scope: TableNameScope = {},
  ): Promise<Map<string, string | null>> {
    const rows = await resolveTableRows(this.#ctx.db, names, scope);
    return new Map([...rows].map(([k, r]) => [k, r?.qualified_name ?? null]));
  }

  #row(ref: EntityRef, scope: TableNameScope = {}): Promise<DataTableRow | null | undefined> {
    return typeof ref === 'number'
      ? findTableRow(this.#ctx.db, ref)
      : resolveTableRow(this.#ctx.db, ref, scope);
  }

  /**
   * Lists tables with filters, ordered by id, with cursor pagination.
   *
   * @param query - filters, limit and cursor
   * @returns a page of tables
   */
  async listTables(query: ListTablesQuery = {}): Promise<Page<Table>> {
    const limit = parse(LIMIT, 'limit', query.limit);
    const after = cursorId(query.cursor);
    let q = this.#ctx.db
      .selectFrom('data_table')
      .selectAll()
      .orderBy('id')
      .limit(limit + 1);
    if (query.layer) q = q.where('layer', '=', parse(LayerSchema, 'layer', query.layer));
    if (query.owner) q = q.where('owner', '=', query.owner);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.datasource) q = q.where('datasource', '=', query.datasource);
    if (query.prefix) {
      q = q.where(
        sql<boolean>`qualified_name like ${likePrefix(query.prefix.toLowerCase())} escape '!'`,
      );
    }
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.execute();
    return pageOf(rows.map(tableFromRow), limit);
  }

  /**
   * Changes a table's layer, owner, status, description, tags or datasource.
   *
   * @param ref - id or table name
   * @param patch - the changes, with the `version` read (optimistic lock)
   * @returns the updated table
   * @throws {@link SdkError} `NOT_FOUND`, `CONFLICT` when `version` is stale,
   *   `PRECONDITION_REQUIRED` without `version`
   */
  async updateTable(ref: EntityRef, patch: TablePatch): Promise<Table> {
    const data = parse(TablePatchSchema, 'table patch', patch);
    const row = await this.#row(ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    assertMayChange(this.#ctx.actor, row.owner, `change table ${row.qualified_name}`);
    if (data.version === undefined) {
      throw versionRequired(`table ${row.qualified_name}`, Number(row.version));
    }
    const expected = data.version;
    const changes: Partial<DataTableRow> = { updated_at: this.#ctx.now(), version: expected + 1 };
    if (data.layer !== undefined) changes.layer = data.layer;
    if (data.owner !== undefined) changes.owner = data.owner;
    if (data.status !== undefined) changes['status'] = data.status;
    if (data.description !== undefined) changes.description = data.description;
    if (data.tags !== undefined) changes.tags_json = JSON.stringify(data.tags);
    if (data.datasource !== undefined) changes.datasource = data.datasource;
    await this.#ctx.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('data_table')
        .set(changes)
        .where('id', '=', row.id)
        .where('version', '=', expected)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw new SdkError(
          'CONFLICT',
          `sdk: table ${row.qualified_name} was changed by someone else (version ${expected} is stale)`,
          { details: { expectedVersion: expected } },
        );
      }
      await audit(this.#ctx, trx, {
        action: data.status === 'deprecated' ? 'table.deprecate' : 'table.update',
        entity: 'table',
        entityId: Number(row.id),
        versionBefore: expected,
        versionAfter: expected + 1,
        details: {
          changed: Object.keys(changes).filter((k) => k !== 'updated_at' && k !== 'version'),
        },
      });
      await lockLineage(trx);
    });
    return this.getTable(Number(row.id));
  }

  /**
   * Marks a table deprecated (it stays in lineage; tasks keep working).
   *
   * @param ref - id or table name
   * @param version - the version read, for optimistic locking
   * @returns the updated table
   */
  async deprecateTable(ref: EntityRef, version?: number): Promise<Table> {
    // An explicit state change, not an overwrite: without a version it applies to the current one.
    const current = version ?? (await this.getTable(ref)).version;
    return this.updateTable(ref, { status: 'deprecated', version: current });
  }

  /**
   * Replaces the fields (columns) of a table in one transaction.
   *
   * @param ref - id or table name
   * @param fields - the columns, in order
   * @returns the stored fields
   * @throws {@link SdkError} `NOT_FOUND`, `VALIDATION_FAILED` (bad or duplicate names)
   */
  async setFields(ref: EntityRef, fields: readonly FieldInput[]): Promise<Field[]> {
    const data = parse(z.array(FieldInputSchema).max(2000), 'fields', fields);
    checkFieldNames(data);
    const row = await this.#row(ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    assertMayChange(this.#ctx.actor, row.owner, `change the fields of ${row.qualified_name}`);
    const id = Number(row.id);
    try {
      await this.#ctx.db.transaction().execute(async (trx) => {
        await replaceFields(trx, id, data);
        await trx
          .updateTable('data_table')
          .set({ updated_at: this.#ctx.now(), version: Number(row.version) + 1 })
          .where('id', '=', id)
          .execute();
        await audit(this.#ctx, trx, {
          action: 'table.fields',
          entity: 'table',
          entityId: id,
          versionBefore: Number(row.version),
          versionAfter: Number(row.version) + 1,
          details: { fields: data.length },
        });
      });
    } catch (err) {
      throw storageError('setFields', err);
    }
    return listFields(this.#ctx.db, id);
  }

  /**
   * The fields of a table in ordinal order.
   *
   * @param ref - id or table name
   * @returns the fields
   */
  async getFields(ref: EntityRef): Promise<Field[]> {
    const row = await this.#row(ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    return listFields(this.#ctx.db, Number(row.id));
  }

  /**
   * Stores what a metadata sync read: statistics and drift.
   *
   * @param ref - id or table name
   * @param sync - stats (row count, data size, last modified) and drift (null when none)
   * @returns the updated table
   */
  async recordTableSync(
    ref: EntityRef,
    sync: {
      readonly stats: {
        readonly rowCount: number | null;
        readonly dataSize: number | null;
        readonly lastModified: Date | null;
      };
      readonly drift: TableDrift | null;
    },
  ): Promise<Table> {
    const row = await this.#row(ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    const now = this.#ctx.now();
    await this.#ctx.db
      .updateTable('data_table')
      .set({
        row_count: sync.stats.rowCount,
        data_size: sync.stats.dataSize,
        last_modified: sync.stats.lastModified?.getTime() ?? null,
        synced_at: now,
        drift_json: sync.drift ? JSON.stringify(sync.drift) : null,
        // Synced stats are the warehouse's facts, not an edit: they leave `version` alone so a
        // periodic sync never makes a user's optimistic-lock edit fail.
      })
      .where('id', '=', row.id)
      .execute();
    return this.getTable(Number(row.id));
  }

  // ---------------------------------------------------------------- datasources

  /**
   * Registers a datasource. Only a reference to its password (`env:VAR` or `secret:name`) is
   * stored, never the password.
   *
   * @param input - name, kind, connection settings, DolphinScheduler datasource name
   * @returns the stored datasource
   * @throws {@link SdkError} `VALIDATION_FAILED`, `CONFLICT` when the name is taken
   */
  async createDatasource(input: DatasourceInput): Promise<Datasource> {
    const data = parse(DatasourceInputSchema, 'datasource', input);
    assertRole(this.#ctx.actor, 'admin', `register datasource ${data.name}`);
    const now = this.#ctx.now();
    try {
      const id = await this.#ctx.db.transaction().execute(async (trx) => {
        const r = await trx
          .insertInto('dp_datasource')
          .values({ ...datasourceColumns(data), version: 1, created_at: now, updated_at: now })
          .executeTakeFirst();
        const id = Number(r.insertId);
        await audit(this.#ctx, trx, {
          action: 'datasource.create',
          entity: 'datasource',
          entityId: id,
          versionAfter: 1,
          details: { name: data.name },
        });
        return id;
      });
      return this.getDatasource(id);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new SdkError('CONFLICT', `sdk: a datasource named ${data.name} already exists`, {
          cause: err,
        });
      }
      throw storageError('createDatasource', err);
    }
  }

  /**
   * Reads a datasource by id or name.
   *
   * @param ref - id or name
   * @returns the datasource
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async getDatasource(ref: EntityRef): Promise<Datasource> {
    const q = this.#ctx.db.selectFrom('dp_datasource').selectAll();
    const row = await (typeof ref === 'number'
      ? q.where('id', '=', ref)
      : q.where('name', '=', ref)
    ).executeTakeFirst();
    if (!row) throw new SdkError('NOT_FOUND', `sdk: datasource ${String(ref)} not found`);
    return datasourceFromRow(row);
  }

  /**
   * Lists all datasources by name.
   *
   * @returns the datasources
   */
  async listDatasources(): Promise<Datasource[]> {
    const rows = await this.#ctx.db
      .selectFrom('dp_datasource')
      .selectAll()
      .orderBy('name')
      .execute();
    return rows.map(datasourceFromRow);
  }

  /**
   * Replaces a datasource's settings (the name included), with optimistic locking.
   *
   * @param ref - id or name
   * @param input - the complete new settings, plus the `version` read
   * @returns the updated datasource
   * @throws {@link SdkError} `NOT_FOUND`, `CONFLICT`, `VALIDATION_FAILED`,
   *   `PRECONDITION_REQUIRED` without `version`
   */
  async updateDatasource(
    ref: EntityRef,
    input: DatasourceInput & { readonly version?: number },
  ): Promise<Datasource> {
    const data = parse(DatasourceInputSchema, 'datasource', input);
    assertRole(this.#ctx.actor, 'admin', `change datasource ${data.name}`);
    const current = await this.getDatasource(ref);
    if (input.version === undefined) {
      throw versionRequired(`datasource ${current.name}`, current.version);
    }
    const expected = input.version;
    try {
      await this.#ctx.db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('dp_datasource')
          .set({ ...datasourceColumns(data), version: expected + 1, updated_at: this.#ctx.now() })
          .where('id', '=', current.id)
          .where('version', '=', expected)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) {
          throw new SdkError(
            'CONFLICT',
            `sdk: datasource ${current.name} was changed by someone else (version ${expected} is stale)`,
          );
        }
        await audit(this.#ctx, trx, {
          action: 'datasource.update',
          entity: 'datasource',
          entityId: current.id,
          versionBefore: expected,
          versionAfter: expected + 1,
          details: { name: data.name },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new SdkError('CONFLICT', `sdk: a datasource named ${data.name} already exists`, {
          cause: err,
        });
      }
      throw storageError('updateDatasource', err);
    }
    return this.getDatasource(current.id);
  }

  /**
   * Deletes a datasource. Tables keep their datasource name, so registering it again restores
   * the link.
   *
   * @param ref - id or name
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async deleteDatasource(ref: EntityRef): Promise<void> {
    assertRole(this.#ctx.actor, 'admin', `delete datasource ${String(ref)}`);
    const current = await this.getDatasource(ref);
    await this.#ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('dp_datasource').where('id', '=', current.id).execute();
      await audit(this.#ctx, trx, {
        action: 'datasource.delete',
        entity: 'datasource',
        entityId: current.id,
        versionBefore: current.version,
        details: { name: current.name },
      });
    });
  }
}

function checkFieldNames(fields: readonly { name: string }[]): void {
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const k = f.name.toLowerCase();
    if (seen.has(k)) {
      throw new SdkError('VALIDATION_FAILED', `sdk: field ${f.name} listed twice`, {
        issues: [
          { path: ['fields', i, 'name'], message: `duplicate field ${f.name}`, code: 'custom' },
        ],
      });
    }
    seen.add(k);
  });
}

async function tableById(db: Kysely<Database>, id: number): Promise<Table> {
  const row = await findTableRow(db, id);
  if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${id} not found`);
  return tableFromRow(row);
}
