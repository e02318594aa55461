import {
  alertToExecutionInputs,
  isDolphinError,
  parseDolphinAlert,
  resolveDolphinAlert,
} from '@dataportal/adapters-dolphin';
import type { EngineName, Execution, PortalService, Task } from '@dataportal/sdk';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServerError } from '../errors';
import { ERROR_RESPONSES, ErrorBodySchema } from '../wire/common';
import {
  type CallbackBody,
  CallbackBodySchema,
  callbackToExecution,
  ExecutionWireSchema,
  executionToWire,
} from '../wire/execution';
import type { RouteContext } from './route-context';

const DolphinAlertWireSchema = z
  .object({
    variant: z.enum(['success', 'failure', 'empty']),
    recorded: z.array(ExecutionWireSchema),
    unmatched: z.number().int().describe('runs of workflows the portal did not publish'),
  })
  .meta({ id: 'DolphinAlertResult' });

async function dolphinTasks(portal: PortalService): Promise<Task[]> {
  const out: Task[] = [];
  let cursor: string | undefined;
  do {
    const page = await portal.listTasks({
      engine: 'dolphin',
      limit: 500,
      ...(cursor && { cursor }),
    });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** How far a reported time may lie in the future (clock skew between engine and portal). */
export const CALLBACK_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Refuses a run report that cannot be true: the task was never published, the engine is not
 * the task's, the run ends before it starts, or a time lies in the future beyond the clock
 * skew. Such reports were recorded before, e.g. a "last success" dated 2099.
 *
 * @param task - the task the report names
 * @param body - the parsed callback
 * @param now - the clock in epoch milliseconds
 * @throws {@link ServerError} 422 `CALLBACK_REJECTED` naming the field
 * @internal
 */
export function checkCallback(task: Task, body: CallbackBody, now: number = Date.now()): void {
  const reject = (field: string, message: string): never => {
    throw new ServerError('CALLBACK_REJECTED', 422, `callback rejected: ${field}: ${message}`, {
      issues: [{ in: 'body', field, message }],
    });
  };
  if (task.engineRef === null || task.engineRef === undefined || task.status === 'draft') {
    reject('task_id', `task ${task.id} was never published; publish it before reporting runs`);
  }
  if (body.engine !== undefined && body.engine !== task.engine) {
    reject('engine', `task ${task.id} runs on ${task.engine}, not ${body.engine}`);
  }
  const start = body.start_time?.getTime();
  const end = body.end_time?.getTime();
  const latest = now + CALLBACK_CLOCK_SKEW_MS;
  if (start !== undefined && start > latest) reject('start_time', 'lies in the future');
  if (end !== undefined && end > latest) reject('end_time', 'lies in the future');
  if (start !== undefined && end !== undefined && end < start) {
    reject('end_time', 'is before start_time');
  }
}

/**
 * Finds the run a callback reports on: the given `run_id`; else a recent run of the task that
 * started at `start_time`; else the task's run in flight; else a run keyed by `start_time`, so
 * that a repeated callback never records a second execution.
 *
 * @param portal - the portal
 * @param body - the parsed callback
 * @returns engine and external run id
 * @internal
 */
export async function resolveCallbackRun(
  portal: PortalService,
  body: CallbackBody,
): Promise<{ engine: EngineName; externalRunId: string }> {
  const task = await portal.getTask(body.task_id);
  checkCallback(task, body);
  const engine = body.engine ?? task.engine;
  if (body.run_id) return { engine, externalRunId: body.run_id };
  const recent = await portal.listExecutions({ taskId: task.id, engine, limit: 50 });
  const start = body.start_time?.getTime();
  if (start !== undefined) {
    const same = recent.items.find(
      (e) => e.startTime !== null && Math.abs(e.startTime.getTime() - start) < 1000,
    );
    if (same) return { engine, externalRunId: same.externalRunId };
  }
  const inFlight = recent.items.find((e) => e.status === 'SUBMITTED' || e.status === 'RUNNING');
  if (inFlight) return { engine, externalRunId: inFlight.externalRunId };
  if (body.start_time) {
    return { engine, externalRunId: `callback-${body.start_time.toISOString()}` };
  }
  throw new ServerError(
    'VALIDATION_FAILED',
    400,
    `invalid body: run_id: task ${task.id} has no run in flight; send run_id or start_time`,
    { issues: [{ in: 'body', field: 'run_id', message: 'required when no run is in flight' }] },
  );
}

/**
 * Run callbacks from engines and scripts: the contract's `POST /api/v1/tasks/callback`
 * (and DolphinScheduler's HTTP alert when its adapter is available). With a callback secret
 * configured, each requires the shared secret or a fresh HMAC signature (401 otherwise).
 *
 * @param app - the Fastify instance (zod type provider)
 * @param ctx - the portal and the callback authenticator
 * @example
 * ```ts
 * await app.register(callbackRoutes, { prefix: '/api/v1', portal, callbackAuth });
 * ```
 */
export const callbackRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { portal, callbackAuth } = ctx;
  const alertZone = ctx.dolphinAlertTimeZone ?? 'UTC';
  const tags = ['callbacks'];

  // Authentication runs before body validation so an unauthenticated caller learns nothing.
  app.addHook('preValidation', async (req) => {
    const caller = ctx.callbackCaller?.(req) ?? 'open';
    if (caller === 'trusted') return;
    if (caller === 'unknown' && !callbackAuth.enabled) {
      throw new ServerError(
        'UNAUTHORIZED',
        401,
        'callback rejected: send a developer token (Authorization: Bearer dp_…), or set DATAPORTAL_CALLBACK_SECRET and sign',
      );
    }
    callbackAuth.verify({ headers: req.headers, rawBody: req.rawBody ?? '' });
  });

  app.post(
    '/tasks/callback',
    {
      schema: {
        tags,
        summary: 'Report a run (engine or script callback)',
        description:
          'Idempotent and order-tolerant: a repeated report changes nothing, and a late RUNNING ' +
          'never overwrites a finished run. With DATAPORTAL_CALLBACK_SECRET set, send it in ' +
          '`x-dataportal-secret`, or sign: `x-dataportal-timestamp: <unix seconds>` and ' +
          '`x-dataportal-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.',
        body: CallbackBodySchema,
        response: {
          200: ExecutionWireSchema,
          ...ERROR_RESPONSES,
          401: ErrorBodySchema,
          422: ErrorBodySchema,
        },
      },
    },
    async (req) => {
      const run = await resolveCallbackRun(portal, req.body);
      const { execution } = await portal.recordExecution(callbackToExecution(req.body, run));
      return executionToWire(execution);
    },
  );

  app.post(
    '/callbacks/dolphin',
    {
      schema: {
        tags,
        summary: "DolphinScheduler's HTTP alert (3.1/3.2 process* keys, 3.3 workflow* keys)",
        description:
          'Point an HTTP alert plugin instance (POST, JSON) at this URL and add it to the alert ' +
          "group of the portal's workflows; with a callback secret set, give the plugin the " +
          '`x-dataportal-secret` header. Runs of workflows the portal did not publish are counted ' +
          'in `unmatched` and ignored.',
        body: z.unknown(),
        response: { 200: DolphinAlertWireSchema, ...ERROR_RESPONSES, 401: ErrorBodySchema },
      },
    },
    async (req) => {
      let alert: ReturnType<typeof parseDolphinAlert>;
      try {
        alert = parseDolphinAlert(req.body, { timeZone: alertZone });
      } catch (err) {
        if (isDolphinError(err)) throw new ServerError('BAD_REQUEST', 400, err.message);
        throw err;
      }
      const tasks = await dolphinTasks(portal);
      const inputs = ctx.dolphinClient
        ? await resolveDolphinAlert(alert, tasks, {
            client: ctx.dolphinClient,
            timeZone: alertZone,
          })
        : alertToExecutionInputs(alert, tasks);
      const recorded: Execution[] = [];
      for (const input of inputs) recorded.push((await portal.recordExecution(input)).execution);
      return {
        variant: alert.variant,
        recorded: recorded.map(executionToWire),
        unmatched: Math.max(0, alert.runs.length - inputs.length),
      };
    },
  );
};
