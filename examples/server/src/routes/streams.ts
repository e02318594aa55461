import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { engineNotConfigured } from '../errors';
import { ERROR_RESPONSES, ErrorBodySchema } from '../wire/common';
import {
  StreamRestartBodySchema,
  StreamStartBodySchema,
  StreamStatusQuerySchema,
  StreamStatusWireSchema,
  StreamStopBodySchema,
  streamHistoryToWire,
  streamStatusToWire,
} from '../wire/stream';
import type { RouteContext } from './route-context';

/**
 * Stream jobs on the stream engine (Dinky): start, stop (with savepoint), restart, status.
 * Without a configured stream engine they answer 422 `ENGINE_NOT_CONFIGURED` naming DINKY_URL.
 *
 * @param app - the Fastify instance (zod type provider)
 * @param ctx - the portal
 * @example
 * ```ts
 * await app.register(streamRoutes, { prefix: '/api/v1', portal, callbackAuth });
 * ```
 */
export const streamRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { portal } = ctx;
  const tags = ['streams'];
  const responses = { 200: StreamStatusWireSchema, ...ERROR_RESPONSES, 502: ErrorBodySchema };
  const requireDinky = () => {
    if (!portal.streamEngine('dinky')) throw engineNotConfigured('dinky');
  };

  app.post(
    '/tasks/stream/start',
    {
      schema: {
        tags,
        summary: "Start a stream task's job",
        body: StreamStartBodySchema,
        response: responses,
      },
    },
    async (req) => {
      requireDinky();
      const task = await portal.getTask(req.body.task_id);
      if (!task.engineRef) await portal.publishTask(task.id, { online: false });
      return streamStatusToWire(task.id, await portal.startStream(task.id));
    },
  );

  app.post(
    '/tasks/stream/stop',
    {
      schema: {
        tags,
        summary: "Stop a stream task's job, optionally with a savepoint",
        body: StreamStopBodySchema,
        response: responses,
      },
    },
    async (req) => {
      requireDinky();
      const status = await portal.stopStream(
        req.body.task_id,
        req.body.savepoint === undefined ? {} : { savepoint: req.body.savepoint },
      );
      return streamStatusToWire(req.body.task_id, status);
    },
  );

  app.post(
    '/tasks/stream/restart',
    {
      schema: {
        tags,
        summary: "Restart a stream task's job",
        body: StreamRestartBodySchema,
        response: responses,
      },
    },
    async (req) => {
      requireDinky();
      return streamStatusToWire(req.body.task_id, await portal.restartStream(req.body.task_id));
    },
  );

  app.get(
    '/tasks/stream/status',
    {
      schema: {
        tags,
        summary:
          "A stream task's job status: {status, uptime, throughput}; with ?history=1h also the samples and run changes of that window",
        querystring: StreamStatusQuerySchema,
        response: responses,
      },
    },
    async (req) => {
      requireDinky();
      const status = streamStatusToWire(
        req.query.task_id,
        await portal.streamStatus(req.query.task_id),
      );
      if (req.query.history === undefined) return status;
      const history = await portal.streamHistory(req.query.task_id, {
        windowMs: req.query.history,
      });
      return { ...status, history: streamHistoryToWire(history) };
    },
  );
};
