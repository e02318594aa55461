import type { BatchEngine, ExternalDependency, TaskDependency } from '../engine/batch-engine.js';
import type { StreamEngine, StreamStatus } from '../engine/stream-engine.js';
import { SdkError } from '../errors.js';
import { assertMayChange } from '../identity/roles.js';
import type { Execution } from '../models/execution.js';
import type { EngineRef, Task } from '../models/task.js';
import { taskFromRow } from '../storage/repositories/task.repository.js';
import {
  audit,
  batchFor,
  type EntityRef,
  engineError,
  errorText,
  loadTask,
  type PortalContext,
  saveEngineState,
  streamFor,
} from './context.js';
import type { RunService } from './runs.js';

/** Options for {@link PublishingService.publishTask} and {@link PublishingService.publishTasks}. */
export interface PublishOptions {
  /** Bring the task online (and its schedule) after publishing. Defaults to true. */
  readonly online?: boolean;
  /** Start a run right after publishing (batch) or start the job (stream). Defaults to false. */
  readonly autoStart?: boolean;
  /** Name of the engine unit (workflow) for a group publish. Defaults to the first task's name. */
  readonly unitName?: string;
}

/**
 * Publishing to engines: batch tasks to DolphinScheduler or the local engine (one task, or a
 * group as one workflow), online/offline, unpublish and trigger; stream tasks' jobs on Dinky
 * (start, stop with savepoint, restart, status). Reached as `portal.publishing`; every method
 * is also on {@link PortalService}.
 */
export class PublishingService {
  readonly #ctx: PortalContext;
  readonly #runs: RunService;

  /** @internal */
  constructor(ctx: PortalContext, runs: RunService) {
    this.#ctx = ctx;
    this.#runs = runs;
  }

  /**
   * Checks that the portal's actor may operate the task (its owner, or an admin) and records
   * the request in the audit log. The change itself happens on the engine, outside any store
   * transaction, so the row records the request as it is made.
   */
  async #authorize(task: Task, action: string): Promise<void> {
    assertMayChange(this.#ctx.actor, task.owner, `${action} task ${task.name}`);
    await audit(this.#ctx, this.#ctx.db, {
      action: `task.${action}`,
      entity: 'task',
      entityId: task.id,
      versionBefore: task.version,
      details: { name: task.name, engine: task.engine },
    });
  }

  /**
   * Publishes one task to its engine (batch: DolphinScheduler or local; stream: Dinky) and
   * stores the engine reference. A failed publish records the engine's message, sets status
   * `failed` and keeps the previous reference, so publishing again retries.
   *
   * @param ref - task id or name
   * @param options - online (default true), autoStart
   * @returns the task with its engine reference and status
   * @throws {@link SdkError} `ENGINE_NOT_CONFIGURED`, `ENGINE_FAILED`
   */
  async publishTask(ref: EntityRef, options: PublishOptions = {}): Promise<Task> {
    const task = await loadTask(this.#ctx.db, ref);
    if (task.taskType === 'stream') {
      await this.#authorize(task, 'publish');
      return this.#publishStream(task, options);
    }
    return this.publishTasks([task.id], { ...options, unitName: options.unitName ?? task.name });
  }

  async #publishStream(task: Task, options: PublishOptions): Promise<Task> {
    const engine = streamFor(this.#ctx, task);
    return this.#ctx.publishLock.run(`task:${task.id}`, async () => {
      const fresh = await loadTask(this.#ctx.db, task.id);
      let ref: EngineRef = fresh.engineRef ?? {};
      try {
        if (engine.publish) ref = await engine.publish(fresh);
      } catch (err) {
        await saveEngineState(this.#ctx, fresh, { status: 'failed', lastError: errorText(err) });
        throw engineError(`publish ${fresh.name}`, err);
      }
      let saved = await saveEngineState(this.#ctx, fresh, {
        engineRef: ref,
        status: 'published',
        lastError: null,
      });
      if (options.autoStart) {
        await this.startStream(saved.id);
        saved = await loadTask(this.#ctx.db, saved.id);
      }
      return saved;
    });
  }

  /**
   * Publishes batch tasks together as one engine unit (one DolphinScheduler workflow), with
   * task order derived from lineage (a task that reads another's output runs after it) and
   * dependencies on tasks published in other units passed to the engine.
   *
   * @param refs - task ids or names (same batch engine)
   * @param options - unit name, online, autoStart
   * @returns the first task of the unit after publishing
   */
  async publishTasks(refs: readonly EntityRef[], options: PublishOptions = {}): Promise<Task> {
    if (refs.length === 0) {
      throw new SdkError('VALIDATION_FAILED', 'sdk: publishTasks needs at least one task');
    }
    const tasks = await Promise.all(refs.map((r) => loadTask(this.#ctx.db, r)));
    for (const t of tasks) await this.#authorize(t, 'publish');
    const first = tasks[0] as Task;
    const engine = batchFor(this.#ctx, first);
    for (const t of tasks) {
      if (t.taskType !== 'batch' || t.engine !== first.engine) {
        throw new SdkError(
          'VALIDATION_FAILED',
          `sdk: task ${t.name} is not a ${first.engine} batch task; a unit has one engine`,
        );
      }
    }
    const unitName = options.unitName ?? first.name;
    const online = options.online ?? true;
    return this.#ctx.publishLock.run(`unit:${first.engine}:${unitName}`, async () => {
      const fresh = await Promise.all(tasks.map((t) => loadTask(this.#ctx.db, t.id)));
      const { dependencies, external } = await this.#unitDependencies(fresh);
      let result: Awaited<ReturnType<BatchEngine['publish']>>;
      try {
        result = await engine.publish({
          unitName,
          tasks: fresh,
          dependencies,
          external,
          schedule: fresh.find((t) => t.schedule)?.schedule ?? null,
          online,
        });
      } catch (err) {
        for (const t of fresh) {
          await saveEngineState(this.#ctx, t, { status: 'failed', lastError: errorText(err) });
        }
        throw engineError(`publish ${unitName}`, err);
      }
      for (const t of fresh) {
        await saveEngineState(this.#ctx, t, {
          engineRef: result.refs.get(t.id) ?? t.engineRef,
          status: result.online ? 'online' : 'published',
          lastError: null,
        });
      }
      if (options.autoStart) await this.triggerTask(first.id);
      return loadTask(this.#ctx.db, first.id);
    });
  }

  async #unitDependencies(
    tasks: readonly Task[],
  ): Promise<{ dependencies: TaskDependency[]; external: ExternalDependency[] }> {
    const inUnit = new Map<string, Task[]>();
    for (const t of tasks) {
      for (const o of t.outputs) inUnit.set(o, [...(inUnit.get(o) ?? []), t]);
    }
    const dependencies: TaskDependency[] = [];
    const external: ExternalDependency[] = [];
    const seen = new Set<string>();
    const ids = new Set(tasks.map((t) => t.id));
    for (const t of tasks) {
      const outside: string[] = [];
      for (const input of t.inputs) {
        const producers = inUnit.get(input);
        if (producers) {
          for (const p of producers) {
            const key = `${p.id}>${t.id}`;
            if (p.id !== t.id && !seen.has(key)) {
              seen.add(key);
              dependencies.push({ upstream: p.id, downstream: t.id });
            }
          }
        } else outside.push(input);
      }
      if (outside.length === 0) continue;
      const producers = await this.#ctx.db
        .selectFrom('data_lineage')
        .innerJoin('data_task', 'data_task.id', 'data_lineage.task_id')
        .selectAll('data_task')
        .where('data_lineage.target', 'in', outside)
        .where('data_task.engine', '=', t.engine)
        .where('data_task.engine_ref_json', 'is not', null)
        .execute();
      const added = new Set<number>();
      for (const row of producers) {
        const p = taskFromRow(row);
        if (ids.has(p.id) || added.has(p.id)) continue;
        added.add(p.id);
        external.push({ task: t.id, dependsOn: p });
      }
    }
    return { dependencies, external };
  }

  /**
   * Marks a published task `failed` with the engine's message, as the stream poller does when a
   * job dies; starting or restarting it (or publishing again) brings it back.
   *
   * @param ref - task id or name
   * @param message - what the engine said, if anything
   * @returns the updated task
   */
  async reportTaskFailure(ref: EntityRef, message: string | null): Promise<Task> {
    const task = await loadTask(this.#ctx.db, ref);
    return saveEngineState(this.#ctx, task, { status: 'failed', lastError: message });
  }

  /**
   * Takes a published task online or offline on its engine (batch: workflow and schedule).
   *
   * @param ref - task id or name
   * @param online - true for online
   * @returns the updated task
   */
  async setTaskOnline(ref: EntityRef, online: boolean): Promise<Task> {
    const task = await loadTask(this.#ctx.db, ref);
    await this.#authorize(task, online ? 'online' : 'offline');
    if (!task.engineRef) {
      throw new SdkError(
        'INVALID_STATE',
        `sdk: task ${task.name} is not published; publish it first`,
      );
    }
    if (task.taskType === 'stream') {
      if (!online) await this.stopStream(task.id);
      else await this.startStream(task.id);
      return loadTask(this.#ctx.db, task.id);
    }
    const engine = batchFor(this.#ctx, task);
    let ref2: EngineRef;
    try {
      ref2 = await engine.setOnline(task, online);
    } catch (err) {
      throw engineError(`${online ? 'online' : 'offline'} ${task.name}`, err);
    }
    return saveEngineState(this.#ctx, task, {
      engineRef: ref2,
      status: online ? 'online' : 'offline',
    });
  }

  /**
   * Removes a task's unit from its engine and forgets the engine reference (status `draft`).
   *
   * @param ref - task id or name
   * @returns the updated task
   */
  async unpublishTask(ref: EntityRef): Promise<Task> {
    const task = await loadTask(this.#ctx.db, ref);
    await this.#authorize(task, 'unpublish');
    if (!task.engineRef) return task;
    if (task.taskType === 'batch') {
      const engine = batchFor(this.#ctx, task);
      try {
        if (engine.unpublish) await engine.unpublish(task);
        else await engine.setOnline(task, false);
      } catch (err) {
        throw engineError(`unpublish ${task.name}`, err);
      }
    } else {
      const status = await this.streamStatus(task.id);
      if (status.state === 'running' || status.state === 'starting') await this.stopStream(task.id);
    }
    return saveEngineState(this.#ctx, task, { engineRef: null, status: 'draft', lastError: null });
  }

  /**
   * Starts a run of a published batch task now and records it as SUBMITTED.
   *
   * @param ref - task id or name
   * @returns the recorded execution
   * @throws {@link SdkError} `INVALID_STATE` when not published, `ENGINE_FAILED`
   */
  async triggerTask(ref: EntityRef): Promise<Execution> {
    const task = await loadTask(this.#ctx.db, ref);
    await this.#authorize(task, 'run');
    if (task.taskType === 'stream') {
      await this.startStream(task.id);
      const runs = await this.#runs.listExecutions({ taskId: task.id, limit: 1 });
      const latest = runs.items[0];
      if (!latest)
        throw new SdkError('ENGINE_FAILED', `sdk: start of ${task.name} recorded no run`);
      return latest;
    }
    const engine = batchFor(this.#ctx, task);
    if (!task.engineRef) {
      throw new SdkError(
        'INVALID_STATE',
        `sdk: task ${task.name} is not published; publish it first`,
      );
    }
    let run: { externalRunId: string };
    try {
      run = await engine.trigger(task);
    } catch (err) {
      throw engineError(`trigger ${task.name}`, err);
    }
    const { execution } = await this.#runs.recordExecution({
      taskId: task.id,
      engine: task.engine,
      externalRunId: run.externalRunId,
      status: 'SUBMITTED',
      startTime: new Date(this.#ctx.now()),
    });
    return execution;
  }
  /**
   * Starts a published stream task's job (publishing first when the engine needs it) and
   * records the run.
   *
   * @param ref - task id or name
   * @returns the job status right after the start
   */
  async startStream(ref: EntityRef): Promise<StreamStatus> {
    const task = await loadTask(this.#ctx.db, ref);
    await this.#authorize(task, 'stream.start');
    const engine = streamFor(this.#ctx, task);
    let start: Awaited<ReturnType<StreamEngine['start']>>;
    try {
      start = await engine.start(task);
    } catch (err) {
      throw engineError(`start ${task.name}`, err);
    }
    const saved = await saveEngineState(this.#ctx, task, {
      engineRef: start.engineRef,
      status: 'online',
      lastError: null,
    });
    await this.#runs.recordExecution({
      taskId: task.id,
      engine: task.engine,
      externalRunId: start.externalRunId,
      status: 'SUBMITTED',
      startTime: new Date(this.#ctx.now()),
    });
    return this.#streamStatusOf(engine, saved);
  }

  /**
   * Stops a stream task's job, optionally with a savepoint, and records the run as KILLED.
   *
   * @param ref - task id or name
   * @param options - `savepoint: true` to take one
   * @returns the job status after the stop
   */
  async stopStream(
    ref: EntityRef,
    options: { readonly savepoint?: boolean } = {},
  ): Promise<StreamStatus> {
    const task = await loadTask(this.#ctx.db, ref);
    await this.#authorize(task, 'stream.stop');
    const engine = streamFor(this.#ctx, task);
    let status: StreamStatus;
    try {
      status = await engine.stop(
        task,
        options.savepoint === undefined ? {} : { savepoint: options.savepoint },
      );
    } catch (err) {
      throw engineError(`stop ${task.name}`, err);
    }
    if (status.externalRunId) {
      await this.#runs.recordExecution({
        taskId: task.id,
        engine: task.engine,
        externalRunId: status.externalRunId,
        status:
          status.state === 'failed' ? 'FAILED' : status.state === 'finished' ? 'SUCCESS' : 'KILLED',
        endTime: new Date(this.#ctx.now()),
        message: status.lastError,
      });
    }
    await saveEngineState(this.#ctx, task, { status: 'offline' });
    return status;
  }

  /**
   * Restarts a stream task's job (when the engine can) and records the new run.
   *
   * @param ref - task id or name
   * @returns the job status after the restart
   */
  async restartStream(ref: EntityRef): Promise<StreamStatus> {
    const task = await loadTask(this.#ctx.db, ref);
    await this.#authorize(task, 'stream.restart');
    const engine = streamFor(this.#ctx, task);
    if (!engine.restart) {
      await this.stopStream(task.id);
      return this.startStream(task.id);
    }
    let start: Awaited<ReturnType<NonNullable<StreamEngine['restart']>>>;
    try {
      start = await engine.restart(task);
    } catch (err) {
      throw engineError(`restart ${task.name}`, err);
    }
    const saved = await saveEngineState(this.#ctx, task, {
      engineRef: start.engineRef,
      status: 'online',
    });
    await this.#runs.recordExecution({
      taskId: task.id,
      engine: task.engine,
      externalRunId: start.externalRunId,
      status: 'SUBMITTED',
      startTime: new Date(this.#ctx.now()),
      message: start.savepointPath
        ? `restarted from savepoint ${start.savepointPath}`.slice(0, 8000)
        : 'restarted',
    });
    return this.#streamStatusOf(engine, saved);
  }

  /**
   * Reads a stream task's job status from its engine.
   *
   * @param ref - task id or name
   * @returns state, uptime, throughput, last error
   */
  async streamStatus(ref: EntityRef): Promise<StreamStatus> {
    const task = await loadTask(this.#ctx.db, ref);
    return this.#streamStatusOf(streamFor(this.#ctx, task), task);
  }

  async #streamStatusOf(engine: StreamEngine, task: Task): Promise<StreamStatus> {
    try {
      return await engine.status(task);
    } catch (err) {
      throw engineError(`status of ${task.name}`, err);
    }
  }
}
