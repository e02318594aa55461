import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_RESPONSES, etagOf, parseRef, RefParamsSchema, versionOf } from '../wire/common';
import {
  DeprecateBodySchema,
  FieldBodySchema,
  FieldWireSchema,
  fieldFromWire,
  fieldToWire,
  TableBodySchema,
  TableListQuerySchema,
  TablePageSchema,
  TablePatchBodySchema,
  TableWireSchema,
  tableFromWire,
  tablePatchFromWire,
  tableToWire,
} from '../wire/table';
import type { RouteContext } from './route-context';

/**
 * Tables and their fields: register, read by id or qualified name, list, update, deprecate.
 *
 * @param app - the Fastify instance (zod type provider)
 * @param ctx - the portal
 * @example
 * ```ts
 * await app.register(tableRoutes, { prefix: '/api/v1', portal, callbackAuth });
 * ```
 */
export const tableRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { portal } = ctx;
  const tags = ['tables'];

  app.get(
    '/tables',
    {
      schema: {
        tags,
        summary: 'List tables',
        querystring: TableListQuerySchema,
        response: { 200: TablePageSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await portal.listTables({
        ...(q.layer && { layer: q.layer }),
        ...(q.owner && { owner: q.owner }),
        ...(q.status && { status: q.status }),
        ...(q.prefix && { prefix: q.prefix }),
        ...(q.datasource && { datasource: q.datasource }),
        ...(q.limit !== undefined && { limit: q.limit }),
        ...(q.cursor !== undefined && { cursor: q.cursor }),
      });
      return { items: page.items.map(tableToWire), next_cursor: page.nextCursor };
    },
  );

  app.post(
    '/tables',
    {
      schema: {
        tags,
        summary: 'Register a table (with its fields)',
        body: TableBodySchema,
        response: { 201: TableWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const table = await portal.registerTable(tableFromWire(req.body));
      return reply.code(201).send(tableToWire(table));
    },
  );

  app.get(
    '/tables/:id',
    {
      schema: {
        tags,
        summary: 'Read a table by id or qualified name',
        params: RefParamsSchema,
        response: { 200: TableWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const table = await portal.getTable(parseRef(req.params.id));
      reply.header('etag', etagOf(table.version));
      return tableToWire(table);
    },
  );

  app.patch(
    '/tables/:id',
    {
      schema: {
        tags,
        summary:
          'Change a table (send the `version` you read, or `If-Match`; 428 without, 409 when stale)',
        params: RefParamsSchema,
        body: TablePatchBodySchema,
        response: { 200: TableWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const patch = tablePatchFromWire(req.body);
      const version = versionOf(patch.version, req.headers['if-match']);
      const table = await portal.updateTable(parseRef(req.params.id), {
        ...patch,
        ...(version !== undefined && { version }),
      });
      reply.header('etag', etagOf(table.version));
      return tableToWire(table);
    },
  );

  app.post(
    '/tables/:id/deprecate',
    {
      schema: {
        tags,
        summary: 'Mark a table deprecated',
        params: RefParamsSchema,
        body: DeprecateBodySchema,
        response: { 200: TableWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) =>
      tableToWire(await portal.deprecateTable(parseRef(req.params.id), req.body?.version)),
  );

  app.get(
    '/tables/:id/fields',
    {
      schema: {
        tags,
        summary: "A table's fields in order",
        params: RefParamsSchema,
        response: { 200: z.object({ items: z.array(FieldWireSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (req) => ({
      items: (await portal.getFields(parseRef(req.params.id))).map(fieldToWire),
    }),
  );

  app.put(
    '/tables/:id/fields',
    {
      schema: {
        tags,
        summary: "Replace a table's fields",
        params: RefParamsSchema,
        body: z.object({ fields: z.array(FieldBodySchema).max(2000) }),
        response: { 200: z.object({ items: z.array(FieldWireSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (req) => ({
      items: (
        await portal.setFields(parseRef(req.params.id), req.body.fields.map(fieldFromWire))
      ).map(fieldToWire),
    }),
  );
};
