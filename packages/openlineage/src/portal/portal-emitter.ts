import { analyzeSql, type ScriptColumnLineage, type SqlDialect } from '@dataportal/lineage';
import type { Datasource, Execution, ExecutionStatus, PortalService, Task } from '@dataportal/sdk';
import { buildRunEvent, eventTypesForTransition, type RunDataset } from '../build-run-event';
import type { RunEvent, RunEventType } from '../model';
import { type DatasetLocation, datasetAliases, datasetIdentity } from '../naming';
import type { OpenLineageTransport } from '../transports/transport';

/**
 * Configuration of an {@link OpenLineageEmitter}.
 *
 * @example
 * ```ts
 * import { ConsoleTransport, type OpenLineageEmitterConfig } from '@dataportal/openlineage';
 * declare const portal: import('@dataportal/sdk').PortalService;
 * const config: OpenLineageEmitterConfig = {
 *   portal, namespace: 'dataportal', transport: new ConsoleTransport(console.log),
 * };
 * ```
 */
export interface OpenLineageEmitterConfig {
  readonly portal: PortalService;
  readonly transport: OpenLineageTransport;
  /** Job namespace (`OPENLINEAGE_NAMESPACE`); job names are task names. */
  readonly namespace: string;
  /** Producer URI. Defaults to the package's repository URL with its version. */
  readonly producer?: string;
  /** Where tables without a datasource live. Defaults to `{ kind: 'mysql', host: 'localhost' }`. */
  readonly defaultLocation?: DatasetLocation;
  /** SQL dialect of batch tasks (streams are read as Flink SQL). Defaults to `doris`. */
  readonly sqlDialect?: SqlDialect;
  /** Called when an event cannot be built or handed to the transport. */
  readonly onError?: (error: unknown) => void;
}

const INTEGRATION: Readonly<Record<string, string>> = {
  dolphin: 'DOLPHINSCHEDULER',
  dinky: 'DINKY',
  local: 'DATAPORTAL',
};

const DEFAULT_PRODUCER = 'https://example.invalid/dataportal/packages/openlineage/0.1.0';

function eventTime(execution: Execution, type: RunEventType): Date {
  if (type === 'START') return execution.startTime ?? execution.createdAt;
  if (type === 'RUNNING') return execution.updatedAt;
  return execution.endTime ?? execution.updatedAt;
}

/**
 * Turns a portal's executions into OpenLineage RunEvents and hands them to a transport: wire
 * {@link OpenLineageEmitter.executionChanged} to the portal's execution listener for live events,
 * and call {@link OpenLineageEmitter.exportHistory} to backfill. The run id of every event is
 * derived from engine, external run id, task and the time the portal first recorded the run, so
 * the live events and a later export of the same run agree.
 *
 * @example
 * ```ts
 * import { FileTransport, OpenLineageEmitter } from '@dataportal/openlineage';
 * declare const portal: import('@dataportal/sdk').PortalService;
 * const emitter = new OpenLineageEmitter({ portal, namespace: 'dataportal', transport: new FileTransport('ol.ndjson') });
 * await emitter.exportHistory({ from: new Date('2026-01-01') });
 * ```
 */
export class OpenLineageEmitter {
  readonly #config: OpenLineageEmitterConfig;

  /**
   * @param config - portal, transport, namespace
   */
  constructor(config: OpenLineageEmitterConfig) {
    this.#config = config;
  }

  /** The transport events go to. */
  get transport(): OpenLineageTransport {
    return this.#config.transport;
  }

  /**
   * Emits the events of one status change of a run (START for a new run, the end for a
   * terminal status). Never throws: failures go to `onError`.
   *
   * @param execution - the stored execution after the change
   * @param previousStatus - its status before, or null when the run is new
   * @returns the events handed to the transport
   */
  async executionChanged(
    execution: Execution,
    previousStatus: ExecutionStatus | null,
  ): Promise<RunEvent[]> {
    try {
      const task = await this.#config.portal.getTask(execution.taskId);
      const types = eventTypesForTransition(
        previousStatus,
        execution.status,
        task.taskType === 'stream',
      );
      if (types.length === 0) return [];
      const events = await this.eventsFor(execution, types, task);
      for (const e of events) await this.#config.transport.emit(e);
      return events;
    } catch (err) {
      this.#config.onError?.(err);
      return [];
    }
  }

  /**
   * Builds (without sending) the events of the given types for an execution.
   *
   * @param execution - the execution
   * @param types - event types, in order
   * @param task - its task, when already loaded
   * @returns the events
   */
  async eventsFor(
    execution: Execution,
    types: ReadonlyArray<RunEventType>,
    task?: Task,
  ): Promise<RunEvent[]> {
    const t = task ?? (await this.#config.portal.getTask(execution.taskId));
    const datasources = new Map<string, Datasource>();
    for (const d of await this.#config.portal.listDatasources()) datasources.set(d.name, d);
    const schema: Record<string, string[]> = {};
    const dataset = async (name: string): Promise<RunDataset> => {
      const table = await this.#config.portal.findTable(name);
      const ds = table?.datasource != null ? datasources.get(table.datasource) : undefined;
      const location: DatasetLocation =
        ds === undefined
          ? (this.#config.defaultLocation ?? { kind: 'mysql', host: 'localhost' })
          : { kind: ds.kind, host: ds.host, port: ds.port, path: ds.path };
      const fields = table === null ? [] : await this.#config.portal.getFields(table.id);
      if (fields.length > 0) schema[name] = fields.map((f) => f.name);
      return {
        table: name,
        identity: datasetIdentity(location, name),
        aliases: datasetAliases(location, name),
        fields: fields.map((f) => ({ name: f.name, type: f.type, description: f.description })),
        ...(ds === undefined ? {} : { datasource: ds.name }),
      };
    };
    const inputs = await Promise.all(t.inputs.map(dataset));
    const outputs = await Promise.all(t.outputs.map(dataset));
    const dialect: SqlDialect =
      t.taskType === 'stream' ? 'flink' : (this.#config.sqlDialect ?? 'doris');
    let columns: ReadonlyArray<ScriptColumnLineage> = [];
    if (t.sql !== '') {
      try {
        columns = (await analyzeSql(t.sql, { dialect, schema })).scriptColumns;
      } catch (err) {
        this.#config.onError?.(err);
      }
    }
    return types.map((eventType) =>
      buildRunEvent({
        eventType,
        eventTime: eventTime(execution, eventType),
        producer: this.#config.producer ?? DEFAULT_PRODUCER,
        job: {
          namespace: this.#config.namespace,
          name: t.name,
          processingType: t.taskType === 'stream' ? 'STREAMING' : 'BATCH',
          integration: INTEGRATION[execution.engine] ?? 'DATAPORTAL',
          sql: t.sql,
          dialect,
        },
        run: {
          engine: execution.engine,
          externalRunId: execution.externalRunId,
          nominalTime: execution.createdAt,
          errorMessage: execution.message,
        },
        inputs,
        outputs,
        columns,
        rowsOutput: execution.rowsOutput,
      }),
    );
  }

  /**
   * Backfills history: for every execution recorded in the window (oldest first), its START
   * event and, for a finished run, its end event, handed to the transport in order.
   *
   * @param options - the window (`from` inclusive, `to` exclusive) and optionally one task
   * @returns how many runs and events were exported
   */
  async exportHistory(
    options: { readonly from?: Date; readonly to?: Date; readonly taskId?: number } = {},
  ): Promise<{ readonly runs: number; readonly events: number }> {
    const all: Execution[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await this.#config.portal.listExecutions({
        ...(options.from === undefined ? {} : { from: options.from }),
        ...(options.to === undefined ? {} : { to: options.to }),
        ...(options.taskId === undefined ? {} : { taskId: options.taskId }),
        limit: 1000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      all.push(...page.items);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    all.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
    const tasks = new Map<number, Task>();
    let events = 0;
    for (const e of all) {
      let task = tasks.get(e.taskId);
      if (task === undefined) {
        task = await this.#config.portal.getTask(e.taskId);
        tasks.set(e.taskId, task);
      }
      const types = eventTypesForTransition(null, e.status, task.taskType === 'stream');
      for (const ev of await this.eventsFor(e, types, task)) {
        await this.#config.transport.emit(ev);
        events++;
      }
    }
    return { runs: all.length, events };
  }
}
