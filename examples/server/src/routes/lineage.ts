import { type ColumnEdge, LineageGraph, toColumnDot, toColumnMermaid } from '@dataportal/lineage';
import type { PortalService } from '@dataportal/sdk';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  dotOf,
  impactOf,
  layerViolations,
  lineageGraph,
  mermaidOf,
  pathBetween,
} from '../lineage/lineage-queries';
import { ERROR_RESPONSES, IdParamsSchema } from '../wire/common';
import {
  EdgeBodySchema,
  EdgeListQuerySchema,
  EdgeWireSchema,
  edgeToWire,
  GraphWireSchema,
  ImpactQuerySchema,
  ImpactWireSchema,
  LineageQuerySchema,
  PathQuerySchema,
  PathWireSchema,
  ViolationsWireSchema,
  violationToWire,
} from '../wire/lineage';
import {
  DiffQuerySchema,
  DiffWireSchema,
  DriftQuerySchema,
  DriftWireSchema,
  diffToWire,
  driftToWire,
} from '../wire/lineage-history';
import type { RouteContext } from './route-context';

/**
 * The graph as it was at an instant: a table's neighbourhood walked through the history
 * indexes (a few queries), or every edge valid then when no table is given.
 */
async function graphAsOf(
  portal: PortalService,
  asOf: Date,
  query: {
    readonly table?: string;
    readonly direction: 'upstream' | 'downstream' | 'both';
    readonly depth?: number;
  },
): Promise<LineageGraph> {
  if (query.table === undefined) return portal.lineageGraphAsOf(asOf);
  const edges = await portal.lineageAsOf({ asOf, ...query, table: query.table });
  const names = new Set<string>([query.table.toLowerCase()]);
  for (const e of edges) names.add(e.source).add(e.target);
  const nodes = [];
  for (const id of names) {
    const t = await portal.findTable(id);
    nodes.push({ id, kind: 'table', ...(t && { layer: t.layer }) });
  }
  return LineageGraph.fromEdges(
    edges.map((e) => ({
      source: e.source,
      target: e.target,
      provenance: e.provenance,
      ...(e.columns.length > 0 && { columns: [...e.columns] }),
    })),
    nodes,
  );
}

/** One edge per table pair with the union of its column pairs (from every task and provenance). */
function columnEdges(
  graph: LineageGraph,
): Array<ColumnEdge & { columns: Array<{ source: string; target: string }> }> {
  const byPair = new Map<
    string,
    { source: string; target: string; columns: Array<{ source: string; target: string }> }
  >();
  for (const e of graph.edges()) {
    const k = `${e.source}\u0000${e.target}`;
    let entry = byPair.get(k);
    if (entry === undefined) {
      entry = { source: e.source, target: e.target, columns: [] };
      byPair.set(k, entry);
    }
    for (const c of e.columns ?? []) {
      if (!entry.columns.some((x) => x.source === c.source && x.target === c.target)) {
        entry.columns.push({ source: c.source, target: c.target });
      }
    }
  }
  return [...byPair.values()];
}

/**
 * Lineage: the graph (whole or around a table, as JSON, Mermaid or DOT), impact analysis,
 * paths, layer-rule violations, and manual edges.
 *
 * @param app - the Fastify instance (zod type provider)
 * @param ctx - the portal
 * @example
 * ```ts
 * await app.register(lineageRoutes, { prefix: '/api/v1', portal, callbackAuth });
 * ```
 */
export const lineageRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { portal } = ctx;
  const impactAnswers = new WeakMap<LineageGraph, Map<string, string>>();
  const tags = ['lineage'];
  // A table named in a query resolves like everywhere else (`ods_user`, `ods.ods_user`): to the
  // registered name, which is what the graph's nodes are called.
  const registered = async (name: string): Promise<string> => {
    const key = name.trim().toLowerCase();
    return (await portal.resolveTableNames([key])).get(key) ?? key;
  };

  app.get(
    '/lineage',
    {
      schema: {
        tags,
        summary: 'The lineage graph: {nodes:[{id, layer}], edges:[{source, target}]}',
        description:
          'With `table`, only its neighbourhood (`direction` upstream|downstream|both, `depth` ' +
          'hops). `format=mermaid` or `format=dot` answer text/plain.',
        querystring: LineageQuerySchema,
        response: {
          200: z.union([
            GraphWireSchema,
            z.string().describe('Mermaid or DOT source (text/plain)'),
          ]),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const direction =
        q.direction === 'up' ? 'upstream' : q.direction === 'down' ? 'downstream' : q.direction;
      const query = {
        ...(q.table !== undefined && { table: await registered(q.table) }),
        direction,
        ...(q.depth !== undefined && { depth: q.depth }),
      };
      const source =
        q.as_of === undefined
          ? await portal.lineageGraph()
          : await graphAsOf(portal, new Date(q.as_of), query);
      const { json, graph } = lineageGraph(source, query);
      if (q.level === 'column') {
        const edges = columnEdges(graph);
        if (q.format === 'json') return { nodes: json.nodes, edges };
        reply.type('text/plain; charset=utf-8');
        return reply.send(q.format === 'mermaid' ? toColumnMermaid(edges) : toColumnDot(edges));
      }
      if (q.format === 'json') return json;
      reply.type('text/plain; charset=utf-8');
      return reply.send(q.format === 'mermaid' ? mermaidOf(graph) : dotOf(graph));
    },
  );

  app.get(
    '/lineage/diff',
    {
      schema: {
        tags,
        summary: 'What changed in the lineage between two instants (added, removed, changed edges)',
        description:
          'Each edge version names the task and the task version that made it. Reads only the ' +
          'versions that started or ended between `from` and `to` (default now).',
        querystring: DiffQuerySchema,
        response: { 200: DiffWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => diffToWire(await portal.lineageDiff(req.query.from, req.query.to ?? new Date())),
  );

  app.get(
    '/lineage/drift',
    {
      schema: {
        tags,
        summary: "A task's declared vs parsed (SQL) vs observed (OpenLineage) lineage",
        querystring: DriftQuerySchema,
        response: { 200: DriftWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const ref = /^\d+$/.test(req.query.task) ? Number(req.query.task) : req.query.task;
      return driftToWire(await portal.lineageDrift(ref));
    },
  );

  app.get(
    '/lineage/impact',
    {
      schema: {
        tags,
        summary: 'What a change to a table affects downstream (tables, tasks, owners)',
        querystring: ImpactQuerySchema,
        response: { 200: ImpactWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      // The graph is immutable per version, so an answer is kept (serialised) for that version:
      // repeated impact requests cost a map lookup, not a walk and a serialisation.
      const graph = await portal.lineageGraph();
      let answers = impactAnswers.get(graph);
      if (!answers) {
        answers = new Map();
        impactAnswers.set(graph, answers);
      }
      const table = await registered(req.query.table);
      const key = `${table}\u0000${req.query.depth ?? ''}`;
      let json = answers.get(key);
      if (json === undefined) {
        const answer = await impactOf(
          graph,
          {
            table,
            ...(req.query.depth !== undefined && { depth: req.query.depth }),
          },
          async (names) => {
            const tasks = await portal.lineageTasks();
            return names.flatMap((n) => tasks.get(n) ?? []);
          },
        );
        json = JSON.stringify(ImpactWireSchema.parse(answer));
        if (answers.size >= 256) answers.delete(answers.keys().next().value ?? '');
        answers.set(key, json);
      }
      // A JSON string with a JSON content type is sent as is (Fastify skips the serializer).
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );

  app.get(
    '/lineage/path',
    {
      schema: {
        tags,
        summary: 'A shortest path from one table to another (null when none)',
        querystring: PathQuerySchema,
        response: { 200: PathWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { max_depth } = req.query;
      const from = await registered(req.query.from);
      const to = await registered(req.query.to);
      return {
        from,
        to,
        path: pathBetween(await portal.lineageGraph(), {
          from,
          to,
          ...(max_depth !== undefined && { maxDepth: max_depth }),
        }),
      };
    },
  );

  app.get(
    '/lineage/violations',
    {
      schema: {
        tags,
        summary: 'Layer-rule violations (e.g. DWS feeding ODS) and cycles',
        response: { 200: ViolationsWireSchema, ...ERROR_RESPONSES },
      },
    },
    async () => {
      const r = layerViolations(await portal.lineageGraph());
      return { violations: r.violations.map(violationToWire), cycles: r.cycles };
    },
  );

  app.get(
    '/lineage/edges',
    {
      schema: {
        tags,
        summary: 'Stored lineage edges with task, provenance and column pairs',
        querystring: EdgeListQuerySchema,
        response: { 200: z.object({ items: z.array(EdgeWireSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (req) => ({
      items: (
        await portal.listLineageEdges(
          req.query.table === undefined ? {} : { table: req.query.table },
        )
      ).map(edgeToWire),
    }),
  );

  app.post(
    '/lineage/edges',
    {
      schema: {
        tags,
        summary: 'Add a manual lineage edge (refused when it closes a cycle)',
        body: EdgeBodySchema,
        response: { 201: EdgeWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const edge = await portal.addLineageEdge({
        source: req.body.source,
        target: req.body.target,
        ...(req.body.provenance && { provenance: req.body.provenance }),
        ...(req.body.columns && { columns: req.body.columns }),
      });
      return reply.code(201).send(edgeToWire(edge));
    },
  );

  app.delete(
    '/lineage/edges/:id',
    {
      schema: {
        tags,
        summary: 'Remove a manual lineage edge',
        params: IdParamsSchema,
        response: { 204: z.null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      await portal.removeLineageEdge(req.params.id);
      return reply.code(204).send(null);
    },
  );
};
