import { z } from 'zod';
import { OpenLineageError } from '../errors';
import type { RunEvent } from '../model';

const FacetsSchema = z.record(z.string(), z.unknown()).optional();

const DatasetSchema = z.looseObject({
  namespace: z.string().min(1),
  name: z.string().min(1),
  facets: FacetsSchema,
  inputFacets: FacetsSchema,
  outputFacets: FacetsSchema,
});

/**
 * The shape of an incoming RunEvent as the portal accepts it: the fields the core schema
 * requires, checked strictly, and every other field kept as sent (facets are open).
 *
 * @example
 * ```ts
 * import { RunEventSchema } from '@dataportal/openlineage';
 * RunEventSchema.safeParse({}).success; // false
 * ```
 */
export const RunEventSchema = z.looseObject({
  eventType: z.enum(['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER']).optional(),
  eventTime: z.iso.datetime({ offset: true }),
  producer: z.string().min(1),
  schemaURL: z.string().min(1),
  run: z.looseObject({ runId: z.uuid(), facets: FacetsSchema }),
  job: z.looseObject({
    namespace: z.string().min(1),
    name: z.string().min(1),
    facets: FacetsSchema,
  }),
  inputs: z.array(DatasetSchema).optional(),
  outputs: z.array(DatasetSchema).optional(),
});

/**
 * Validates one incoming OpenLineage RunEvent (from Spark, Airflow, Flink or any producer).
 *
 * @param value - the parsed JSON body
 * @returns the event
 * @throws {@link OpenLineageError} with code INVALID_EVENT, `details.issues` listing each problem
 *   with its path
 * @example
 * ```ts
 * import { parseRunEvent } from '@dataportal/openlineage';
 * const e = parseRunEvent(JSON.parse('{"eventType":"START","eventTime":"2026-01-01T00:00:00Z","producer":"p","schemaURL":"s","run":{"runId":"0190b7e0-0000-7000-8000-000000000000"},"job":{"namespace":"spark","name":"j"}}'));
 * ```
 */
export function parseRunEvent(value: unknown): RunEvent {
  const r = RunEventSchema.safeParse(value);
  if (!r.success) {
    throw new OpenLineageError('INVALID_EVENT', 'openlineage: not an OpenLineage RunEvent', {
      details: {
        issues: r.error.issues.map((i) => ({
          path: i.path.map(String).join('.'),
          message: i.message,
        })),
      },
    });
  }
  return r.data as unknown as RunEvent;
}
