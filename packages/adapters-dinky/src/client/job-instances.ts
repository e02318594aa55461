import { DinkyError } from '../errors';
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

/**
 * `GET /openapi/getJobInstance?id=`. Dinky never answers `data: null` for a missing instance: the
 * handler first runs `JobInstanceServiceImpl.initTenantByJobInstanceId`, whose
 * `Asserts.checkNull(tenantId, JOB_INSTANCE_NOT_EXIST)` throws (1.x BusException, 0.7
 * RunTimeException), and both lines answer envelope code 1. That code is the only failure this
 * handler has, so it reads as "no such instance" (null).
 */
export async function getJobInstance(
  t: DinkyTransport,
  instanceId: number,
  options: DinkyCallOptions = {},
): Promise<DinkyJobInstance | null> {
  try {
    return await t.call({
      op: 'getJobInstance',
      method: 'GET',
      path: 'openapi/getJobInstance',
      query: { id: instanceId },
      schema: DinkyJobInstanceSchema.nullish().transform((r) => r ?? null),
      retry: true,
      context: { instance: instanceId },
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DinkyError && err.engineCode === 1) return null;
    throw err;
  }
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
