import { LineageGraph } from '@dataportal/lineage';
import { SdkError } from '../errors.js';
import { assertRole } from '../identity/roles.js';
import { isUniqueViolation } from '../internal/db-errors.js';
import type { Layer } from '../models/common.js';
import {
  type LineageEdge,
  type LineageEdgeInput,
  LineageEdgeInputSchema,
} from '../models/lineage-edge.js';
import type { TableStatus } from '../models/table.js';
import { edgeFromRow } from '../storage/repositories/lineage.repository.js';
import { syncLineageHistory } from '../storage/repositories/lineage-history.repository.js';
import { audit, lockLineage, type PortalContext, parse, storageError } from './context.js';
import { ensureTables, rejectCycle } from './graph-guard.js';
import { canonicalTableName } from './table-names.js';

/** A snapshot of the lineage graph: tables as nodes, edges between them. */
export interface LineageSnapshot {
  /** Every table that is registered or appears on an edge. */
  readonly nodes: {
    readonly id: string;
    readonly layer: Layer | null;
    readonly owner: string | null;
    readonly status: TableStatus | null;
  }[];
  /** Every stored edge. */
  readonly edges: LineageEdge[];
  /** Tasks by id, for edges that carry a task id. */
  readonly tasks: ReadonlyMap<number, { readonly name: string; readonly owner: string | null }>;
}

/** A task that writes lineage edges, as the cached lineage index knows it. */
export interface LineageTask {
  /** Task id. */
  readonly id: number;
  /** Task name (what graph edges carry). */
  readonly name: string;
  /** Owner, or null. */
  readonly owner: string | null;
}

/**
 * The table graph: stored edges (from tasks, added by hand, or observed), the whole graph as a
 * snapshot, and the cached {@link LineageGraph} for queries. Reached as `portal.lineage`; every
 * method is also on {@link PortalService}.
 */
export class LineageService {
  readonly #ctx: PortalContext;
  #graph: {
    readonly stamp: number;
    readonly graph: LineageGraph;
    readonly tasks: ReadonlyMap<string, LineageTask>;
  } | null = null;
  #graphLoad: { readonly stamp: number; readonly promise: Promise<LineageGraph> } | null = null;

  /** @internal */
  constructor(ctx: PortalContext) {
    this.#ctx = ctx;
  }

  /**
   * Lists stored lineage edges, optionally only those touching a table.
   *
   * @param query - `table` to filter by (either end)
   * @returns the edges
   */
  async listLineageEdges(query: { readonly table?: string } = {}): Promise<LineageEdge[]> {
    let q = this.#ctx.db.selectFrom('data_lineage').selectAll().orderBy('id');
    if (query.table) {
      const t = await canonicalTableName(this.#ctx.db, query.table);
      q = q.where((eb) => eb.or([eb('source', '=', t), eb('target', '=', t)]));
    }
    return (await q.execute()).map(edgeFromRow);
  }

  /**
   * Adds a lineage edge that no task declares (provenance `manual` or `observed`), rejecting
   * edges that close a cycle.
   *
   * @param input - source, target, provenance, column pairs
   * @returns the stored edge
   * @throws {@link SdkError} `UNKNOWN_TABLES`, `CYCLE_DETECTED`, `CONFLICT`
   */
  async addLineageEdge(input: LineageEdgeInput): Promise<LineageEdge> {
    let data = parse(LineageEdgeInputSchema, 'lineage edge', input);
    assertRole(this.#ctx.actor, 'developer', `add lineage edge ${data.source} -> ${data.target}`);
    try {
      return await this.#ctx.db.transaction().execute(async (trx) => {
        await lockLineage(trx);
        const resolved = await ensureTables(this.#ctx, trx, [data.source], [data.target], {});
        data = {
          ...data,
          source: resolved.inputs[0] ?? data.source,
          target: resolved.outputs[0] ?? data.target,
        };
        if (data.source === data.target) {
          throw new SdkError('CYCLE_DETECTED', `sdk: edge ${data.source} -> itself is a cycle`, {
            details: { cycle: [data.source, data.source] },
          });
        }
        await rejectCycle(trx, -1, [data.source], [data.target]);
        let taskVersion = 0;
        if (data.taskId !== undefined) {
          const task = await trx
            .selectFrom('data_task')
            .select('version')
            .where('id', '=', data.taskId)
            .executeTakeFirst();
          if (!task) throw new SdkError('NOT_FOUND', `sdk: task ${data.taskId} not found`);
          taskVersion = Number(task.version);
        }
        const now = this.#ctx.now();
        const r = await trx
          .insertInto('data_lineage')
          .values({
            source: data.source,
            target: data.target,
            task_id: data.taskId ?? 0,
            provenance: data.provenance,
            columns_json: JSON.stringify(data.columns),
            created_at: now,
          })
          .executeTakeFirst();
        await syncLineageHistory(
          trx,
          { taskId: data.taskId ?? 0, taskVersion, pairs: [[data.source, data.target]] },
          now,
        );
        const row = await trx
          .selectFrom('data_lineage')
          .selectAll()
          .where('id', '=', Number(r.insertId))
          .executeTakeFirstOrThrow();
        await audit(this.#ctx, trx, {
          action: 'lineage_edge.create',
          entity: 'lineage_edge',
          entityId: Number(row.id),
          details: { source: data.source, target: data.target, provenance: data.provenance },
        });
        return edgeFromRow(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new SdkError('CONFLICT', `sdk: edge ${data.source} -> ${data.target} exists`, {
          cause: err,
        });
      }
      throw storageError('addLineageEdge', err);
    }
  }

  /**
   * Removes a manual or observed lineage edge (task edges change with their task).
   *
   * @param id - edge id
   * @throws {@link SdkError} `NOT_FOUND`, `INVALID_STATE` for an edge owned by a task
   */
  async removeLineageEdge(id: number): Promise<void> {
    assertRole(this.#ctx.actor, 'developer', `remove lineage edge ${id}`);
    const row = await this.#ctx.db
      .selectFrom('data_lineage')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new SdkError('NOT_FOUND', `sdk: lineage edge ${id} not found`);
    if (Number(row.task_id) !== 0 && row.provenance !== 'observed') {
      throw new SdkError(
        'INVALID_STATE',
        `sdk: edge ${id} belongs to task ${row.task_id}; edit the task`,
      );
    }
    await this.#ctx.db.transaction().execute(async (trx) => {
      await lockLineage(trx);
      await trx.deleteFrom('data_lineage').where('id', '=', id).execute();
      await syncLineageHistory(
        trx,
        { taskId: Number(row.task_id), taskVersion: 0, pairs: [[row.source, row.target]] },
        this.#ctx.now(),
      );
      await audit(this.#ctx, trx, {
        action: 'lineage_edge.delete',
        entity: 'lineage_edge',
        entityId: id,
        details: { source: row.source, target: row.target },
      });
    });
  }

  /**
   * Reads the whole lineage graph: tables (with layer, owner, status) and edges, plus the
   * tasks the edges belong to. Feed it to `@dataportal/lineage` for queries.
   *
   * @returns the snapshot
   */
  async lineageSnapshot(): Promise<LineageSnapshot> {
    const [tables, edges, tasks] = await Promise.all([
      this.#ctx.db
        .selectFrom('data_table')
        .select(['qualified_name', 'layer', 'owner', 'status'])
        .execute(),
      this.#ctx.db.selectFrom('data_lineage').selectAll().orderBy('id').execute(),
      this.#ctx.db.selectFrom('data_task').select(['id', 'name', 'owner']).execute(),
    ]);
    const nodes = new Map<string, LineageSnapshot['nodes'][number]>();
    for (const t of tables) {
      nodes.set(t.qualified_name, {
        id: t.qualified_name,
        layer: t.layer as Layer,
        owner: t.owner,
        status: t.status as TableStatus,
      });
    }
    const mapped = edges.map(edgeFromRow);
    for (const e of mapped) {
      for (const n of [e.source, e.target]) {
        if (!nodes.has(n)) nodes.set(n, { id: n, layer: null, owner: null, status: null });
      }
    }
    return {
      nodes: [...nodes.values()],
      edges: mapped,
      tasks: new Map(tasks.map((t) => [Number(t.id), { name: t.name, owner: t.owner }])),
    };
  }

  /**
   * The lineage graph as a `@dataportal/lineage` {@link LineageGraph} (tables with layer,
   * owner and kind; edges with task name, provenance and column pairs), ready for upstream,
   * downstream, impact, path, cycle and layer-rule queries in microseconds.
   *
   * The graph is cached and rebuilt only when the stored graph changed (any process writing to
   * the same store bumps a stamp that one primary-key read checks). The returned graph is
   * shared: clone it before changing it.
   *
   * @returns the graph
   * @example
   * ```ts
   * import { downstream } from '@dataportal/lineage';
   * const graph = await portal.lineageGraph();
   * console.log(downstream(graph, 'ods.orders', { depth: 3 }).nodes);
   * ```
   */
  async lineageGraph(): Promise<LineageGraph> {
    const stampRow = await this.#ctx.db
      .selectFrom('dp_lock')
      .select('touched_at')
      .where('name', '=', 'lineage')
      .executeTakeFirst();
    const stamp = Number(stampRow?.touched_at ?? 0);
    if (this.#graph && this.#graph.stamp === stamp) return this.#graph.graph;
    const pending = this.#graphLoad?.stamp === stamp ? this.#graphLoad.promise : null;
    if (pending) return pending;
    const promise = (async () => {
      const snap = await this.lineageSnapshot();
      const graph = LineageGraph.fromEdges(
        snap.edges.map((e) => {
          const task = e.taskId === null ? undefined : snap.tasks.get(e.taskId)?.name;
          return {
            source: e.source,
            target: e.target,
            provenance: e.provenance,
            ...(task === undefined ? {} : { task }),
            ...(e.columns.length > 0 ? { columns: e.columns } : {}),
          };
        }),
        snap.nodes.map((n) => ({
          id: n.id,
          kind: 'table',
          ...(n.layer === null ? {} : { layer: n.layer }),
          ...(n.owner === null ? {} : { owner: n.owner }),
        })),
      );
      const tasks = new Map<string, LineageTask>();
      for (const [id, t] of snap.tasks) tasks.set(t.name, { id, name: t.name, owner: t.owner });
      this.#graph = { stamp, graph, tasks };
      return graph;
    })();
    this.#graphLoad = { stamp, promise };
    try {
      return await promise;
    } finally {
      if (this.#graphLoad?.promise === promise) this.#graphLoad = null;
    }
  }

  /**
   * Every task by name (id, name, owner), cached with {@link LineageService.lineageGraph} and
   * refreshed with it: every task write bumps the same stamp. Impact analysis names the tasks
   * that write the affected tables from here, without one query per task.
   *
   * @returns tasks by name
   * @example
   * ```ts
   * const tasks = await portal.lineageTasks();
   * tasks.get('dwd_orders')?.owner;
   * ```
   */
  async lineageTasks(): Promise<ReadonlyMap<string, LineageTask>> {
    const graph = await this.lineageGraph();
    const cached = this.#graph;
    if (cached && cached.graph === graph) return cached.tasks;
    // A newer graph replaced ours meanwhile: read the tasks with it.
    await this.lineageGraph();
    return this.#graph?.tasks ?? new Map();
  }
}
