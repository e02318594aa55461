import { Cron } from 'croner';
import type { ExecutionStatus } from '../models/execution.js';
import type { EngineRef, Task } from '../models/task.js';
import type {
  BatchEngine,
  EngineLog,
  EngineRun,
  PublishRequest,
  PublishResult,
} from './batch-engine.js';
import { splitSqlStatements, substituteVariables } from './sql-script.js';
import { assertTaskStatement } from './statement-guard.js';

/** A SQL connection the local engine runs task SQL against. */
export interface LocalWarehouse {
  /** Runs one statement and reports how many rows it changed (0 for statements that change none). */
  execute(sql: string): Promise<{ readonly rowsAffected: number }>;
  /** Checks the connection answers. */
  ping?(): Promise<void>;
  /** Closes the connection. */
  close?(): Promise<void>;
}

/** Configuration of {@link createLocalEngine}. */
export interface LocalEngineConfig {
  /** Where task SQL runs. */
  readonly warehouse: LocalWarehouse;
  /**
   * Receives every state change of every run (RUNNING, then SUCCESS or FAILED), the way a real
   * engine's callback would. Wire it to `PortalService.recordExecution`.
   */
  readonly onRun?: (taskId: number, run: EngineRun) => void | Promise<void>;
  /** Time zone for cron schedules (IANA name). Defaults to the process time zone. */
  readonly timezone?: string;
  /** Variables substituted into task SQL besides the built-in scheduler variables. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Clock in epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** Runs kept in memory per task for `getRun`/`listRuns`/`getLog`. Defaults to 50. */
  readonly keepRuns?: number;
}

/** The local engine: a {@link BatchEngine} that also owns its cron scheduler. */
export interface LocalEngine extends BatchEngine {
  /** Ids of runs queued or running now. */
  readonly inFlight: readonly string[];
  /** Resolves when no run is queued or running. */
  idle(): Promise<void>;
  /** Stops the scheduler, drops queued runs and waits for the running one. */
  close(): Promise<void>;
}

interface RunState {
  readonly id: string;
  readonly taskId: number;
  status: ExecutionStatus;
  startTime: Date | null;
  endTime: Date | null;
  rowsOutput: number | null;
  message: string | null;
  readonly log: string[];
}

interface Unit {
  readonly name: string;
  tasks: Task[];
  schedule: string | null;
  online: boolean;
  cron: Cron | null;
}

const DML = /^\s*(insert|update|delete|replace|merge|upsert)\b/i;

/**
 * Creates the embedded local engine: runs batch tasks' SQL in-process against a
 * {@link LocalWarehouse}, in dependency order (a task that reads another's output runs after
 * it), on the units' cron schedules, and reports every run through `onRun`. It is for trying
 * the portal and for small installations; runs execute one at a time.
 *
 * @param config - warehouse, run callback, time zone
 * @returns the engine
 * @example
 * ```ts
 * const warehouse = await openSqliteWarehouse({ schemas: ['ods', 'dwd'] });
 * const engine = createLocalEngine({
 *   warehouse,
 *   onRun: (taskId, run) => portal.recordExecution({ taskId, engine: 'local', ...run }),
 * });
 * const portal = new PortalService({ store, batchEngines: { local: engine } });
 * ```
 */
export function createLocalEngine(config: LocalEngineConfig): LocalEngine {
  const now = config.now ?? Date.now;
  const keep = config.keepRuns ?? 50;
  const units = new Map<string, Unit>();
  const runs = new Map<string, RunState>();
  const runsByTask = new Map<number, string[]>();
  const queue: { run: RunState; task: Task }[] = [];
  let draining: Promise<void> | null = null;
  let seq = 0;
  let closed = false;

  const report = async (run: RunState): Promise<void> => {
    if (!config.onRun) return;
    try {
      await config.onRun(run.taskId, toEngineRun(run));
    } catch (err) {
      run.log.push(`[${iso(now())}] reporting the run failed: ${errMessage(err)}`);
    }
  };

  const newRun = (task: Task): RunState => {
    seq++;
    const run: RunState = {
      id: `local-${now().toString(36)}-${seq}`,
      taskId: task.id,
      status: 'SUBMITTED',
      startTime: null,
      endTime: null,
      rowsOutput: null,
      message: null,
      log: [`[${iso(now())}] submitted ${task.name}`],
    };
    runs.set(run.id, run);
    const list = runsByTask.get(task.id) ?? [];
    list.unshift(run.id);
    for (const old of list.splice(keep)) runs.delete(old);
    runsByTask.set(task.id, list);
    return run;
  };

  const execute = async (run: RunState, task: Task): Promise<void> => {
    run.status = 'RUNNING';
    run.startTime = new Date(now());
    await report(run);
    const runTime = run.startTime;
    const script = [
      ...task.preStatements,
      ...splitSqlStatements(task.sql),
      ...task.postStatements,
    ].flatMap((s) =>
      splitSqlStatements(substituteVariables(s, { runTime, variables: config.variables ?? {} })),
    );
    let rows = 0;
    let attempt = 0;
    for (;;) {
      try {
        rows = 0;
        for (const [i, stmt] of script.entries()) {
          assertTaskStatement(stmt);
          for (const s of translateForWarehouse(stmt)) {
            run.log.push(`[${iso(now())}] statement ${i + 1}/${script.length}: ${shorten(s, 300)}`);
            const r = await config.warehouse.execute(s);
            if (DML.test(s)) rows += r.rowsAffected;
            run.log.push(`[${iso(now())}] ok, ${r.rowsAffected} rows affected`);
          }
        }
        run.status = 'SUCCESS';
        run.rowsOutput = rows;
        break;
      } catch (err) {
        run.log.push(`[${iso(now())}] error: ${errMessage(err)}`);
        if (attempt < task.retries) {
          attempt++;
          run.log.push(`[${iso(now())}] retry ${attempt}/${task.retries}`);
          continue;
        }
        run.status = 'FAILED';
        run.message = shorten(errMessage(err), 2000);
        break;
      }
    }
    run.endTime = new Date(now());
    run.log.push(`[${iso(now())}] ${run.status.toLowerCase()}`);
    await report(run);
  };

  const drain = (): Promise<void> => {
    if (draining) return draining;
    draining = (async () => {
      // Let runs fired in the same tick queue up, then order them by dependencies.
      await new Promise((r) => setTimeout(r, 0));
      while (queue.length > 0 && !closed) {
        orderByDependencies(queue);
        const next = queue.shift();
        if (next) await execute(next.run, next.task);
      }
      draining = null;
    })();
    return draining;
  };

  const enqueue = (task: Task): RunState => {
    const run = newRun(task);
    queue.push({ run, task });
    void drain();
    return run;
  };

  const unitOf = (task: Task): Unit | undefined => {
    const name = typeof task.engineRef?.['unit'] === 'string' ? task.engineRef['unit'] : undefined;
    return name === undefined ? undefined : units.get(name);
  };

  const arm = (unit: Unit): void => {
    unit.cron?.stop();
    unit.cron = null;
    if (!unit.online || !unit.schedule || closed) return;
    unit.cron = new Cron(
      unit.schedule,
      { protect: true, ...(config.timezone ? { timezone: config.timezone } : {}) },
      () => {
        for (const t of unit.tasks) enqueue(t);
      },
    );
  };

  const refOf = (unit: Unit, task: Task): EngineRef => ({
    unit: unit.name,
    taskId: task.id,
    scheduled: unit.online && unit.schedule !== null,
  });

  return {
    name: 'local',
    capabilities: { schedule: true, dagSync: true, logs: true, stop: false },

    get inFlight() {
      return queue
        .map((q) => q.run.id)
        .concat([...runs.values()].filter((r) => r.status === 'RUNNING').map((r) => r.id));
    },

    async publish(request: PublishRequest): Promise<PublishResult> {
      let unit = units.get(request.unitName);
      if (!unit) {
        unit = { name: request.unitName, tasks: [], schedule: null, online: false, cron: null };
        units.set(request.unitName, unit);
      }
      // A task moved from another unit leaves it.
      for (const other of units.values()) {
        if (other === unit) continue;
        other.tasks = other.tasks.filter((t) => !request.tasks.some((r) => r.id === t.id));
      }
      unit.tasks = [...request.tasks];
      unit.schedule = request.schedule;
      unit.online = request.online;
      arm(unit);
      const refs = new Map<number, EngineRef>();
      for (const t of request.tasks) refs.set(t.id, refOf(unit, t));
      return { refs, online: unit.online };
    },

    async setOnline(task: Task, online: boolean): Promise<EngineRef> {
      const unit = unitOf(task);
      if (!unit) throw new Error(`local engine: task ${task.name} is not published here`);
      unit.online = online;
      arm(unit);
      return refOf(unit, task);
    },

    async trigger(task: Task): Promise<{ externalRunId: string }> {
      if (closed) throw new Error('local engine: closed');
      const unit = unitOf(task);
      const current = unit?.tasks.find((t) => t.id === task.id) ?? task;
      return { externalRunId: enqueue(current).id };
    },

    async getRun(_task: Task, externalRunId: string): Promise<EngineRun | null> {
      const run = runs.get(externalRunId);
      return run ? toEngineRun(run) : null;
    },

    async listRuns(task: Task, query = {}): Promise<EngineRun[]> {
      const ids = runsByTask.get(task.id) ?? [];
      const out: EngineRun[] = [];
      for (const id of ids) {
        const run = runs.get(id);
        if (!run) continue;
        if (query.since && (run.startTime ?? new Date(now())) < query.since) continue;
        out.push(toEngineRun(run));
        if (query.limit !== undefined && out.length >= query.limit) break;
      }
      return out;
    },

    async getLog(_task: Task, externalRunId: string, page = {}): Promise<EngineLog> {
      const run = runs.get(externalRunId);
      if (!run) return { text: '', nextOffset: 0, complete: true };
      const offset = page.offset ?? 0;
      const lines = run.log.slice(offset, offset + (page.limit ?? 1000));
      const nextOffset = offset + lines.length;
      const finished =
        run.status === 'SUCCESS' || run.status === 'FAILED' || run.status === 'KILLED';
      return {
        text: lines.join('\n'),
        nextOffset,
        complete: finished && nextOffset >= run.log.length,
      };
    },

    async unpublish(task: Task): Promise<void> {
      const unit = unitOf(task);
      if (!unit) return;
      unit.tasks = unit.tasks.filter((t) => t.id !== task.id);
      if (unit.tasks.length === 0) {
        unit.cron?.stop();
        units.delete(unit.name);
      }
    },

    async ping(): Promise<void> {
      await config.warehouse.ping?.();
    },

    idle(): Promise<void> {
      return draining ?? Promise.resolve();
    },

    async close(): Promise<void> {
      closed = true;
      for (const u of units.values()) u.cron?.stop();
      queue.length = 0;
      await draining;
    },
  };
}

function toEngineRun(run: RunState): EngineRun {
  return {
    externalRunId: run.id,
    status: run.status,
    startTime: run.startTime,
    endTime: run.endTime,
    rowsOutput: run.rowsOutput,
    message: run.message,
  };
}

/** Orders queued runs so that a task reading another queued task's output comes after it. */
function orderByDependencies(queue: { run: RunState; task: Task }[]): void {
  if (queue.length < 2) return;
  const producers = new Map<string, number[]>();
  queue.forEach((q, i) => {
    for (const o of q.task.outputs) producers.set(o, [...(producers.get(o) ?? []), i]);
  });
  const indegree = new Array<number>(queue.length).fill(0);
  const after = queue.map(() => [] as number[]);
  queue.forEach((q, i) => {
    for (const input of q.task.inputs) {
      for (const p of producers.get(input) ?? []) {
        if (p === i) continue;
        after[p]?.push(i);
        indegree[i] = (indegree[i] ?? 0) + 1;
      }
    }
  });
  const ready: number[] = [];
  indegree.forEach((d, i) => {
    if (d === 0) ready.push(i);
  });
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift() as number;
    order.push(i);
    for (const j of after[i] ?? []) {
      indegree[j] = (indegree[j] ?? 0) - 1;
      if (indegree[j] === 0) ready.push(j);
    }
  }
  // Tasks in a dependency cycle (rejected by the portal, but possible through hand-made
  // requests) keep their queue order at the end rather than being dropped.
  for (let i = 0; i < queue.length; i++) if (!order.includes(i)) order.push(i);
  const sorted = order.map((i) => queue[i] as { run: RunState; task: Task });
  queue.splice(0, queue.length, ...sorted);
}

/**
 * Rewrites Hive/Doris-only syntax the demo warehouse (SQLite) does not speak:
 * `INSERT OVERWRITE [TABLE] t [PARTITION (…)] SELECT …` becomes a delete plus an insert.
 */
function translateForWarehouse(stmt: string): string[] {
  const m =
    /^\s*insert\s+overwrite\s+(?:table\s+)?([\w.`]+)\s*(?:partition\s*\([^)]*\)\s*)?([\s\S]*)$/i.exec(
      stmt,
    );
  if (!m?.[1] || m[2] === undefined) return [stmt];
  return [`DELETE FROM ${m[1]}`, `INSERT INTO ${m[1]} ${m[2]}`];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function shorten(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
