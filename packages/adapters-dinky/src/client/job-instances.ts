import {
  type DinkyJobInfoDetail,
  DinkyJobInfoDetailSchema,
  type DinkyJobInstance,
  DinkyJobInstanceSchema,
  type DinkyLineage,
  DinkyLineageSchema,
} from '../schemas';
import type { DinkyTransport } from './transport';
import type { DinkyCallOptions } from './types';

// Job instances: `GET /openapi/getJobInstance`, `/openapi/getJobInstanceByTaskId` and the
// login-based `/api/jobInstance/*` detail and lineage (`JobInstanceController.java`).
// The fake's side is `../testing/fake/job-instances.ts`.

export async function getJobInstance(
  t: DinkyTransport,
  instanceId: number,
  options: DinkyCallOptions = {},
): Promise<DinkyJobInstance | null> {
  return t.call({
    op: 'getJobInstance',
    method: 'GET',
    path: 'openapi/getJobInstance',
    query: { id: instanceId },
    schema: DinkyJobInstanceSchema.nullish().transform((r) => r ?? null),
    retry: true,
    context: { instance: instanceId },
    signal: options.signal,
  });
}

export async function getLatestJobInstance(
  t: DinkyTransport,
  taskId: number,
  options: DinkyCallOptions = {},
): Promise<DinkyJobInstance | null> {
  return t.call({
    op: 'getJobInstanceByTaskId',
    method: 'GET',
    path: 'openapi/getJobInstanceByTaskId',
    query: { id: taskId },
    schema: DinkyJobInstanceSchema.nullish().transform((r) => r ?? null),
    retry: true,
    context: { task: taskId },
    signal: options.signal,
  });
}

export async function getJobDetail(
  t: DinkyTransport,
  instanceId: number,
  detail: { readonly stored?: boolean; readonly force?: boolean } = {},
  options: DinkyCallOptions = {},
): Promise<DinkyJobInfoDetail> {
  return t.call({
    op: detail.stored ? 'getJobInfoDetail' : 'refreshJobInfoDetail',
    method: 'GET',
    path: detail.stored
      ? 'api/jobInstance/getJobInfoDetail'
      : 'api/jobInstance/refreshJobInfoDetail',
    query: detail.stored ? { id: instanceId } : { id: instanceId, isForce: detail.force === true },
    schema: DinkyJobInfoDetailSchema,
    api: true,
    retry: true,
    context: { instance: instanceId },
    signal: options.signal,
  });
}

export async function getJobInstanceLineage(
  t: DinkyTransport,
  instanceId: number,
  options: DinkyCallOptions = {},
): Promise<DinkyLineage | null> {
  return t.call({
    op: 'getLineage',
    method: 'GET',
    path: 'api/jobInstance/getLineage',
    query: { id: instanceId },
    schema: DinkyLineageSchema.nullish().transform((r) => r ?? null),
    api: true,
    retry: true,
    context: { instance: instanceId },
    signal: options.signal,
  });
}
