import { z } from 'zod';
import { type FlinkMetric, FlinkMetricSchema } from '../schemas';
import type { DinkyTransport } from './transport';
import type { DinkyCallOptions } from './types';

// Flink metrics through Dinky's proxy (`JobInstanceController.getJobMetricsItems|getJobMetricsData`
// → `dinky-core/src/main/java/org/dinky/api/FlinkAPI.java`: Flink's
// `jobs/{jid}/vertices/{vid}/metrics` list and `…/metrics?get=`; no subtask aggregation).
// The fake's side is `../testing/fake/metrics.ts`.

const MetricItemsSchema = z
  .array(z.object({ id: z.string() }).loose())
  .nullish()
  .transform((r) => (r ?? []).map((m) => m.id));

/** `GET /api/jobInstance/getJobMetricsItems?address=&jobId=&verticeId=`: the vertex's metric ids. */
export async function getVertexMetricIds(
  t: DinkyTransport,
  query: { readonly address: string; readonly jobId: string; readonly vertexId: string },
  options: DinkyCallOptions = {},
): Promise<string[]> {
  return t.call({
    op: 'getJobMetricsItems',
    method: 'GET',
    path: 'api/jobInstance/getJobMetricsItems',
    query: { address: query.address, jobId: query.jobId, verticeId: query.vertexId },
    schema: MetricItemsSchema,
    api: true,
    retry: true,
    signal: options.signal,
  });
}

export async function getVertexMetrics(
  t: DinkyTransport,
  query: {
    readonly address: string;
    readonly jobId: string;
    readonly vertexId: string;
    readonly metrics: readonly string[];
  },
  options: DinkyCallOptions = {},
): Promise<FlinkMetric[]> {
  const r = await t.call({
    op: 'getJobMetricsData',
    method: 'GET',
    path: 'api/jobInstance/getJobMetricsData',
    query: {
      address: query.address,
      jobId: query.jobId,
      verticeId: query.vertexId,
      metrics: query.metrics.join(','),
    },
    schema: z.array(FlinkMetricSchema).nullish(),
    api: true,
    retry: true,
    signal: options.signal,
  });
  return r ?? [];
}
