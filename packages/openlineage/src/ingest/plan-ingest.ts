import type { OpenLineageDataset, RunEvent } from '../model';
import { type DatasetLocation, namespaceMatches } from '../naming';

/**
 * What the portal knows, for mapping datasets and jobs of incoming events.
 *
 * @example
 * ```ts
 * import type { IngestCatalog } from '@dataportal/openlineage';
 * const catalog: IngestCatalog = {
 *   datasources: [{ name: 'warehouse', kind: 'doris', host: 'fe', port: 9030 }],
 *   hasTable: (t) => t === 'ods.orders',
 *   taskForJob: () => undefined,
 * };
 * ```
 */
export interface IngestCatalog {
  readonly datasources: ReadonlyArray<DatasetLocation & { readonly name: string }>;
  /** Whether a table (portal name) is registered. */
  hasTable(qualifiedName: string): boolean;
  /** The portal task a job maps to (by name, optionally by namespace), if any. */
  taskForJob(namespace: string, name: string): number | undefined;
}

/**
 * A dataset of an event mapped onto the portal.
 *
 * @example
 * ```ts
 * import type { MappedDataset } from '@dataportal/openlineage';
 * const d: MappedDataset = { namespace: 'mysql://fe:9030', name: 'ods.orders', table: 'ods.orders', datasource: 'warehouse', known: true };
 * ```
 */
export interface MappedDataset {
  readonly namespace: string;
  readonly name: string;
  /** The portal table name, or null when the dataset is not a table (a file path). */
  readonly table: string | null;
  readonly datasource: string | null;
  /** Whether the table is registered already (false: register it as a draft). */
  readonly known: boolean;
}

/**
 * What one incoming event means for the portal.
 *
 * @example
 * ```ts
 * import type { IngestPlan } from '@dataportal/openlineage';
 * const p: IngestPlan = { inputs: [], outputs: [], edges: [], taskId: undefined, execution: undefined };
 * ```
 */
export interface IngestPlan {
  readonly inputs: ReadonlyArray<MappedDataset>;
  readonly outputs: ReadonlyArray<MappedDataset>;
  /** Observed input → output edges with column pairs from the `columnLineage` facet. */
  readonly edges: ReadonlyArray<{
    readonly source: string;
    readonly target: string;
    readonly columns: ReadonlyArray<{ readonly source: string; readonly target: string }>;
  }>;
  /** The portal task the job maps to. */
  readonly taskId: number | undefined;
  /** The run as a portal execution report, when the job maps to a task. */
  readonly execution:
    | {
        readonly taskId: number;
        readonly externalRunId: string;
        readonly status: 'RUNNING' | 'SUCCESS' | 'FAILED' | 'KILLED';
        readonly startTime?: Date;
        readonly endTime?: Date;
        readonly rowsOutput?: number;
        readonly message?: string;
      }
    | undefined;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){1,2}$/;

function symlinks(d: OpenLineageDataset): Array<{ namespace: string; name: string }> {
  const f = d.facets?.['symlinks'] as { identifiers?: unknown } | undefined;
  if (!Array.isArray(f?.identifiers)) return [];
  return f.identifiers.filter(
    (i): i is { namespace: string; name: string } =>
      typeof i === 'object' &&
      i !== null &&
      typeof (i as { namespace?: unknown }).namespace === 'string' &&
      typeof (i as { name?: unknown }).name === 'string',
  );
}

function mapDataset(d: OpenLineageDataset, catalog: IngestCatalog): MappedDataset {
  const candidates = [{ namespace: d.namespace, name: d.name }, ...symlinks(d)];
  for (const c of candidates) {
    const ds = catalog.datasources.find((s) => namespaceMatches(c.namespace, s));
    const name = c.name.toLowerCase();
    if (ds !== undefined && TABLE_NAME.test(name)) {
      return { ...base(d), table: name, datasource: ds.name, known: catalog.hasTable(name) };
    }
  }
  for (const c of candidates) {
    const name = c.name.toLowerCase();
    if (TABLE_NAME.test(name) && catalog.hasTable(name)) {
      return { ...base(d), table: name, datasource: null, known: true };
    }
  }
  for (const c of candidates) {
    const name = c.name.toLowerCase();
    if (TABLE_NAME.test(name)) return { ...base(d), table: name, datasource: null, known: false };
  }
  return { ...base(d), table: null, datasource: null, known: false };
}

function base(d: OpenLineageDataset): { namespace: string; name: string } {
  return { namespace: d.namespace, name: d.name };
}

const STATUS: Readonly<Record<string, 'RUNNING' | 'SUCCESS' | 'FAILED' | 'KILLED'>> = {
  START: 'RUNNING',
  RUNNING: 'RUNNING',
  COMPLETE: 'SUCCESS',
  FAIL: 'FAILED',
  ABORT: 'KILLED',
};

/**
 * Maps one incoming RunEvent onto the portal: datasets to tables by the naming conventions
 * (datasource namespace + `db.table`, or a `symlinks` identity; unknown tables are to be
 * registered as drafts), every input → output pair to an observed edge with the column pairs of
 * the outputs' `columnLineage` facets, and the run to an execution when the job maps to a task.
 * Pure: applying the plan is the caller's job.
 *
 * @param event - a validated RunEvent
 * @param catalog - datasources, tables and tasks the portal knows
 * @returns the plan
 * @example
 * ```ts
 * import { planIngest } from '@dataportal/openlineage';
 * const plan = planIngest(event, { datasources: [], hasTable: () => true, taskForJob: () => undefined });
 * plan.edges; // [{ source: 'ods.a', target: 'dwd.b', columns: [] }]
 * ```
 */
export function planIngest(event: RunEvent, catalog: IngestCatalog): IngestPlan {
  const inputs = (event.inputs ?? []).map((d) => mapDataset(d, catalog));
  const outputs = (event.outputs ?? []).map((d) => mapDataset(d, catalog));
  const edges: Array<IngestPlan['edges'][number]> = [];
  for (const [k, out] of outputs.entries()) {
    if (out.table === null) continue;
    const facet = event.outputs?.[k]?.facets?.['columnLineage'] as
      | { fields?: Record<string, { inputFields?: Array<Record<string, unknown>> }> }
      | undefined;
    for (const inp of inputs) {
      if (inp.table === null || inp.table === out.table) continue;
      const columns: Array<{ source: string; target: string }> = [];
      for (const [field, spec] of Object.entries(facet?.fields ?? {})) {
        for (const f of spec.inputFields ?? []) {
          const sameDataset =
            (f['namespace'] === inp.namespace && f['name'] === inp.name) ||
            (typeof f['name'] === 'string' && f['name'].toLowerCase() === inp.table);
          if (sameDataset && typeof f['field'] === 'string') {
            columns.push({ source: f['field'].toLowerCase(), target: field.toLowerCase() });
          }
        }
      }
      if (!edges.some((e) => e.source === inp.table && e.target === out.table)) {
        edges.push({ source: inp.table, target: out.table, columns });
      }
    }
  }
  const taskId = catalog.taskForJob(event.job.namespace, event.job.name);
  const status = event.eventType === undefined ? undefined : STATUS[event.eventType];
  let execution: IngestPlan['execution'];
  if (taskId !== undefined && status !== undefined) {
    const time = new Date(event.eventTime);
    const err = event.run.facets?.['errorMessage'] as { message?: unknown } | undefined;
    let rows: number | undefined;
    for (const o of event.outputs ?? []) {
      const s = o.outputFacets?.['outputStatistics'] as { rowCount?: unknown } | undefined;
      if (typeof s?.rowCount === 'number') rows = (rows ?? 0) + s.rowCount;
    }
    execution = {
      taskId,
      externalRunId: `ol:${event.run.runId}`,
      status,
      ...(event.eventType === 'START' ? { startTime: time } : {}),
      ...(status === 'RUNNING' ? {} : { endTime: time }),
      ...(rows === undefined ? {} : { rowsOutput: rows }),
      ...(typeof err?.message === 'string' ? { message: err.message.slice(0, 8000) } : {}),
    };
  }
  return { inputs, outputs, edges, taskId, execution };
}
