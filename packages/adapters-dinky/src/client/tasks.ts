import { z } from 'zod';
import { DinkyError } from '../errors';
import {
  type DinkyJobResult,
  DinkyJobResultSchema,
  type DinkyLineage,
  DinkyLineageSchema,
} from '../schemas';
import { Bool, type DinkyTransport, NullableString } from './transport';
import type { DinkyCallOptions, DinkyCancelOptions, DinkySubmitOptions } from './types';

// Task operations of Dinky's OpenAPI: submit, cancel, restart, export SQL, lineage.
// 1.x: `dinky-admin/src/main/java/org/dinky/controller/APIController.java`;
// 0.7: `dlink-admin/src/main/java/com/dlink/controller/APIController.java`.
// The fake's side of these routes is `../testing/fake/tasks.ts`.

export async function submitTask(
  t: DinkyTransport,
  taskId: number,
  submit: DinkySubmitOptions = {},
  options: DinkyCallOptions = {},
): Promise<DinkyJobResult> {
  const v = await t.version(options);
  if (v.legacy) {
    if (submit.variables || submit.savePointPath) {
      throw new DinkyError(
        'NOT_SUPPORTED',
        `dinky: submitTask with variables or a savepoint needs Dinky 1.x (task ${taskId})`,
      );
    }
    return t.call({
      op: 'submitTask',
      method: 'GET',
      path: 'openapi/submitTask',
      query: { id: taskId },
      schema: DinkyJobResultSchema,
      context: { task: taskId },
      signal: options.signal,
    });
  }
  const body: Record<string, unknown> = { id: taskId };
  if (submit.variables) body['variables'] = submit.variables;
  if (submit.savePointPath) body['savePointPath'] = submit.savePointPath;
  return t.call({
    op: 'submitTask',
    method: 'POST',
    path: 'openapi/submitTask',
    json: body,
    schema: DinkyJobResultSchema,
    context: { task: taskId },
    signal: options.signal,
  });
}

export async function cancelTask(
  t: DinkyTransport,
  taskId: number,
  cancel: DinkyCancelOptions = {},
  options: DinkyCallOptions = {},
): Promise<boolean> {
  const v = await t.version(options);
  if (v.legacy) {
    const r = await t.call({
      op: 'cancelTask',
      method: 'POST',
      path: 'openapi/savepointTask',
      json: { taskId, type: cancel.withSavepoint ? 'cancel' : 'canceljob' },
      schema: z.unknown(),
      context: { task: taskId },
      signal: options.signal,
    });
    return r !== false;
  }
  const r = await t.call({
    op: 'cancelTask',
    method: 'GET',
    path: 'openapi/cancel',
    query: {
      id: taskId,
      withSavePoint: cancel.withSavepoint ?? false,
      forceCancel: cancel.forceCancel ?? false,
    },
    schema: Bool,
    context: { task: taskId },
    signal: options.signal,
  });
  return r === true;
}

export async function restartTask(
  t: DinkyTransport,
  taskId: number,
  restart: { readonly savePointPath?: string } = {},
  options: DinkyCallOptions = {},
): Promise<DinkyJobResult | null> {
  const v = await t.version(options);
  const timeoutMs = t.config.restartTimeoutMs ?? 120_000;
  const path =
    v.legacy && restart.savePointPath
      ? 'openapi/selectSavePointRestartTask'
      : 'openapi/restartTask';
  return t.call({
    op: 'restartTask',
    method: 'GET',
    path,
    query: { id: taskId, savePointPath: restart.savePointPath },
    schema: DinkyJobResultSchema.nullish().transform((r) => r ?? null),
    timeoutMs,
    context: { task: taskId },
    signal: options.signal,
  });
}

export async function exportSql(
  t: DinkyTransport,
  taskId: number,
  options: DinkyCallOptions = {},
): Promise<string> {
  const v = await t.version(options);
  if (v.legacy) {
    throw new DinkyError('NOT_SUPPORTED', `dinky: exportSql needs Dinky 1.x (task ${taskId})`);
  }
  const sql = await t.call({
    op: 'exportSql',
    method: 'GET',
    path: 'openapi/exportSql',
    query: { id: taskId },
    schema: NullableString,
    retry: true,
    context: { task: taskId },
    signal: options.signal,
  });
  return sql ?? '';
}

export async function getTaskLineage(
  t: DinkyTransport,
  taskId: number,
  options: DinkyCallOptions = {},
): Promise<DinkyLineage | null> {
  return t.call({
    op: 'getTaskLineage',
    method: 'GET',
    path: 'openapi/getTaskLineage',
    query: { id: taskId },
    schema: DinkyLineageSchema.nullish().transform((r) => r ?? null),
    retry: true,
    context: { task: taskId },
    signal: options.signal,
  });
}
