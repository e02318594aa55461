import type { EngineName, PortalService } from '@dataportal/sdk';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { engineNotConfigured } from '../errors';
import {
  ERROR_RESPONSES,
  ErrorBodySchema,
  etagOf,
  PageQuerySchema,
  parseRef,
  RefParamsSchema,
  VersionQuerySchema,
  versionOf,
} from '../wire/common';
import {
  ExecutionPageSchema,
  ExecutionWireSchema,
  executionToWire,
  StatsQuerySchema,
  StatsWireSchema,
  statsToWire,
} from '../wire/execution';
import {
  LineageCheckQuerySchema,
  LineageCheckWireSchema,
  lineageCheckToWire,
  PublishBodySchema,
  TaskBodySchema,
  TaskListQuerySchema,
  TaskPageSchema,
  TaskPatchBodySchema,
  TaskWireSchema,
  taskFromWire,
  taskPatchFromWire,
  taskToWire,
} from '../wire/task';
import type { RouteContext } from './route-context';

/**
 * Throws the configuration hint when the portal has no engine of that name.
 *
 * @param portal - the portal
 * @param engine - the engine a request needs
 * @internal
 */
export function requireEngine(portal: PortalService, engine: EngineName): void {
  if (!portal.engines.includes(engine)) throw engineNotConfigured(engine);
}

const ENGINE_ERRORS = { ...ERROR_RESPONSES, 502: ErrorBodySchema } as const;

/**
 * Tasks: create (with lineage), list, read, update, delete, publish, online/offline, run now,
 * and per-task executions and statistics.
 *
 * @param app - the Fastify instance (zod type provider)
 * @param ctx - the portal
 * @example
 * ```ts
 * await app.register(taskRoutes, { prefix: '/api/v1', portal, callbackAuth });
 * ```
 */
export const taskRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { portal } = ctx;
  const tags = ['tasks'];

  app.get(
    '/tasks',
    {
      schema: {
        tags,
        summary: 'List tasks',
        querystring: TaskListQuerySchema,
        response: { 200: TaskPageSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await portal.listTasks({
        ...(q.status && { status: q.status }),
        ...(q.engine && { engine: q.engine }),
        ...(q.task_type && { taskType: q.task_type }),
        ...(q.owner && { owner: q.owner }),
        ...(q.prefix && { prefix: q.prefix }),
        ...(q.table && { table: q.table }),
        ...(q.limit !== undefined && { limit: q.limit }),
        ...(q.cursor !== undefined && { cursor: q.cursor }),
      });
      return { items: page.items.map(taskToWire), next_cursor: page.nextCursor };
    },
  );

  app.post(
    '/tasks',
    {
      schema: {
        tags,
        summary: 'Create a task and its lineage',
        description:
          'Writes the task and one lineage edge per (input, output) pair in one transaction. ' +
          'Unregistered input/output tables are registered as drafts unless ' +
          '`register_missing_tables` is false. A task that would close a cycle is refused (409).',
        body: TaskBodySchema,
        response: { 201: TaskWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { input, registerMissingTables } = taskFromWire(req.body);
      const task = await portal.createTask(input, { registerMissingTables });
      return reply.code(201).send(taskToWire(task));
    },
  );

  app.get(
    '/tasks/:id',
    {
      schema: {
        tags,
        summary: 'Read a task by id or name',
        params: RefParamsSchema,
        response: { 200: TaskWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const task = await portal.getTask(parseRef(req.params.id));
      reply.header('etag', etagOf(task.version));
      return taskToWire(task);
    },
  );

  app.patch(
    '/tasks/:id',
    {
      schema: {
        tags,
        summary:
          'Change a task (send the `version` you read, or `If-Match`; 428 without, 409 when stale)',
        params: RefParamsSchema,
        body: TaskPatchBodySchema,
        response: { 200: TaskWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { patch, registerMissingTables } = taskPatchFromWire(req.body);
      const version = versionOf(patch.version, req.headers['if-match']);
      const task = await portal.updateTask(
        parseRef(req.params.id),
        { ...patch, ...(version !== undefined && { version }) },
        { registerMissingTables },
      );
      reply.header('etag', etagOf(task.version));
      return taskToWire(task);
    },
  );

  app.delete(
    '/tasks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a task and its lineage edges (its runs stay)',
        params: RefParamsSchema,
        querystring: VersionQuerySchema,
        response: { 204: z.null().describe('deleted'), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      await portal.deleteTask(parseRef(req.params.id), req.query.version);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/tasks/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish a task to its engine',
        description:
          '`scheduler` picks the engine (`local`, `dolphin`, `dinky`); `auto_start` starts a ' +
          'run (batch) or the job (stream) right away. Answers the task with its engine ' +
          'reference and status.',
        params: RefParamsSchema,
        body: PublishBodySchema,
        response: { 200: TaskWireSchema, ...ENGINE_ERRORS },
      },
    },
    async (req) => {
      let task = await portal.getTask(parseRef(req.params.id));
      const scheduler = req.body?.scheduler ?? task.engine;
      requireEngine(portal, scheduler);
      if (scheduler !== task.engine) {
        task = await portal.updateTask(task.id, { engine: scheduler, version: task.version });
      }
      const published = await portal.publishTask(task.id, {
        online: req.body?.online ?? true,
        autoStart: req.body?.auto_start ?? false,
      });
      return taskToWire(published);
    },
  );

  for (const [path, online] of [
    ['online', true],
    ['offline', false],
  ] as const) {
    app.post(
      `/tasks/:id/${path}`,
      {
        schema: {
          tags,
          summary: `Take a published task ${path} (with its schedule)`,
          params: RefParamsSchema,
          response: { 200: TaskWireSchema, ...ENGINE_ERRORS },
        },
      },
      async (req) => {
        const task = await portal.getTask(parseRef(req.params.id));
        requireEngine(portal, task.engine);
        return taskToWire(await portal.setTaskOnline(task.id, online));
      },
    );
  }

  app.post(
    '/tasks/:id/unpublish',
    {
      schema: {
        tags,
        summary: 'Remove a task from its engine (status back to draft)',
        params: RefParamsSchema,
        response: { 200: TaskWireSchema, ...ENGINE_ERRORS },
      },
    },
    async (req) => {
      const task = await portal.getTask(parseRef(req.params.id));
      if (task.engineRef) requireEngine(portal, task.engine);
      return taskToWire(await portal.unpublishTask(task.id));
    },
  );

  app.post(
    '/tasks/:id/run',
    {
      schema: {
        tags,
        summary: 'Run a published task now',
        description:
          'Answers 202 with the execution recorded as SUBMITTED; poll it for the outcome.',
        params: RefParamsSchema,
        response: { 202: ExecutionWireSchema, ...ENGINE_ERRORS },
      },
    },
    async (req, reply) => {
      const task = await portal.getTask(parseRef(req.params.id));
      requireEngine(portal, task.engine);
      const execution = await portal.triggerTask(task.id);
      return reply.code(202).send(executionToWire(execution));
    },
  );

  app.get(
    '/tasks/:id/executions',
    {
      schema: {
        tags,
        summary: "A task's runs, newest first",
        params: RefParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: ExecutionPageSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const task = await portal.getTask(parseRef(req.params.id));
      const page = await portal.listExecutions({
        taskId: task.id,
        ...(req.query.limit !== undefined && { limit: req.query.limit }),
        ...(req.query.cursor !== undefined && { cursor: req.query.cursor }),
      });
      return { items: page.items.map(executionToWire), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/tasks/:id/stats',
    {
      schema: {
        tags,
        summary: "A task's run statistics (success rate, p50/p95 duration, rows)",
        params: RefParamsSchema,
        querystring: StatsQuerySchema,
        response: { 200: StatsWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) =>
      statsToWire(
        await portal.executionStats(parseRef(req.params.id), {
          ...(req.query.since && { since: req.query.since }),
          ...(req.query.window !== undefined && { window: req.query.window }),
        }),
      ),
  );

  app.get(
    '/tasks/:id/lineage-check',
    {
      schema: {
        tags,
        summary:
          "Compare a task's declared inputs/outputs with the tables its SQL reads and writes",
        params: RefParamsSchema,
        querystring: LineageCheckQuerySchema,
        response: { 200: LineageCheckWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) =>
      lineageCheckToWire(
        await portal.checkTaskLineage(
          parseRef(req.params.id),
          req.query.dialect ? { dialect: req.query.dialect } : {},
        ),
      ),
  );
};
