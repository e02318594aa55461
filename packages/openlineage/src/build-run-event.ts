import type { ScriptColumnLineage } from '@dataportal/lineage';
import {
  columnLineageFacet,
  dataSourceFacet,
  errorMessageFacet,
  jobTypeFacet,
  nominalTimeFacet,
  outputStatisticsFacet,
  processingEngineFacet,
  type SchemaField,
  schemaFacet,
  sourceCodeFacet,
  sqlFacet,
  symlinksFacet,
} from './facets';
import type { Facet, InputDataset, OutputDataset, RunEvent, RunEventType } from './model';
import type { DatasetIdentity } from './naming';
import { deterministicRunId } from './run-id';
import { RUN_EVENT_SCHEMA_URL } from './spec-version';

/**
 * A table taking part in a run, already named by the OpenLineage naming conventions.
 *
 * @example
 * ```ts
 * import type { RunDataset } from '@dataportal/openlineage';
 * const d: RunDataset = { table: 'ods.orders', identity: { namespace: 'mysql://db:3306', name: 'ods.orders' } };
 * ```
 */
export interface RunDataset {
  /** The table as the portal names it (matches the column lineage). */
  readonly table: string;
  readonly identity: DatasetIdentity;
  /** Other identities (a `symlinks` facet). */
  readonly aliases?: ReadonlyArray<DatasetIdentity>;
  /** Registered fields, for the `schema` facet. */
  readonly fields?: ReadonlyArray<SchemaField>;
  /** The portal datasource's name, for the `dataSource` facet. */
  readonly datasource?: string;
}

/**
 * Everything {@link buildRunEvent} needs, with no dependency on where it came from.
 *
 * @example
 * ```ts
 * import type { RunEventInput } from '@dataportal/openlineage';
 * const input: RunEventInput = {
 *   eventType: 'START', eventTime: new Date(), producer: 'https://example.invalid/dataportal',
 *   job: { namespace: 'dataportal', name: 'load_dwd', processingType: 'BATCH', integration: 'DOLPHINSCHEDULER' },
 *   run: { engine: 'dolphin', externalRunId: '1042', nominalTime: new Date() },
 *   inputs: [], outputs: [],
 * };
 * ```
 */
export interface RunEventInput {
  readonly eventType: RunEventType;
  readonly eventTime: Date;
  /** URI of the producer (the portal's version). */
  readonly producer: string;
  readonly job: {
    readonly namespace: string;
    readonly name: string;
    readonly processingType: 'BATCH' | 'STREAMING';
    /** `DOLPHINSCHEDULER`, `DINKY`, or `DATAPORTAL` for the local engine. */
    readonly integration: string;
    readonly sql?: string | undefined;
    readonly dialect?: string | undefined;
  };
  readonly run: {
    readonly engine: string;
    readonly externalRunId: string;
    /** Input of the deterministic run id (see {@link deterministicRunId}). */
    readonly nominalTime: Date;
    /** Written as the `nominalTime` facet when the run had a schedule time. */
    readonly scheduledTime?: Date | undefined;
    /** For `FAIL` / `ABORT`: the engine's message (`errorMessage` facet). */
    readonly errorMessage?: string | null | undefined;
    /** Engine name and version (`processing_engine` facet). */
    readonly processingEngine?: { readonly name: string; readonly version: string } | undefined;
  };
  readonly inputs: ReadonlyArray<RunDataset>;
  readonly outputs: ReadonlyArray<RunDataset>;
  /** Composed column lineage of the job's SQL (`columnLineage` facets on the outputs). */
  readonly columns?: ReadonlyArray<ScriptColumnLineage> | undefined;
  /** Rows written (COMPLETE only; `outputStatistics` on the single output). */
  readonly rowsOutput?: number | null | undefined;
}

function datasetFacets(producer: string, d: RunDataset): Record<string, Facet> {
  const facets: Record<string, Facet> = {};
  if (d.fields !== undefined && d.fields.length > 0)
    facets['schema'] = schemaFacet(producer, d.fields);
  if (d.datasource !== undefined) {
    facets['dataSource'] = dataSourceFacet(producer, d.datasource, d.identity.namespace);
  }
  if (d.aliases !== undefined && d.aliases.length > 0) {
    facets['symlinks'] = symlinksFacet(producer, d.aliases);
  }
  return facets;
}

/**
 * Builds one spec-correct OpenLineage RunEvent (core schema 2-0-2) for a portal run: the run id
 * is a deterministic UUIDv7 from engine, external run id, job name and nominal time; the job
 * carries `jobType`, `sql` and `sourceCode`; datasets carry `schema`, `dataSource` and
 * `symlinks`; outputs carry `columnLineage` and, on COMPLETE, `outputStatistics`; FAIL and ABORT
 * carry `errorMessage`.
 *
 * @param input - the run, job, datasets and lineage
 * @returns the event, ready to serialise
 * @example
 * ```ts
 * import { buildRunEvent } from '@dataportal/openlineage';
 * const event = buildRunEvent({
 *   eventType: 'COMPLETE', eventTime: new Date(), producer: 'https://example.invalid/dataportal',
 *   job: { namespace: 'dataportal', name: 'load_dwd', processingType: 'BATCH', integration: 'DOLPHINSCHEDULER', sql: 'insert into dwd.b select * from ods.a' },
 *   run: { engine: 'dolphin', externalRunId: '1042', nominalTime: new Date('2026-01-01T03:00:00Z') },
 *   inputs: [{ table: 'ods.a', identity: { namespace: 'mysql://db:3306', name: 'ods.a' } }],
 *   outputs: [{ table: 'dwd.b', identity: { namespace: 'mysql://db:3306', name: 'dwd.b' } }],
 *   rowsOutput: 10,
 * });
 * ```
 */
export function buildRunEvent(input: RunEventInput): RunEvent {
  const p = input.producer;
  const runFacets: Record<string, Facet> = {};
  if (input.run.scheduledTime !== undefined) {
    runFacets['nominalTime'] = nominalTimeFacet(p, input.run.scheduledTime);
  }
  if (input.run.processingEngine !== undefined) {
    runFacets['processing_engine'] = processingEngineFacet(
      p,
      input.run.processingEngine.name,
      input.run.processingEngine.version,
    );
  }
  if (
    (input.eventType === 'FAIL' || input.eventType === 'ABORT') &&
    input.run.errorMessage != null &&
    input.run.errorMessage !== ''
  ) {
    runFacets['errorMessage'] = errorMessageFacet(p, input.run.errorMessage);
  }
  const jobFacets: Record<string, Facet> = {
    jobType: jobTypeFacet(p, input.job.processingType, input.job.integration),
  };
  if (input.job.sql !== undefined && input.job.sql !== '') {
    jobFacets['sql'] = sqlFacet(p, input.job.sql, input.job.dialect);
    jobFacets['sourceCode'] = sourceCodeFacet(p, 'SQL', input.job.sql);
  }
  const byTable = new Map<string, RunDataset>();
  for (const d of [...input.inputs, ...input.outputs]) byTable.set(d.table, d);
  const identify = (table: string): DatasetIdentity =>
    byTable.get(table)?.identity ?? { namespace: input.job.namespace, name: table };
  const inputs: InputDataset[] = input.inputs.map((d) => ({
    namespace: d.identity.namespace,
    name: d.identity.name,
    facets: datasetFacets(p, d),
  }));
  const outputs: OutputDataset[] = input.outputs.map((d) => {
    const facets = datasetFacets(p, d);
    const cl = columnLineageFacet(p, d.table, input.columns ?? [], identify);
    if (cl !== undefined) facets['columnLineage'] = cl;
    const outputFacets: Record<string, Facet> = {};
    if (input.eventType === 'COMPLETE' && input.rowsOutput != null && input.outputs.length === 1) {
      outputFacets['outputStatistics'] = outputStatisticsFacet(p, input.rowsOutput);
    }
    return { namespace: d.identity.namespace, name: d.identity.name, facets, outputFacets };
  });
  return {
    eventType: input.eventType,
    eventTime: input.eventTime.toISOString(),
    producer: p,
    schemaURL: RUN_EVENT_SCHEMA_URL,
    run: {
      runId: deterministicRunId({
        engine: input.run.engine,
        externalRunId: input.run.externalRunId,
        nominalTime: input.run.nominalTime,
        scope: `${input.job.namespace}/${input.job.name}`,
      }),
      facets: runFacets,
    },
    job: { namespace: input.job.namespace, name: input.job.name, facets: jobFacets },
    inputs,
    outputs,
  };
}

/**
 * The events that report a portal run moving from `previous` to `current` status: a run seen for
 * the first time gets `START`; `RUNNING` is reported for streaming jobs (batch runs go from START
 * to their end); `SUCCESS` → `COMPLETE`, `FAILED` → `FAIL`, `KILLED` → `ABORT`. A run first seen
 * in a terminal status gets `START` and its end, so every run has one START and one end.
 *
 * @param previous - the status before this report, or null for a new run
 * @param current - the status now
 * @param streaming - whether the job is a stream (`RUNNING` events are useful there)
 * @returns the event types to emit, in order (empty when nothing moved)
 * @example
 * ```ts
 * import { eventTypesForTransition } from '@dataportal/openlineage';
 * eventTypesForTransition(null, 'SUCCESS', false); // ['START', 'COMPLETE']
 * ```
 */
export function eventTypesForTransition(
  previous: string | null,
  current: string,
  streaming: boolean,
): RunEventType[] {
  if (previous === current) return [];
  const end: Record<string, RunEventType> = {
    SUCCESS: 'COMPLETE',
    FAILED: 'FAIL',
    KILLED: 'ABORT',
  };
  if (previous !== null && end[previous] !== undefined) return [];
  const out: RunEventType[] = [];
  if (previous === null) out.push('START');
  if (current === 'RUNNING' && streaming) out.push('RUNNING');
  const e = end[current];
  if (e !== undefined) out.push(e);
  return out;
}
