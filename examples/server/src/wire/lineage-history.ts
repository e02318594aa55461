import {
  type LineageEdgeVersion,
  type LineageHistoryDiff,
  ProvenanceSchema,
  type TaskLineageDrift,
} from '@dataportal/sdk';
import { z } from 'zod';
import { WireTimestampSchema } from './common';

/** An ISO-8601 instant in a query string (`2026-11-24T00:00:00Z`, or a date `2026-11-24`). */
export const InstantQuerySchema = z
  .string()
  .trim()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 time')
  .transform((s) => new Date(s));

/** One version of an edge on the wire. */
export const EdgeVersionWireSchema = z
  .object({
    source: z.string(),
    target: z.string(),
    task_id: z.number().int().nullable(),
    task_version: z.number().int().nullable(),
    provenance: ProvenanceSchema,
    columns: z.array(z.object({ source: z.string(), target: z.string() })),
    valid_from: WireTimestampSchema,
    valid_to: WireTimestampSchema.nullable(),
  })
  .meta({ id: 'LineageEdgeVersion' });

/**
 * Maps an edge version to the wire.
 *
 * @param v - the sdk edge version
 * @returns its snake_case form
 */
export function edgeVersionToWire(v: LineageEdgeVersion): z.infer<typeof EdgeVersionWireSchema> {
  return {
    source: v.source,
    target: v.target,
    task_id: v.taskId,
    task_version: v.taskVersion,
    provenance: v.provenance,
    columns: v.columns.map((c) => ({ source: c.source, target: c.target })),
    valid_from: v.validFrom.toISOString(),
    valid_to: v.validTo === null ? null : v.validTo.toISOString(),
  };
}

/** `GET /api/v1/lineage/diff` query. */
export const DiffQuerySchema = z.object({
  from: InstantQuerySchema.describe('the earlier instant (ISO-8601)'),
  to: InstantQuerySchema.describe('the later instant (ISO-8601); default now').optional(),
});

/** `GET /api/v1/lineage/diff` answer. */
export const DiffWireSchema = z
  .object({
    from: WireTimestampSchema,
    to: WireTimestampSchema,
    added: z.array(EdgeVersionWireSchema),
    removed: z.array(EdgeVersionWireSchema),
    changed: z.array(z.object({ before: EdgeVersionWireSchema, after: EdgeVersionWireSchema })),
  })
  .meta({ id: 'LineageDiff' });

/**
 * Maps a diff to the wire.
 *
 * @param d - the sdk diff
 * @returns its snake_case form
 */
export function diffToWire(d: LineageHistoryDiff): z.infer<typeof DiffWireSchema> {
  return {
    from: d.from.toISOString(),
    to: d.to.toISOString(),
    added: d.added.map(edgeVersionToWire),
    removed: d.removed.map(edgeVersionToWire),
    changed: d.changed.map((c) => ({
      before: edgeVersionToWire(c.before),
      after: edgeVersionToWire(c.after),
    })),
  };
}

/** `GET /api/v1/lineage/drift` query. */
export const DriftQuerySchema = z.object({
  task: z.string().trim().min(1).max(128).describe('task id or name'),
});

const DriftEdgeSchema = z.object({
  source: z.string(),
  target: z.string(),
  declared: z.boolean(),
  parsed: z.boolean(),
  observed: z.boolean(),
});

/** `GET /api/v1/lineage/drift` answer. */
export const DriftWireSchema = z
  .object({
    task_id: z.number().int(),
    task_name: z.string(),
    edges: z.array(DriftEdgeSchema),
    observed_not_declared: z.array(DriftEdgeSchema),
    declared_not_observed: z.array(DriftEdgeSchema),
    parsed_not_declared: z.array(DriftEdgeSchema),
    declared_not_parsed: z.array(DriftEdgeSchema),
    has_observations: z.boolean(),
    consistent: z.boolean(),
  })
  .meta({ id: 'LineageDrift' });

/**
 * Maps a drift report to the wire.
 *
 * @param d - the sdk drift report
 * @returns its snake_case form
 */
export function driftToWire(d: TaskLineageDrift): z.infer<typeof DriftWireSchema> {
  const e = (list: TaskLineageDrift['edges']) => list.map((x) => ({ ...x }));
  return {
    task_id: d.taskId,
    task_name: d.taskName,
    edges: e(d.edges),
    observed_not_declared: e(d.observedNotDeclared),
    declared_not_observed: e(d.declaredNotObserved),
    parsed_not_declared: e(d.parsedNotDeclared),
    declared_not_parsed: e(d.declaredNotParsed),
    has_observations: d.hasObservations,
    consistent: d.consistent,
  };
}
