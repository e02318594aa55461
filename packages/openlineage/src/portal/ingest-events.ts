import type { EngineName, PortalService, Task } from '@dataportal/sdk';
import { guessLayer, isSdkError } from '@dataportal/sdk';
import { type IngestPlan, planIngest } from '../ingest/plan-ingest';
import type { RunEvent } from '../model';

/**
 * What {@link ingestRunEvents} did.
 *
 * @example
 * ```ts
 * import type { IngestResult } from '@dataportal/openlineage';
 * const r: IngestResult = { events: 1, edges: 1, drafts: ['dwd.x'], executions: 0, skipped: [], rejected: [] };
 * ```
 */
export interface IngestResult {
  /** Events read. */
  readonly events: number;
  /** Observed edges stored (new or refreshed). */
  readonly edges: number;
  /** Tables registered as drafts. */
  readonly drafts: ReadonlyArray<string>;
  /** Execution reports recorded (jobs that map to portal tasks). */
  readonly executions: number;
  /** Datasets that are not tables (file paths, …), as `namespace/name`. */
  readonly skipped: ReadonlyArray<string>;
  /** Edges the portal refused (a cycle, …) with the error code. */
  readonly rejected: ReadonlyArray<{
    readonly source: string;
    readonly target: string;
    readonly code: string;
  }>;
}

/**
 * Applies incoming OpenLineage RunEvents to a portal: unknown tables are registered as `draft`
 * (layer guessed from the name), input → output pairs are stored as edges with provenance
 * `observed` (and the task id when the job is a portal task, matched by name), and runs of
 * portal tasks are recorded as executions (external run id `ol:<runId>`).
 *
 * @param portal - the portal
 * @param events - validated events (see {@link parseRunEvent})
 * @returns counts of what was stored
 * @example
 * ```ts
 * import { ingestRunEvents, parseRunEvent } from '@dataportal/openlineage';
 * declare const portal: import('@dataportal/sdk').PortalService;
 * declare const body: unknown;
 * const result = await ingestRunEvents(portal, [parseRunEvent(body)]);
 * ```
 */
export async function ingestRunEvents(
  portal: PortalService,
  events: ReadonlyArray<RunEvent>,
): Promise<IngestResult> {
  const datasources = (await portal.listDatasources()).map((d) => ({
    name: d.name,
    kind: d.kind,
    host: d.host,
    port: d.port,
    path: d.path,
  }));
  const known = new Map<string, boolean>();
  const tasks = new Map<string, Task | null>();
  const drafts: string[] = [];
  const skipped: string[] = [];
  const rejected: Array<{ source: string; target: string; code: string }> = [];
  let edges = 0;
  let executions = 0;
  for (const event of events) {
    // Preload what the pure planner asks synchronously.
    const names = [...(event.inputs ?? []), ...(event.outputs ?? [])].flatMap((d) => [
      d.name.toLowerCase(),
      ...(
        (d.facets?.['symlinks'] as { identifiers?: Array<{ name?: unknown }> } | undefined)
          ?.identifiers ?? []
      ).flatMap((i) => (typeof i.name === 'string' ? [i.name.toLowerCase()] : [])),
    ]);
    for (const n of names) {
      if (!known.has(n)) known.set(n, (await portal.findTable(n)) !== null);
    }
    if (!tasks.has(event.job.name)) {
      tasks.set(event.job.name, await portal.getTask(event.job.name).catch(() => null));
    }
    const plan: IngestPlan = planIngest(event, {
      datasources,
      hasTable: (t) => known.get(t) === true,
      taskForJob: (_ns, name) => tasks.get(name)?.id,
    });
    for (const d of [...plan.inputs, ...plan.outputs]) {
      if (d.table === null) {
        skipped.push(`${d.namespace}/${d.name}`);
        continue;
      }
      if (d.known || known.get(d.table) === true) continue;
      await portal.registerTable({
        qualifiedName: d.table,
        layer: guessLayer(d.table) ?? 'ODS',
        status: 'draft',
        ...(d.datasource === null ? {} : { datasource: d.datasource }),
        description: `Seen in OpenLineage events from ${event.producer}`,
      });
      known.set(d.table, true);
      drafts.push(d.table);
    }
    for (const e of plan.edges) {
      try {
        await portal.addLineageEdge({
          source: e.source,
          target: e.target,
          provenance: 'observed',
          columns: [...e.columns],
          ...(plan.taskId === undefined ? {} : { taskId: plan.taskId }),
        });
        edges++;
      } catch (err) {
        if (isSdkError(err) && err.code === 'CONFLICT') {
          edges++;
          continue;
        }
        if (isSdkError(err)) {
          rejected.push({ source: e.source, target: e.target, code: err.code });
          continue;
        }
        throw err;
      }
    }
    const task = tasks.get(event.job.name);
    if (plan.execution !== undefined && task != null) {
      await portal.recordExecution({
        ...plan.execution,
        engine: task.engine as EngineName,
      });
      executions++;
    }
  }
  return { events: events.length, edges, drafts, executions, skipped, rejected };
}
