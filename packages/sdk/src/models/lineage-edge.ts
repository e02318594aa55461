import { z } from 'zod';
import { QualifiedNameSchema } from './common.js';

/** Where a lineage edge came from. */
export const ProvenanceSchema = z.enum(['declared', 'parsed', 'observed', 'manual']);
/** An edge provenance, see {@link ProvenanceSchema}. */
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** A column-level pair: `source` column of the upstream table feeds `target` of the downstream. */
export const ColumnPairSchema = z.object({ source: z.string(), target: z.string() });
/** A column pair, see {@link ColumnPairSchema}. */
export type ColumnPair = z.infer<typeof ColumnPairSchema>;

/** A stored lineage edge between two tables. */
export const LineageEdgeSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  target: z.string(),
  taskId: z.number().int().nullable(),
  provenance: ProvenanceSchema,
  columns: z.array(ColumnPairSchema),
  createdAt: z.date(),
});
/** A lineage edge, see {@link LineageEdgeSchema}. */
export type LineageEdge = z.infer<typeof LineageEdgeSchema>;

/** Input to add a manual lineage edge (not produced by a task). */
export const LineageEdgeInputSchema = z.object({
  source: QualifiedNameSchema,
  target: QualifiedNameSchema,
  provenance: ProvenanceSchema.default('manual'),
  columns: z.array(ColumnPairSchema).default([]),
});
/** Input to add a lineage edge, see {@link LineageEdgeInputSchema}. */
export type LineageEdgeInput = z.input<typeof LineageEdgeInputSchema>;
