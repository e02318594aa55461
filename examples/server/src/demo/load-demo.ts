import type { LocalWarehouse, PortalService } from '@dataportal/sdk';
import { DEMO_TABLES, DEMO_TASKS, demoRows } from './demo-data';

/** Schemas (databases) the demo warehouse uses. */
export const DEMO_SCHEMAS: readonly string[] = ['ods', 'dwd', 'dim', 'dws', 'ads'];

/** Progress of {@link loadDemo}, for a progress bar. */
export interface DemoProgress {
  /** What is being done. */
  readonly phase: 'warehouse' | 'tables' | 'tasks' | 'publish' | 'run';
  /** Steps done in this phase. */
  readonly done: number;
  /** Steps in this phase. */
  readonly total: number;
  /** The item just handled. */
  readonly item?: string;
}

/** Options of {@link loadDemo}. */
export interface LoadDemoOptions {
  /** The portal to register tables and tasks in. */
  readonly portal: PortalService;
  /** The local engine's warehouse to create and fill the tables in; null skips that. */
  readonly warehouse: LocalWarehouse | null;
  /** Publish the batch tasks to the local engine (online, daily at 02:00). Defaults to true. */
  readonly publish?: boolean;
  /** Run every published task once right away (in dependency order). Defaults to false. */
  readonly runNow?: boolean;
  /** Receives progress. */
  readonly onProgress?: (p: DemoProgress) => void;
}

/** What {@link loadDemo} did. */
export interface DemoResult {
  /** Tables registered now (already registered ones are skipped). */
  readonly tables: number;
  /** Tasks created now. */
  readonly tasks: number;
  /** Tasks published to the local engine. */
  readonly published: number;
  /** Executions started. */
  readonly runs: number;
}

/**
 * Loads the demo warehouse: creates and fills the ODS tables in the local warehouse, registers
 * every table with its fields, creates the tasks (with their lineage), and publishes the batch
 * tasks to the local engine. Idempotent: what exists is left alone.
 *
 * @param options - portal, warehouse, publish/run flags, progress callback
 * @returns counts of what was done
 * @example
 * ```ts
 * await loadDemo({ portal, warehouse, publish: true, runNow: true });
 * ```
 */
export async function loadDemo(options: LoadDemoOptions): Promise<DemoResult> {
  const { portal, warehouse } = options;
  const report = options.onProgress ?? (() => undefined);
  if (warehouse) {
    const rows = demoRows();
    let done = 0;
    for (const t of DEMO_TABLES) {
      const cols = t.columns.map(([n, type]) => `${n} ${type}`).join(', ');
      await warehouse.execute(`CREATE TABLE IF NOT EXISTS ${t.name} (${cols})`);
      const values = rows[t.name];
      if (values && values.length > 0) {
        await warehouse.execute(`DELETE FROM ${t.name}`);
        await warehouse.execute(`INSERT INTO ${t.name} VALUES ${values.join(', ')}`);
      }
      report({ phase: 'warehouse', done: ++done, total: DEMO_TABLES.length, item: t.name });
    }
  }
  let tables = 0;
  for (const [i, t] of DEMO_TABLES.entries()) {
    if (!(await portal.findTable(t.name))) {
      await portal.registerTable({
        qualifiedName: t.name,
        layer: t.layer,
        owner: t.owner,
        description: t.description,
        tags: ['demo'],
        fields: t.columns.map(([name, type, key]) => ({
          name,
          type,
          nullable: key !== 'primary',
          key: key ?? 'none',
        })),
      });
      tables++;
    }
    report({ phase: 'tables', done: i + 1, total: DEMO_TABLES.length, item: t.name });
  }
  let tasks = 0;
  const ids: number[] = [];
  for (const [i, t] of DEMO_TASKS.entries()) {
    const existing = (await portal.listTasks({ prefix: t.name, limit: 10 })).items.find(
      (x) => x.name === t.name,
    );
    const task =
      existing ??
      (await portal.createTask({
        name: t.name,
        description: t.description,
        taskType: t.taskType,
        engine: t.taskType === 'batch' ? 'local' : 'dinky',
        sql: t.sql,
        schedule: t.schedule,
        inputs: [...t.inputs],
        outputs: [...t.outputs],
        owner: t.owner,
      }));
    if (!existing) tasks++;
    if (task.taskType === 'batch') ids.push(task.id);
    report({ phase: 'tasks', done: i + 1, total: DEMO_TASKS.length, item: t.name });
  }
  let published = 0;
  if ((options.publish ?? true) && portal.batchEngine('local')) {
    for (const [i, id] of ids.entries()) {
      const t = await portal.publishTask(id, { online: true });
      published++;
      report({ phase: 'publish', done: i + 1, total: ids.length, item: t.name });
    }
  }
  let runs = 0;
  if (options.runNow && published > 0) {
    // Triggered together, the local engine orders them by lineage (dimensions first).
    await Promise.all(ids.map((id) => portal.triggerTask(id)));
    runs = ids.length;
    report({ phase: 'run', done: runs, total: runs });
  }
  return { tables, tasks, published, runs };
}
