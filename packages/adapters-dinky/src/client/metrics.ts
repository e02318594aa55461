import { z } from 'zod';
import { type FlinkMetric, FlinkMetricSchema } from '../schemas';
import type { DinkyTransport } from './transport';
import type { DinkyCallOptions } from './types';

// Flink metrics through Dinky's proxy, `GET /api/jobInstance/getJobMetricsData`
// (`JobInstanceController.getJobMetricsData` → `dinky-core/.../api/FlinkAPI.java`).
// The fake's side is `../testing/fake/metrics.ts`.

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
