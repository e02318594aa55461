import { z } from 'zod';

// Schemas of Dinky's JSON (1.x `org.dinky`, 0.7 `com.dlink`). Object schemas strip unknown keys on
// purpose: a submit answer's `jobConfig` can carry the Dinky database credentials, and stripping
// at the boundary keeps them out of everything downstream.

/**
 * Dinky's response envelope: 1.x `{code, msg, data, time, success}`, 0.7 `{code, msg, datas, time}`.
 *
 * @example
 * ```ts
 * DinkyEnvelopeSchema.parse({ code: 0, msg: 'ok', data: '1.1.0', time: '2024-07-29 22:59:08' });
 * ```
 */
export const DinkyEnvelopeSchema = z.object({
  code: z.number(),
  msg: z.string().nullish(),
  data: z.unknown().optional(),
  datas: z.unknown().optional(),
  time: z.string().nullish(),
  success: z.boolean().nullish(),
});
/**
 * A Dinky envelope, see {@link DinkyEnvelopeSchema}.
 *
 * @example
 * ```ts
 * const env: DinkyEnvelope = { code: 0, msg: 'ok', data: null };
 * ```
 */
export type DinkyEnvelope = z.infer<typeof DinkyEnvelopeSchema>;

/**
 * `JobResult` returned by submit and restart. `success` means "submitted", not "finished".
 *
 * @example
 * ```ts
 * DinkyJobResultSchema.parse({ jobInstanceId: 7, jobId: 'ab12', status: 'SUCCESS', success: true });
 * ```
 */
export const DinkyJobResultSchema = z
  .object({
    id: z.number().nullish(),
    jobInstanceId: z.number().nullish(),
    jobId: z.string().nullish(),
    jobManagerAddress: z.string().nullish(),
    status: z.string().nullish(),
    success: z.boolean().nullish(),
    error: z.string().nullish(),
    startTime: z.string().nullish(),
    endTime: z.string().nullish(),
    // Only the savepoint is kept of `jobConfig`: the rest can hold Dinky's database credentials.
    jobConfig: z
      .object({ savePointPath: z.string().nullish() })
      .nullish()
      .transform((c) => c ?? null),
  })
  .transform(({ jobConfig, ...rest }) => ({
    ...rest,
    /** The savepoint the job was submitted from (`jobConfig.savePointPath`), or null. */
    savePointPath: jobConfig?.savePointPath || null,
  }));
/**
 * A submit or restart result, see {@link DinkyJobResultSchema}.
 *
 * @example
 * ```ts
 * const r: DinkyJobResult = await client.submitTask(12);
 * ```
 */
export type DinkyJobResult = z.infer<typeof DinkyJobResultSchema>;

/**
 * `JobInstance` (`dinky_job_instance` row). Times are the Dinky server's wall clock without a
 * zone; `duration` is milliseconds and may be about five minutes stale.
 *
 * @example
 * ```ts
 * DinkyJobInstanceSchema.parse({ id: 7, taskId: 3, status: 'RUNNING', createTime: '2024-07-29 22:59:08' });
 * ```
 */
export const DinkyJobInstanceSchema = z.object({
  id: z.number(),
  taskId: z.number().nullish(),
  name: z.string().nullish(),
  step: z.number().nullish(),
  clusterId: z.number().nullish(),
  jid: z.string().nullish(),
  status: z.string().nullish(),
  error: z.string().nullish(),
  createTime: z.string().nullish(),
  updateTime: z.string().nullish(),
  finishTime: z.string().nullish(),
  duration: z.number().nullish(),
  failedRestartCount: z.number().nullish(),
  jobManagerAddress: z.string().nullish(),
});
/**
 * A job instance, see {@link DinkyJobInstanceSchema}.
 *
 * @example
 * ```ts
 * const inst: DinkyJobInstance | null = await client.getJobInstance(7);
 * ```
 */
export type DinkyJobInstance = z.infer<typeof DinkyJobInstanceSchema>;

/**
 * `SavePointResult`: one entry per Flink job with the savepoint path. The success flag is read
 * from `success` or `isSuccess` (the generated docs disagree with the Lombok getter).
 *
 * @example
 * ```ts
 * DinkySavepointResultSchema.parse({ jobInfos: [{ jobId: 'ab', savePoint: 'hdfs:///sp/1' }] });
 * ```
 */
export const DinkySavepointResultSchema = z.object({
  type: z.string().nullish(),
  success: z.boolean().nullish(),
  isSuccess: z.boolean().nullish(),
  error: z.string().nullish(),
  exceptionMsg: z.string().nullish(),
  jobInfos: z
    .array(
      z.object({
        jobId: z.string().nullish(),
        savePoint: z.string().nullish(),
        status: z.string().nullish(),
      }),
    )
    .nullish(),
});
/**
 * A savepoint result, see {@link DinkySavepointResultSchema}.
 *
 * @example
 * ```ts
 * const sp: DinkySavepointResult = await client.savepointTask(12, 'trigger');
 * ```
 */
export type DinkySavepointResult = z.infer<typeof DinkySavepointResultSchema>;

/**
 * `LineageResult`: tables (`catalog.database.table`) and column-level relations. Ids are counters,
 * unstable across calls.
 *
 * @example
 * ```ts
 * DinkyLineageSchema.parse({ tables: [], relations: [] });
 * ```
 */
export const DinkyLineageSchema = z.object({
  tables: z
    .array(
      z.object({
        id: z.union([z.string(), z.number()]).transform(String),
        name: z.string(),
        columns: z
          .array(z.object({ name: z.string(), title: z.string().nullish() }))
          .nullish()
          .transform((c) => c ?? []),
      }),
    )
    .nullish()
    .transform((t) => t ?? []),
  relations: z
    .array(
      z.object({
        id: z.union([z.string(), z.number()]).transform(String),
        srcTableId: z.union([z.string(), z.number()]).transform(String),
        tgtTableId: z.union([z.string(), z.number()]).transform(String),
        srcTableColName: z.string().nullish(),
        tgtTableColName: z.string().nullish(),
      }),
    )
    .nullish()
    .transform((r) => r ?? []),
});
/**
 * Dinky's lineage answer, see {@link DinkyLineageSchema}.
 *
 * @example
 * ```ts
 * const lineage: DinkyLineage | null = await client.getTaskLineage(12);
 * ```
 */
export type DinkyLineage = z.infer<typeof DinkyLineageSchema>;

/**
 * A task as `GET /api/task?id=` returns it (`TaskDTO`, the fields the adapter uses).
 *
 * @example
 * ```ts
 * DinkyTaskSchema.parse({ id: 3, name: 'orders_agg', statement: 'insert into …', step: 2 });
 * ```
 */
export const DinkyTaskSchema = z.object({
  id: z.number(),
  name: z.string(),
  dialect: z.string().nullish(),
  type: z.string().nullish(),
  statement: z.string().nullish(),
  step: z.number().nullish(),
  enabled: z.boolean().nullish(),
  fragment: z.boolean().nullish(),
  jobInstanceId: z.number().nullish(),
  clusterId: z.number().nullish(),
  clusterConfigurationId: z.number().nullish(),
  parallelism: z.number().nullish(),
  envId: z.number().nullish(),
  savePointStrategy: z.number().nullish(),
});
/**
 * A Dinky task, see {@link DinkyTaskSchema}.
 *
 * @example
 * ```ts
 * const task: DinkyTask = await client.getTask(12);
 * ```
 */
export type DinkyTask = z.infer<typeof DinkyTaskSchema>;

/**
 * A node of the catalogue (folder or task), as `saveOrUpdateCatalogueAndTask` and
 * `getCatalogueTreeData` return it.
 *
 * @example
 * ```ts
 * DinkyCatalogueSchema.parse({ id: 9, name: 'orders_agg', taskId: 3, parentId: 0, isLeaf: true });
 * ```
 */
export const DinkyCatalogueSchema = z.object({
  id: z.number(),
  name: z.string(),
  taskId: z.number().nullish(),
  parentId: z.number().nullish(),
  isLeaf: z.boolean().nullish(),
  type: z.string().nullish(),
  get children() {
    return z.array(DinkyCatalogueSchema).nullish();
  },
});
/**
 * A catalogue node, see {@link DinkyCatalogueSchema}.
 *
 * @example
 * ```ts
 * const node: DinkyCatalogue | null = await client.findTaskByName('orders_agg');
 * ```
 */
export type DinkyCatalogue = {
  id: number;
  name: string;
  taskId?: number | null | undefined;
  parentId?: number | null | undefined;
  isLeaf?: boolean | null | undefined;
  type?: string | null | undefined;
  children?: DinkyCatalogue[] | null | undefined;
};

/** Flink's cumulative per-vertex counters, as Dinky proxies them. */
const FlinkVertexMetricsSchema = z.object({
  'read-records': z.number().nullish(),
  'write-records': z.number().nullish(),
  'read-bytes': z.number().nullish(),
  'write-bytes': z.number().nullish(),
});

/**
 * A Flink job vertex (`FlinkJobVertex`), with cumulative record counters.
 *
 * @example
 * ```ts
 * FlinkVertexSchema.parse({ id: 'v1', name: 'Source: orders', metrics: { 'write-records': 10 } });
 * ```
 */
export const FlinkVertexSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  parallelism: z.number().nullish(),
  status: z.string().nullish(),
  metrics: FlinkVertexMetricsSchema.nullish(),
});
/**
 * A Flink job vertex, see {@link FlinkVertexSchema}.
 *
 * @example
 * ```ts
 * const v: FlinkVertex = { id: 'v1', name: 'Source: orders', metrics: { 'write-records': 10 } };
 * ```
 */
export type FlinkVertex = z.infer<typeof FlinkVertexSchema>;

/**
 * Flink's job detail (`FlinkJobDetailInfo`) with epoch-millisecond times.
 *
 * @example
 * ```ts
 * FlinkJobDetailSchema.parse({ jid: 'ab', state: 'RUNNING', 'start-time': 1722265148123, vertices: [] });
 * ```
 */
export const FlinkJobDetailSchema = z.object({
  jid: z.string().nullish(),
  name: z.string().nullish(),
  state: z.string().nullish(),
  'start-time': z.number().nullish(),
  'end-time': z.number().nullish(),
  duration: z.number().nullish(),
  now: z.number().nullish(),
  vertices: z
    .array(FlinkVertexSchema)
    .nullish()
    .transform((v) => v ?? []),
  /** The job graph's edges: each node lists the vertices it reads from (`inputs[].id`). */
  plan: z
    .object({
      nodes: z
        .array(
          z.object({
            id: z.string(),
            inputs: z
              .array(z.object({ id: z.string() }))
              .nullish()
              .transform((v) => v ?? []),
          }),
        )
        .nullish()
        .transform((v) => v ?? []),
    })
    .nullish(),
});
/**
 * A Flink job detail, see {@link FlinkJobDetailSchema}.
 *
 * @example
 * ```ts
 * const job: FlinkJobDetail | null | undefined = (await client.getJobDetail(7)).jobDataDto?.job;
 * ```
 */
export type FlinkJobDetail = z.infer<typeof FlinkJobDetailSchema>;

/**
 * `JobInfoDetail` from `/api/jobInstance/getJobInfoDetail` or `refreshJobInfoDetail`.
 *
 * @example
 * ```ts
 * DinkyJobInfoDetailSchema.parse({ id: 7, instance: { id: 7, status: 'RUNNING' }, jobDataDto: { job: null } });
 * ```
 */
export const DinkyJobInfoDetailSchema = z.object({
  id: z.number().nullish(),
  instance: DinkyJobInstanceSchema.nullish(),
  clusterInstance: z.object({ jobManagerHost: z.string().nullish() }).nullish(),
  jobDataDto: z
    .object({
      job: FlinkJobDetailSchema.nullish(),
      error: z.boolean().nullish(),
      errorMsg: z.string().nullish(),
    })
    .nullish(),
});
/**
 * A job detail, see {@link DinkyJobInfoDetailSchema}.
 *
 * @example
 * ```ts
 * const detail: DinkyJobInfoDetail = await client.getJobDetail(7);
 * ```
 */
export type DinkyJobInfoDetail = z.infer<typeof DinkyJobInfoDetailSchema>;

/**
 * One Flink metric value as `getJobMetricsData` proxies it (`[{id, value}]`).
 *
 * @example
 * ```ts
 * FlinkMetricSchema.parse({ id: '0.numRecordsOutPerSecond', value: '12.5' });
 * ```
 */
export const FlinkMetricSchema = z.object({
  id: z.string(),
  value: z.union([z.string(), z.number()]).nullish(),
});
/**
 * A Flink metric, see {@link FlinkMetricSchema}.
 *
 * @example
 * ```ts
 * const m: FlinkMetric = { id: '0.numRecordsOutPerSecond', value: '12.5' };
 * ```
 */
export type FlinkMetric = z.infer<typeof FlinkMetricSchema>;
