import { z } from 'zod';
import { DinkyError } from '../errors';
import { type DinkySavepointResult, DinkySavepointResultSchema } from '../schemas';
import type { DinkyTransport } from './transport';
import { type DinkyCallOptions, type DinkySavepointType, SAVEPOINT_TYPES } from './types';

// `POST /openapi/savepointTask {taskId, type}` (`APIController.savepointTask`, type parsed by
// `dinky-gateway/src/main/java/org/dinky/gateway/enums/SavePointType.java`, which falls back to
// TRIGGER for unknown names). The fake's side is `../testing/fake/savepoints.ts`.

export async function savepointTask(
  t: DinkyTransport,
  taskId: number,
  type: DinkySavepointType,
  options: DinkyCallOptions = {},
): Promise<DinkySavepointResult> {
  if (!SAVEPOINT_TYPES.includes(type)) {
    throw new DinkyError('INVALID_ARGUMENT', `dinky: unknown savepoint type ${String(type)}`);
  }
  const v = await t.version(options);
  return t.call({
    op: 'savepointTask',
    method: 'POST',
    path: 'openapi/savepointTask',
    json: { taskId, type },
    schema: v.legacy
      ? z.unknown().transform((): DinkySavepointResult => ({}))
      : DinkySavepointResultSchema,
    context: { task: taskId, type },
    signal: options.signal,
  });
}
