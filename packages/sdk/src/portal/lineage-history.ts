import { LineageGraph } from '@dataportal/lineage';
import type { Kysely } from 'kysely';
import { SdkError } from '../errors.js';
import type {
  ColumnPair,
  LineageDriftEdge,
  LineageEdgeVersion,
  LineageHistoryDiff,
  Provenance,
  TaskLineageDrift,
} from '../models/lineage-edge.js';
import type { Database, DataLineageHistoryRow } from '../storage/database.js';
import { parseJson } from '../storage/repositories/json.js';
import {
  historyAt,
  historyChanges,
  walkHistory,
} from '../storage/repositories/lineage-history.repository.js';
import type { EntityRef, PortalContext } from './context.js';
import type { TaskService } from './tasks.js';

/** Options of {@link LineageHistoryService.lineageAsOf}. */
export interface LineageAsOfQuery {
  /** The instant. */
  readonly asOf: Date;
  /** Centre table; omit for every edge valid at the instant. */
  readonly table?: string;
  /** With `table`: which side to walk. Defaults to `both`. */
  readonly direction?: 'upstream' | 'downstream' | 'both';
  /** With `table`: hops. Defaults to unlimited. */
  readonly depth?: number;
}

function versionFromRow(r: DataLineageHistoryRow): LineageEdgeVersion {
  const taskId = Number(r.task_id);
  return {
    source: r.source,
    target: r.target,
    taskId: taskId === 0 ? null : taskId,
    provenance: r.provenance as Provenance,
    columns: parseJson<ColumnPair[]>(r.columns_json, []),
    taskVersion: taskId === 0 ? null : Number(r.task_version),
    validFrom: new Date(Number(r.valid_from)),
    validTo: r.valid_to === null ? null : new Date(Number(r.valid_to)),
  };
}

const keyOf = (v: LineageEdgeVersion): string =>
  `${v.taskId ?? 0}\u0000${v.provenance}\u0000${v.source}\u0000${v.target}`;

function checkInstant(what: string, d: Date): number {
  const t = d.getTime();
  if (!Number.isFinite(t)) {
    throw new SdkError('VALIDATION_FAILED', `sdk: ${what} is not a valid time`, {
      issues: [{ path: [what], message: 'not a valid time', code: 'custom' }],
    });
  }
  return t;
}

/**
 * Lineage through time: every change of an edge is kept as a version (valid from/to, with the
 * version of the task that made it), so the graph can be read as of any instant, two instants
 * compared, and a task's declared, parsed and observed lineage reconciled. The in-memory graph
 * ({@link PortalService.lineageGraph}) stays the fast path for "now"; history reads go to the
 * store through its `(source, valid_from)` / `(target, valid_from)` / `valid_from` / `valid_to`
 * indexes. Reached as `portal.lineageHistory`; every method is also on {@link PortalService}.
 */
export class LineageHistoryService {
  readonly #ctx: PortalContext;
  readonly #tasks: TaskService;

  /** @internal */
  constructor(ctx: PortalContext, tasks: TaskService) {
    this.#ctx = ctx;
    this.#tasks = tasks;
  }

  get #db(): Kysely<Database> {
    return this.#ctx.db;
  }

  /**
   * The edges valid at an instant: all of them, or the neighbourhood of one table (walked level
   * by level through the store's indexes, one query per level and direction).
   *
   * @param query - instant, optional centre table, direction and depth
   * @returns the edge versions valid at `asOf`, sorted by source, target
   * @throws {@link SdkError} `VALIDATION_FAILED` for an invalid time
   * @example
   * ```ts
   * const edges = await portal.lineageAsOf({ asOf: new Date('2026-11-24T00:00:00Z'), table: 'dwd.orders', direction: 'upstream' });
   * ```
   */
  async lineageAsOf(query: LineageAsOfQuery): Promise<LineageEdgeVersion[]> {
    const at = checkInstant('as_of', query.asOf);
    let rows: DataLineageHistoryRow[];
    if (query.table === undefined) rows = await historyAt(this.#db, at);
    else {
      const start = query.table.toLowerCase();
      const depth = query.depth ?? Number.MAX_SAFE_INTEGER;
      const dir = query.direction ?? 'both';
      rows = [];
      if (dir !== 'downstream') {
        rows.push(...(await walkHistory(this.#db, { start, at, direction: 'upstream', depth })));
      }
      if (dir !== 'upstream') {
        rows.push(...(await walkHistory(this.#db, { start, at, direction: 'downstream', depth })));
      }
    }
    const unique = new Map<number, DataLineageHistoryRow>();
    for (const r of rows) unique.set(Number(r.id), r);
    return [...unique.values()]
      .map(versionFromRow)
      .sort((a, b) => (a.source + a.target < b.source + b.target ? -1 : 1));
  }

  /**
   * The whole lineage graph as it was at an instant, as a `@dataportal/lineage` graph (for
   * every query the current graph answers). Reads every edge valid then: use
   * {@link LineageHistoryService.lineageAsOf} with a table for a neighbourhood.
   *
   * @param asOf - the instant
   * @returns the graph
   */
  async lineageGraphAsOf(asOf: Date): Promise<LineageGraph> {
    const edges = await this.lineageAsOf({ asOf });
    const tasks = new Map<number, string>();
    const ids = [...new Set(edges.flatMap((e) => (e.taskId === null ? [] : [e.taskId])))];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.#db
        .selectFrom('data_task')
        .select(['id', 'name'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) tasks.set(Number(r.id), r.name);
    }
    const layers = await this.#db
      .selectFrom('data_table')
      .select(['qualified_name', 'layer'])
      .execute();
    return LineageGraph.fromEdges(
      edges.map((e) => {
        const task = e.taskId === null ? undefined : tasks.get(e.taskId);
        return {
          source: e.source,
          target: e.target,
          provenance: e.provenance,
          ...(task === undefined ? {} : { task }),
          ...(e.columns.length > 0 ? { columns: [...e.columns] } : {}),
        };
      }),
      layers.map((t) => ({ id: t.qualified_name, kind: 'table', layer: t.layer })),
    );
  }

  /**
   * What changed between two instants: edges added, removed, and edges whose column pairs
   * changed, each with the task and task version that made the version. Reads only the versions
   * that started or ended in the window.
   *
   * @param from - the earlier instant
   * @param to - the later instant
   * @returns the diff
   * @throws {@link SdkError} `VALIDATION_FAILED` when `from` is after `to` or a time is invalid
   * @example
   * ```ts
   * const d = await portal.lineageDiff(new Date('2026-11-01'), new Date('2026-12-01'));
   * d.added.map((e) => `${e.source} -> ${e.target} by task ${e.taskId} v${e.taskVersion}`);
   * ```
   */
  async lineageDiff(from: Date, to: Date): Promise<LineageHistoryDiff> {
    const f = checkInstant('from', from);
    const t = checkInstant('to', to);
    if (f > t) {
      throw new SdkError('VALIDATION_FAILED', 'sdk: from must not be after to', {
        issues: [{ path: ['from'], message: 'after to', code: 'custom' }],
      });
    }
    const { started, ended } = await historyChanges(this.#db, f, t);
    // Valid at `to` but not at `from`: started in the window and still valid at `to`.
    const atTo = new Map<string, LineageEdgeVersion>();
    for (const r of started) {
      if (r.valid_to === null || Number(r.valid_to) > t) {
        const v = versionFromRow(r);
        atTo.set(keyOf(v), v);
      }
    }
    // Valid at `from` but not at `to`: ended in the window and started at or before `from`.
    const atFrom = new Map<string, LineageEdgeVersion>();
    for (const r of ended) {
      if (Number(r.valid_from) <= f) {
        const v = versionFromRow(r);
        atFrom.set(keyOf(v), v);
      }
    }
    const added: LineageEdgeVersion[] = [];
    const changed: { before: LineageEdgeVersion; after: LineageEdgeVersion }[] = [];
    for (const [k, after] of atTo) {
      const before = atFrom.get(k);
      if (before === undefined) added.push(after);
      else {
        atFrom.delete(k);
        if (JSON.stringify(before.columns) !== JSON.stringify(after.columns)) {
          changed.push({ before, after });
        }
      }
    }
    const order = (a: LineageEdgeVersion, b: LineageEdgeVersion) =>
      a.source + a.target < b.source + b.target ? -1 : 1;
    return {
      from,
      to,
      added: added.sort(order),
      removed: [...atFrom.values()].sort(order),
      changed: changed.sort((a, b) => order(a.after, b.after)),
    };
  }

  /**
   * Declared vs parsed vs observed lineage of a task: the table pairs its inputs × outputs
   * declare, the pairs read from its SQL, and the pairs seen at run time (observed edges from
   * OpenLineage events of its job), with the differences.
   *
   * @param ref - task id or name
   * @returns the drift report
   * @throws {@link SdkError} `NOT_FOUND`
   * @example
   * ```ts
   * const drift = await portal.lineageDrift('load_dwd_orders');
   * drift.observedNotDeclared; // what the job really reads or writes but does not declare
   * ```
   */
  async lineageDrift(ref: EntityRef): Promise<TaskLineageDrift> {
    const task = await this.#tasks.getTask(ref);
    const check = await this.#tasks.checkTaskLineage(task.id);
    const observedRows = await this.#db
      .selectFrom('data_lineage')
      .select(['source', 'target'])
      .where('task_id', '=', task.id)
      .where('provenance', '=', 'observed')
      .execute();
    const pairs = new Map<
      string,
      { source: string; target: string; d: boolean; p: boolean; o: boolean }
    >();
    const mark = (source: string, target: string, k: 'd' | 'p' | 'o') => {
      if (source === target) return;
      const key = `${source}\u0000${target}`;
      let e = pairs.get(key);
      if (e === undefined) {
        e = { source, target, d: false, p: false, o: false };
        pairs.set(key, e);
      }
      e[k] = true;
    };
    for (const i of task.inputs) for (const o of task.outputs) mark(i, o, 'd');
    for (const i of check.parsedInputs) for (const o of check.parsedOutputs) mark(i, o, 'p');
    for (const r of observedRows) mark(r.source, r.target, 'o');
    const edges: LineageDriftEdge[] = [...pairs.values()]
      .sort((a, b) => (a.source + a.target < b.source + b.target ? -1 : 1))
      .map((e) => ({
        source: e.source,
        target: e.target,
        declared: e.d,
        parsed: e.p,
        observed: e.o,
      }));
    const hasObservations = observedRows.length > 0;
    const observedNotDeclared = edges.filter((e) => e.observed && !e.declared);
    const declaredNotObserved = hasObservations
      ? edges.filter((e) => e.declared && !e.observed)
      : [];
    const parsedNotDeclared = edges.filter((e) => e.parsed && !e.declared);
    const declaredNotParsed = edges.filter((e) => e.declared && !e.parsed);
    return {
      taskId: task.id,
      taskName: task.name,
      edges,
      observedNotDeclared,
      declaredNotObserved,
      parsedNotDeclared,
      declaredNotParsed,
      hasObservations,
      consistent:
        observedNotDeclared.length +
          declaredNotObserved.length +
          parsedNotDeclared.length +
          declaredNotParsed.length ===
        0,
    };
  }
}
