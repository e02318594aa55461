/**
 * Benchmarks of @dataportal/lineage against graphology on the same graphs and queries, in the
 * same process, plus SQL lineage throughput over the golden corpus.
 *
 *   npm run bench -w @dataportal/lineage            # 10k and 100k tables (about a minute)
 *   LINEAGE_BENCH_1M=1 npm run bench -w @dataportal/lineage   # adds 1M tables
 *
 * Budgets (DESIGN.md §8): build 100k ≤ 1 s; 3-hop p95 ≤ 1 ms; closure reaching 60k ≤ 20 ms;
 * ≥ 10× graphology on closure and build; SQL ≤ 5 ms per statement.
 */
import Graph from 'graphology';
import { hasCycle as gHasCycle, topologicalSort as gTopologicalSort } from 'graphology-dag';
import { bfsFromNode } from 'graphology-traversal';
import {
  createSqlAnalyzer,
  downstream,
  hasCycle,
  LineageGraph,
  type SqlDialect,
  topologicalSort,
} from '../src/index';
import { loadCorpus } from '../test/corpus/load-corpus';
import { generateDeepDag, generateWarehouse } from './generate-warehouse';

const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (x: number): string =>
  x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const median = (xs: number[]): number => pct(xs, 50);
const time = (fn: () => unknown): number => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

interface Row {
  size: string;
  metric: string;
  ours: string;
  graphology: string;
  ratio: string;
  budget: string;
}
const rows: Row[] = [];
const row = (r: Row): void => {
  rows.push(r);
  process.stdout.write(
    `  ${r.metric.padEnd(34)} ours ${r.ours.padEnd(22)} graphology ${r.graphology.padEnd(22)} ${r.ratio}\n`,
  );
};
const ratio = (theirs: number, ours: number): string => `${(theirs / ours).toFixed(1)}×`;

function benchGraph(n: number, withGraphology: boolean): void {
  const label = n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
  process.stdout.write(`\n== ${label} tables ==\n`);
  const { nodes, edges } = generateWarehouse(n);
  process.stdout.write(`  generated ${nodes.length} tables, ${edges.length} edges\n`);

  // Build: best of 3 (median), memory of the last build.
  let graph = new LineageGraph();
  const buildTimes: number[] = [];
  let ourMem = 0;
  // One warm-up build (JIT) for each library, then the median of three.
  for (let r = 0; r < (n >= 1_000_000 ? 1 : 4); r++) {
    graph = new LineageGraph();
    const before = heap();
    buildTimes.push(
      time(() => {
        graph = LineageGraph.fromEdges(edges, nodes);
        graph.index();
      }),
    );
    ourMem = heap() - before;
  }
  let gg: Graph | undefined;
  const gBuildTimes: number[] = [];
  let gMem = 0;
  if (withGraphology) {
    for (let r = 0; r < (n >= 1_000_000 ? 1 : 4); r++) {
      gg = undefined;
      const before = heap();
      gBuildTimes.push(
        time(() => {
          const g = new Graph({ type: 'directed', multi: false, allowSelfLoops: true });
          for (const node of nodes) g.addNode(node.id, { layer: node.layer, owner: node.owner });
          for (const e of edges) {
            g.mergeEdge(e.source, e.target, { task: e.task, provenance: e.provenance });
          }
          gg = g;
        }),
      );
      gMem = heap() - before;
    }
  }
  const ob = median(n >= 1_000_000 ? buildTimes : buildTimes.slice(1));
  const gb = withGraphology
    ? median(n >= 1_000_000 ? gBuildTimes : gBuildTimes.slice(1))
    : Number.NaN;
  row({
    size: label,
    metric: 'build (index ready)',
    ours: ms(ob),
    graphology: withGraphology ? ms(gb) : 'skipped',
    ratio: withGraphology ? ratio(gb, ob) : '',
    budget: n === 100_000 ? '≤ 1 s, ≥ 10×' : '',
  });
  row({
    size: label,
    metric: 'build memory (heap delta)',
    ours: mb(ourMem),
    graphology: withGraphology ? mb(gMem) : 'skipped',
    ratio: withGraphology ? ratio(gMem, ourMem) : '',
    budget: '',
  });

  // 3-hop downstream from 1000 random tables (same tables for both).
  const picks: string[] = [];
  let seed = 7;
  for (let i = 0; i < 1000; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    picks.push((nodes[seed % nodes.length] as { id: string }).id);
  }
  for (const p of picks.slice(0, 50)) downstream(graph, p, { depth: 3 });
  const ours3: number[] = picks.map((p) => time(() => downstream(graph, p, { depth: 3 })));
  let theirs3: number[] = [];
  if (gg !== undefined) {
    const g = gg;
    const hop3 = (p: string): number => {
      let count = 0;
      bfsFromNode(
        g,
        p,
        (_node, _attr, depth) => {
          if (depth > 3) return true;
          count++;
          return depth === 3;
        },
        { mode: 'outbound' },
      );
      return count;
    };
    for (const p of picks.slice(0, 50)) hop3(p);
    theirs3 = picks.map((p) => time(() => hop3(p)));
  }
  row({
    size: label,
    metric: '3-hop downstream p50',
    ours: ms(pct(ours3, 50)),
    graphology: gg ? ms(pct(theirs3, 50)) : 'skipped',
    ratio: gg ? ratio(pct(theirs3, 50), pct(ours3, 50)) : '',
    budget: '',
  });
  row({
    size: label,
    metric: '3-hop downstream p95',
    ours: ms(pct(ours3, 95)),
    graphology: gg ? ms(pct(theirs3, 95)) : 'skipped',
    ratio: gg ? ratio(pct(theirs3, 95), pct(ours3, 95)) : '',
    budget: n === 100_000 ? '≤ 1 ms' : '',
  });

  // Full downstream closure from the table with the largest reach among the hub candidates.
  let root = (nodes[0] as { id: string }).id;
  let reach = 0;
  for (const cand of nodes.slice(0, 200)) {
    const r = downstream(graph, cand.id).nodes.length;
    if (r > reach) {
      reach = r;
      root = cand.id;
    }
  }
  const oursC: number[] = [];
  for (let r = 0; r < 7; r++) oursC.push(time(() => downstream(graph, root)));
  const theirsC: number[] = [];
  if (gg !== undefined) {
    const g = gg;
    for (let r = 0; r < 7; r++) {
      theirsC.push(
        time(() => {
          const seen: string[] = [];
          bfsFromNode(
            g,
            root,
            (node) => {
              seen.push(node);
            },
            { mode: 'outbound' },
          );
        }),
      );
    }
  }
  row({
    size: label,
    metric: `closure, hub table (reaches ${reach})`,
    ours: ms(median(oursC)),
    graphology: gg ? ms(median(theirsC)) : 'skipped',
    ratio: gg ? ratio(median(theirsC), median(oursC)) : '',
    budget: '',
  });

  // Worst-case closure: a deep DAG where one table reaches most of the graph (graph B).
  {
    const deep = generateDeepDag(n, 20, n >= 1_000_000 ? 2 : 3);
    const dg = LineageGraph.fromEdges(deep.edges, deep.nodes);
    dg.index();
    let droot = (deep.nodes[0] as { id: string }).id;
    let dreach = 0;
    for (const cand of deep.nodes.slice(0, 20)) {
      const r = downstream(dg, cand.id).nodes.length;
      if (r > dreach) {
        dreach = r;
        droot = cand.id;
      }
    }
    const oursD: number[] = [];
    for (let r = 0; r < 7; r++) oursD.push(time(() => downstream(dg, droot)));
    const theirsD: number[] = [];
    if (withGraphology) {
      const g = new Graph({ type: 'directed', multi: false });
      for (const node of deep.nodes) g.addNode(node.id);
      for (const e of deep.edges) g.mergeEdge(e.source, e.target);
      for (let r = 0; r < 7; r++) {
        theirsD.push(
          time(() => {
            const seen: string[] = [];
            bfsFromNode(
              g,
              droot,
              (node) => {
                seen.push(node);
              },
              { mode: 'outbound' },
            );
          }),
        );
      }
    }
    row({
      size: label,
      metric: `closure, deep DAG (reaches ${dreach})`,
      ours: ms(median(oursD)),
      graphology: withGraphology ? ms(median(theirsD)) : 'skipped',
      ratio: withGraphology ? ratio(median(theirsD), median(oursD)) : '',
      budget: n === 100_000 ? '≤ 20 ms at 60k, ≥ 10×' : '',
    });
  }

  // Cycle check (uncached: touching a node clears cached analyses but keeps the index).
  const oursCy: number[] = [];
  for (let r = 0; r < 3; r++) {
    graph.addNode(root);
    oursCy.push(time(() => hasCycle(graph)));
  }
  const theirsCy: number[] = [];
  if (gg !== undefined) {
    const g = gg;
    for (let r = 0; r < 3; r++) theirsCy.push(time(() => gHasCycle(g)));
  }
  row({
    size: label,
    metric: 'cycle check (whole graph)',
    ours: ms(median(oursCy)),
    graphology: gg ? ms(median(theirsCy)) : 'skipped',
    ratio: gg ? ratio(median(theirsCy), median(oursCy)) : '',
    budget: '',
  });

  const oursT: number[] = [];
  for (let r = 0; r < 3; r++) oursT.push(time(() => topologicalSort(graph)));
  const theirsT: number[] = [];
  if (gg !== undefined) {
    const g = gg;
    for (let r = 0; r < 3; r++) theirsT.push(time(() => gTopologicalSort(g)));
  }
  row({
    size: label,
    metric: 'topological sort',
    ours: ms(median(oursT)),
    graphology: gg ? ms(median(theirsT)) : 'skipped',
    ratio: gg ? ratio(median(theirsT), median(oursT)) : '',
    budget: '',
  });
}

async function benchSql(): Promise<void> {
  process.stdout.write('\n== SQL lineage over the golden corpus ==\n');
  const t0 = performance.now();
  const analyzer = await createSqlAnalyzer();
  const load = performance.now() - t0;
  const dialects: SqlDialect[] = ['mysql', 'doris', 'hive', 'flink'];
  const cases = dialects.flatMap((d) => loadCorpus(d));
  const analyze = (c: (typeof cases)[number]) =>
    analyzer.analyze(c.sql, {
      dialect: c.dialect,
      ...(c.schema === undefined ? {} : { schema: c.schema }),
      ...(c.variables === undefined ? {} : { variables: c.variables }),
      ...(c.defaultDatabase === undefined ? {} : { defaultDatabase: c.defaultDatabase }),
    });
  let statements = 0;
  const cold = time(() => {
    for (const c of cases) statements += analyze(c).statements.length;
  });
  const perCase: number[] = [];
  const rounds = 5;
  const t1 = performance.now();
  for (let r = 0; r < rounds; r++) for (const c of cases) perCase.push(time(() => analyze(c)));
  const total = performance.now() - t1;
  const perStatement = total / (statements * rounds);
  row({
    size: 'sql',
    metric: 'parser load (first use)',
    ours: ms(load),
    graphology: '',
    ratio: '',
    budget: '',
  });
  row({
    size: 'sql',
    metric: `first pass: ${cases.length} cases, ${statements} statements`,
    ours: ms(cold),
    graphology: '',
    ratio: '',
    budget: '',
  });
  row({
    size: 'sql',
    metric: 'statements / second (warm)',
    ours: `${Math.round(1000 / perStatement)}`,
    graphology: '',
    ratio: '',
    budget: '',
  });
  row({
    size: 'sql',
    metric: 'mean per statement (warm)',
    ours: ms(perStatement),
    graphology: '',
    ratio: '',
    budget: '≤ 5 ms',
  });
  row({
    size: 'sql',
    metric: 'per case (script) p50 / p95',
    ours: `${ms(pct(perCase, 50))} / ${ms(pct(perCase, 95))}`,
    graphology: '',
    ratio: '',
    budget: '',
  });
}

async function main(): Promise<void> {
  if (gc === undefined) process.stdout.write('(run with --expose-gc for memory figures)\n');
  const big = process.env['LINEAGE_BENCH_1M'] === '1' || process.argv.includes('--1m');
  benchGraph(10_000, true);
  benchGraph(100_000, true);
  if (big) benchGraph(1_000_000, process.env['LINEAGE_BENCH_1M_GRAPHOLOGY'] !== '0');
  await benchSql();
  process.stdout.write(
    '\n| size | metric | @dataportal/lineage | graphology | graphology ÷ ours | budget |\n|---|---|---|---|---|---|\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `| ${r.size} | ${r.metric} | ${r.ours} | ${r.graphology} | ${r.ratio} | ${r.budget} |\n`,
    );
  }
}

await main();
