import type { LayerViolation } from '@dataportal/lineage';
import { LayerSchema, type LineageEdge, ProvenanceSchema } from '@dataportal/sdk';
import { z } from 'zod';
import { WireTimestampSchema } from './common';

const TableNameSchema = z.string().trim().min(1).max(190);

/** The lineage graph: `{nodes:[{id, layer}], edges:[{source, target}]}`. */
export const GraphWireSchema = z
  .object({
    nodes: z.array(z.object({ id: z.string(), layer: LayerSchema.nullable() })),
    edges: z.array(
      z.object({
        source: z.string(),
        target: z.string(),
        columns: z
          .array(z.object({ source: z.string(), target: z.string() }))
          .optional()
          .describe('with `level=column`: the column pairs of the edge'),
      }),
    ),
  })
  .meta({ id: 'LineageGraph' });
/** The lineage graph on the wire. */
export type GraphWire = z.infer<typeof GraphWireSchema>;

/** Output formats of the lineage queries. */
export const LineageFormatSchema = z.enum(['json', 'mermaid', 'dot']).default('json');

/** `GET /api/v1/lineage` query: the whole graph, or the neighbourhood of `table`. */
export const LineageQuerySchema = z.object({
  table: TableNameSchema.optional().describe('centre table; omit for the whole graph'),
  direction: z
    .enum(['upstream', 'downstream', 'both', 'up', 'down'])
    .default('both')
    .describe('with `table`: which side to walk'),
  depth: z.coerce.number().int().min(1).max(1000).optional().describe('hops; omit for no limit'),
  format: LineageFormatSchema.describe('json, or text in mermaid / dot (Graphviz)'),
  level: z
    .enum(['table', 'column'])
    .default('table')
    .describe('`column`: edges carry their column pairs; DOT and Mermaid draw column ports'),
  as_of: z
    .string()
    .trim()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 time')
    .optional()
    .describe('the graph as it was at this instant (ISO-8601), read from the edge history'),
});

/** `GET /api/v1/lineage/impact` query. */
export const ImpactQuerySchema = z.object({
  table: TableNameSchema,
  depth: z.coerce.number().int().min(1).max(1000).optional(),
});

/** What a change to a table affects downstream. */
export const ImpactWireSchema = z
  .object({
    table: z.string(),
    tables: z.array(
      z.object({ id: z.string(), layer: LayerSchema.nullable(), depth: z.number().int() }),
    ),
    tasks: z.array(
      z.object({ id: z.number().int(), name: z.string(), owner: z.string().nullable() }),
    ),
    owners: z.array(z.string()),
    truncated: z.boolean().describe('true when `depth` (or a size limit) cut the walk short'),
  })
  .meta({ id: 'LineageImpact' });

/** `GET /api/v1/lineage/path` query. */
export const PathQuerySchema = z.object({
  from: TableNameSchema,
  to: TableNameSchema,
  max_depth: z.coerce.number().int().min(1).max(1000).optional(),
});

/** A shortest path between two tables, or null. */
export const PathWireSchema = z
  .object({ from: z.string(), to: z.string(), path: z.array(z.string()).nullable() })
  .meta({ id: 'LineagePath' });

/** Layer-rule violations. */
export const ViolationsWireSchema = z
  .object({
    violations: z.array(
      z.object({
        source: z.string(),
        target: z.string(),
        source_layer: z.string().nullable(),
        target_layer: z.string().nullable(),
        rule: z.enum(['BACKWARD', 'FORBIDDEN', 'SAME_LAYER', 'UNKNOWN_LAYER']),
        reason: z.string(),
        tasks: z.array(z.string()).describe('tasks that write the edge'),
      }),
    ),
    cycles: z.array(z.array(z.string())).describe('table cycles (should be none)'),
  })
  .meta({ id: 'LineageViolations' });

/** A stored lineage edge on the wire. */
export const EdgeWireSchema = z
  .object({
    id: z.number().int(),
    source: z.string(),
    target: z.string(),
    task_id: z.number().int().nullable(),
    provenance: ProvenanceSchema,
    columns: z.array(z.object({ source: z.string(), target: z.string() })),
    created_at: WireTimestampSchema,
  })
  .meta({ id: 'LineageEdge' });

/** `POST /api/v1/lineage/edges` body (manual edges). */
export const EdgeBodySchema = z.object({
  source: TableNameSchema,
  target: TableNameSchema,
  provenance: z.enum(['manual', 'observed']).optional(),
  columns: z
    .array(z.object({ source: z.string().max(128), target: z.string().max(128) }))
    .max(1000)
    .optional(),
});

/** `GET /api/v1/lineage/edges` query. */
export const EdgeListQuerySchema = z.object({ table: TableNameSchema.optional() });

/**
 * Maps a stored edge to the wire.
 *
 * @param e - the sdk edge
 * @returns its snake_case form
 * @example
 * ```ts
 * (await portal.listLineageEdges()).map(edgeToWire);
 * ```
 */
export function edgeToWire(e: LineageEdge): z.infer<typeof EdgeWireSchema> {
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    task_id: e.taskId === 0 ? null : e.taskId,
    provenance: e.provenance,
    columns: e.columns,
    created_at: e.createdAt.toISOString(),
  };
}

/** `POST /api/v1/sql/lineage` body. */
export const SqlLineageBodySchema = z.object({
  sql: z.string().min(1).max(1_000_000),
  dialect: z.enum(['mysql', 'doris', 'hive', 'flink']).optional(),
  default_database: z.string().max(128).optional(),
});

/**
 * Maps a layer-rule violation to the wire.
 *
 * @param v - the violation from `checkLayerRules`
 * @returns its snake_case form
 * @example
 * ```ts
 * layerViolations(graph).violations.map(violationToWire);
 * ```
 */
export function violationToWire(
  v: LayerViolation,
): z.infer<typeof ViolationsWireSchema>['violations'][number] {
  return {
    source: v.source,
    target: v.target,
    source_layer: v.sourceLayer,
    target_layer: v.targetLayer,
    rule: v.rule,
    reason: v.reason,
    tasks: [...v.tasks],
  };
}
