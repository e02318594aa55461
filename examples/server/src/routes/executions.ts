import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ERROR_RESPONSES, ErrorBodySchema, IdParamsSchema } from '../wire/common';
import {
  ExecutionListQuerySchema,
  ExecutionPageSchema,
  ExecutionWireSchema,
  executionToWire,
  LogQuerySchema,
  LogWireSchema,
  logToWire,
} from '../wire/execution';
import type { RouteContext } from './route-context';

/**
 * Executions: list with filters, read one, its log, and a refresh from the engine.
 *
 * @param app - the Fastify instance (zod type provider)
 * @param ctx - the portal
 * @example
 * ```ts
 * await app.register(executionRoutes, { prefix: '/api/v1', portal, callbackAuth });
 * ```
 */
export const executionRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { portal } = ctx;
  const tags = ['executions'];

  app.get(
    '/executions',
    {
      schema: {
        tags,
        summary: 'List runs, newest first',
        querystring: ExecutionListQuerySchema,
        response: { 200: ExecutionPageSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await portal.listExecutions({
        ...(q.task_id !== undefined && { taskId: q.task_id }),
        ...(q.status && { status: q.status }),
        ...(q.engine && { engine: q.engine }),
        ...(q.from && { from: q.from }),
        ...(q.to && { to: q.to }),
        ...(q.limit !== undefined && { limit: q.limit }),
        ...(q.cursor !== undefined && { cursor: q.cursor }),
      });
      return { items: page.items.map(executionToWire), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/executions/:id',
    {
      schema: {
        tags,
        summary: 'Read a run',
        params: IdParamsSchema,
        response: { 200: ExecutionWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => executionToWire(await portal.getExecution(req.params.id)),
  );

  app.get(
    '/executions/:id/log',
    {
      schema: {
        tags,
        summary: "A page of a run's log, read from its engine",
        params: IdParamsSchema,
        querystring: LogQuerySchema,
        response: { 200: LogWireSchema, ...ERROR_RESPONSES, 502: ErrorBodySchema },
      },
    },
    async (req) => {
      const log = await portal.getExecutionLog(req.params.id, {
        ...(req.query.offset !== undefined && { offset: req.query.offset }),
        ...(req.query.limit !== undefined && { limit: req.query.limit }),
      });
      return logToWire(req.params.id, log);
    },
  );

  app.post(
    '/executions/:id/refresh',
    {
      schema: {
        tags,
        summary: 'Ask the engine for the run’s current state and record it',
        params: IdParamsSchema,
        response: { 200: ExecutionWireSchema, ...ERROR_RESPONSES, 502: ErrorBodySchema },
      },
    },
    async (req) => executionToWire(await portal.refreshExecution(req.params.id)),
  );
};
