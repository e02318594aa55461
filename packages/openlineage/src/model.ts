/**
 * TypeScript types of the OpenLineage objects this package writes and reads (core schema 2-0-2).
 * Facets are open objects: the spec lets producers add facets, so readers keep unknown ones.
 *
 * @module
 */

/**
 * The state transition a RunEvent reports. A run has one `START` and one of `COMPLETE`, `FAIL`,
 * `ABORT`; `RUNNING` and `OTHER` add information in between or after.
 *
 * @example
 * ```ts
 * import type { RunEventType } from '@dataportal/openlineage';
 * const t: RunEventType = 'COMPLETE';
 * ```
 */
export type RunEventType = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';

/**
 * A facet: an open object with `_producer` and `_schemaURL`.
 *
 * @example
 * ```ts
 * import type { Facet } from '@dataportal/openlineage';
 * const f: Facet = { _producer: 'https://example.invalid/p', _schemaURL: 'https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet', query: 'select 1' };
 * ```
 */
export interface Facet {
  readonly _producer: string;
  readonly _schemaURL: string;
  readonly [key: string]: unknown;
}

/**
 * A dataset as OpenLineage names it: `namespace` is the data source (`mysql://host:3306`),
 * `name` the path inside it (`db.table`).
 *
 * @example
 * ```ts
 * import type { OpenLineageDataset } from '@dataportal/openlineage';
 * const d: OpenLineageDataset = { namespace: 'mysql://db:3306', name: 'ods.orders', facets: {} };
 * ```
 */
export interface OpenLineageDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets?: Readonly<Record<string, Facet>>;
}

/**
 * An input dataset of a run.
 *
 * @example
 * ```ts
 * import type { InputDataset } from '@dataportal/openlineage';
 * const d: InputDataset = { namespace: 'mysql://db:3306', name: 'ods.orders' };
 * ```
 */
export interface InputDataset extends OpenLineageDataset {
  readonly inputFacets?: Readonly<Record<string, Facet>>;
}

/**
 * An output dataset of a run.
 *
 * @example
 * ```ts
 * import type { OutputDataset } from '@dataportal/openlineage';
 * const d: OutputDataset = { namespace: 'mysql://db:3306', name: 'dwd.orders' };
 * ```
 */
export interface OutputDataset extends OpenLineageDataset {
  readonly outputFacets?: Readonly<Record<string, Facet>>;
}

/**
 * A job: namespace (the scheduler or portal) and unique name inside it.
 *
 * @example
 * ```ts
 * import type { OpenLineageJob } from '@dataportal/openlineage';
 * const j: OpenLineageJob = { namespace: 'dataportal', name: 'load_dwd_orders', facets: {} };
 * ```
 */
export interface OpenLineageJob {
  readonly namespace: string;
  readonly name: string;
  readonly facets?: Readonly<Record<string, Facet>>;
}

/**
 * A run of a job; `runId` is a UUID (this package writes time-ordered UUIDv7).
 *
 * @example
 * ```ts
 * import type { OpenLineageRun } from '@dataportal/openlineage';
 * const r: OpenLineageRun = { runId: '0190b7e0-0000-7000-8000-000000000000' };
 * ```
 */
export interface OpenLineageRun {
  readonly runId: string;
  readonly facets?: Readonly<Record<string, Facet>>;
}

/**
 * An OpenLineage RunEvent.
 *
 * @example
 * ```ts
 * import type { RunEvent } from '@dataportal/openlineage';
 * const e: RunEvent = {
 *   eventType: 'START', eventTime: '2026-01-01T00:00:00.000Z',
 *   producer: 'https://example.invalid/dataportal', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
 *   run: { runId: '0190b7e0-0000-7000-8000-000000000000' }, job: { namespace: 'dataportal', name: 't' },
 *   inputs: [], outputs: [],
 * };
 * ```
 */
export interface RunEvent {
  readonly eventType?: RunEventType;
  readonly eventTime: string;
  readonly producer: string;
  readonly schemaURL: string;
  readonly run: OpenLineageRun;
  readonly job: OpenLineageJob;
  readonly inputs?: ReadonlyArray<InputDataset>;
  readonly outputs?: ReadonlyArray<OutputDataset>;
}
