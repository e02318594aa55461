import { analyzeSql } from '@dataportal/lineage';
import { isSdkError } from '@dataportal/sdk';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { snakeDeep } from '../wire/case';
import { ERROR_RESPONSES } from '../wire/common';
import { SqlLineageBodySchema } from '../wire/lineage';
import type { RouteContext } from './route-context';

const SqlLineageWireSchema = z
  .object({
    dialect: z.string(),
    inputs: z.array(z.string()),
    outputs: z.array(z.string()),
    unregistered_tables: z
      .array(z.string())
      .describe('tables the SQL reads or writes that the portal has not registered'),
    confidence: z.number(),
  })
  .catchall(z.unknown())
  .meta({ id: 'SqlLineage' });

/**
 * SQL analysis: the tables and columns a statement or script reads and writes (MySQL, Doris,
 * Hive, Flink SQL), `SELECT *` expanded from the registered fields, with warnings and a
 * confidence.
 *
 * @param app - the Fastify instance (zod type provider)
 * @param ctx - the portal
 * @example
 * ```ts
 * await app.register(sqlRoutes, { prefix: '/api/v1', portal, callbackAuth });
 * ```
 */
export const sqlRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { portal } = ctx;
  app.post(
    '/sql/lineage',
    {
      schema: {
        tags: ['lineage'],
        summary: 'Tables and columns a SQL statement or script reads and writes',
        body: SqlLineageBodySchema,
        response: { 200: SqlLineageWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const b = req.body;
      const options = {
        dialect: b.dialect ?? 'doris',
        ...(b.default_database && { defaultDatabase: b.default_database }),
      } as const;
      // Names resolve to registered tables by the sdk's one rule, in the same default database.
      const scope = { defaultDatabase: b.default_database ?? null };
      // Ambiguous is not unregistered (several tables answer to the name): `ambiguous`.
      const find = async (t: string) => {
        try {
          return await portal.findTable(t, scope);
        } catch (err) {
          if (isSdkError(err, 'AMBIGUOUS_TABLE')) return 'ambiguous' as const;
          throw err;
        }
      };
      let result = await analyzeSql(b.sql, options);
      const tables = [...new Set([...result.inputs, ...result.outputs])];
      if (result.warnings.some((w) => w.code === 'STAR_WITHOUT_SCHEMA')) {
        // Expand `SELECT *` from the registered fields of the tables the script touches.
        const schema: Record<string, string[]> = {};
        for (const t of tables) {
          const known = await find(t);
          if (known && known !== 'ambiguous')
            schema[t] = (await portal.getFields(known.id)).map((f) => f.name);
        }
        if (Object.keys(schema).length > 0)
          result = await analyzeSql(b.sql, { ...options, schema });
      }
      const unregistered: string[] = [];
      for (const t of tables) if (!(await find(t))) unregistered.push(t);
      return {
        ...(snakeDeep(result) as Record<string, unknown>),
        dialect: result.dialect,
        inputs: [...result.inputs],
        outputs: [...result.outputs],
        confidence: result.confidence,
        unregistered_tables: unregistered,
      };
    },
  );
};
