import {
  ingestRunEvents,
  OpenLineageError,
  parseRunEvent,
  type RunEvent,
} from '@dataportal/openlineage';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_RESPONSES } from '../wire/common';
import type { RouteContext } from './route-context';

const RunEventBodySchema = z
  .looseObject({
    eventType: z.string().optional(),
    eventTime: z.string(),
    producer: z.string(),
    schemaURL: z.string(),
    run: z.looseObject({ runId: z.string() }),
    job: z.looseObject({ namespace: z.string(), name: z.string() }),
    inputs: z.array(z.looseObject({ namespace: z.string(), name: z.string() })).optional(),
    outputs: z.array(z.looseObject({ namespace: z.string(), name: z.string() })).optional(),
  })
  .describe('An OpenLineage RunEvent (https://openlineage.io/spec/2-0-2/OpenLineage.json)')
  .meta({ id: 'OpenLineageRunEvent' });

const IngestResultSchema = z
  .object({
    events: z.number().int(),
    edges: z.number().int().describe('observed edges stored or refreshed'),
    drafts: z.array(z.string()).describe('tables registered as drafts'),
    executions: z.number().int().describe('runs recorded for jobs that are portal tasks'),
    skipped: z.array(z.string()).describe('datasets that are not tables, as namespace/name'),
    rejected: z.array(z.object({ source: z.string(), target: z.string(), code: z.string() })),
  })
  .meta({ id: 'OpenLineageIngestResult' });

const BatchResultSchema = IngestResultSchema.extend({
  status: z.enum(['success', 'partial_success']),
  failed: z.array(
    z.object({
      index: z.number().int(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  ),
}).meta({ id: 'OpenLineageBatchResult' });

function snake(r: Awaited<ReturnType<typeof ingestRunEvents>>): z.infer<typeof IngestResultSchema> {
  return {
    events: r.events,
    edges: r.edges,
    drafts: [...r.drafts],
    executions: r.executions,
    skipped: [...r.skipped],
    rejected: r.rejected.map((x) => ({ ...x })),
  };
}

/**
 * OpenLineage in: events from other producers (Spark, Airflow, Flink's listener) become
 * observed lineage edges, draft tables and executions. Same paths as an OpenLineage consumer's
 * `POST /lineage` and `/lineage/batch`.
 *
 * @param app - the Fastify instance (zod type provider)
 * @param ctx - the portal
 */
export const openLineageRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { portal } = ctx;
  app.post(
    '/openlineage',
    {
      schema: {
        tags: ['lineage'],
        summary: 'Accept one OpenLineage RunEvent as observed lineage',
        body: RunEventBodySchema,
        response: { 200: IngestResultSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => snake(await ingestRunEvents(portal, [parseRunEvent(req.body)])),
  );
  app.post(
    '/openlineage/batch',
    {
      schema: {
        tags: ['lineage'],
        summary: 'Accept a batch of OpenLineage RunEvents; invalid ones are reported, not stored',
        body: z.array(z.unknown()).max(1000),
        response: { 200: BatchResultSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const valid: RunEvent[] = [];
      const failed: z.infer<typeof BatchResultSchema>['failed'] = [];
      for (const [index, raw] of req.body.entries()) {
        try {
          valid.push(parseRunEvent(raw));
        } catch (err) {
          if (!(err instanceof OpenLineageError)) throw err;
          const issues = (err.details['issues'] ?? []) as Array<{ path: string; message: string }>;
          failed.push({ index, issues });
        }
      }
      const result = snake(await ingestRunEvents(portal, valid));
      return {
        ...result,
        events: req.body.length,
        status: failed.length === 0 ? ('success' as const) : ('partial_success' as const),
        failed,
      };
    },
  );
};
