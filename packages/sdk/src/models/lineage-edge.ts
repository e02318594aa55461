import { z } from 'zod';
import { TableNameSchema } from './common.js';

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
  source: TableNameSchema,
  target: TableNameSchema,
  provenance: ProvenanceSchema.default('manual'),
  columns: z.array(ColumnPairSchema).default([]),
  /**
   * The task the edge belongs to, for `observed` edges of a portal task's runs (OpenLineage
   * events of a job that is a portal task). Declared and parsed edges come from the task itself.
   */
  taskId: z.number().int().positive().optional(),
});
/** Input to add a lineage edge, see {@link LineageEdgeInputSchema}. */
export type LineageEdgeInput = z.input<typeof LineageEdgeInputSchema>;

/**
 * One version of a lineage edge: what it was from `validFrom` until `validTo` (null while it is
 * current), and the version of the task that made it.
 */
export interface LineageEdgeVersion {
  readonly source: string;
  readonly target: string;
  /** The task, or null for edges without one (manual, observed from outside producers). */
  readonly taskId: number | null;
  readonly provenance: Provenance;
  readonly columns: readonly ColumnPair[];
  /** The task's version when this edge version was written (null without a task). */
  readonly taskVersion: number | null;
  readonly validFrom: Date;
  readonly validTo: Date | null;
}

/** What changed in the lineage between two instants. */
export interface LineageHistoryDiff {
  readonly from: Date;
  readonly to: Date;
  /** Edges that exist at `to` but did not at `from`. */
  readonly added: readonly LineageEdgeVersion[];
  /** Edges that existed at `from` but no longer do at `to`. */
  readonly removed: readonly LineageEdgeVersion[];
  /** Edges that exist at both instants with different column pairs. */
  readonly changed: readonly {
    readonly before: LineageEdgeVersion;
    readonly after: LineageEdgeVersion;
  }[];
}

/** One table pair of a task and which sources know it. */
export interface LineageDriftEdge {
  readonly source: string;
  readonly target: string;
  /** Declared by the task's inputs and outputs. */
  readonly declared: boolean;
  /** Read from the task's SQL. */
  readonly parsed: boolean;
  /** Seen at run time (OpenLineage events of the task's job). */
  readonly observed: boolean;
}

/** Declared vs parsed vs observed lineage of one task. */
export interface TaskLineageDrift {
  readonly taskId: number;
  readonly taskName: string;
  /** Every pair any source knows, sorted. */
  readonly edges: readonly LineageDriftEdge[];
  /** Seen at run time but not declared: the task does more than it says. */
  readonly observedNotDeclared: readonly LineageDriftEdge[];
  /** Declared but never seen at run time (only meaningful once the task has run with events). */
  readonly declaredNotObserved: readonly LineageDriftEdge[];
  /** Read from the SQL but not declared. */
  readonly parsedNotDeclared: readonly LineageDriftEdge[];
  /** Declared but not read from the SQL. */
  readonly declaredNotParsed: readonly LineageDriftEdge[];
  /** Whether any run-time observation exists for the task. */
  readonly hasObservations: boolean;
  /** All three agree. */
  readonly consistent: boolean;
}
