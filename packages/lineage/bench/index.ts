/**
 * Benchmarks of @dataportal/lineage against two references on the same graphs and queries, in
 * the same process, plus SQL lineage throughput over the golden corpus.
 *
 *   npm run bench -w @dataportal/lineage            # 10k and 100k tables (a few minutes)
 *   LINEAGE_BENCH_1M=1 npm run bench -w @dataportal/lineage   # adds 1M tables
 *   LINEAGE_BENCH_SQL=0 npm run bench -w @dataportal/lineage  # graphs only
 *
 * The references (bench/references.ts): fair graphology — a plain BFS over its neighbour
 * iterators, the best ordinary use of the library — and a minimal typed-array CSR BFS, the
 * physical limit. Every side is warmed up, every result is consumed into a checksum (tables
 * reached, sum of distances) that must agree across sides, and µs-scale queries are timed over
 * batches of calls, never one reading per call. Times are CPU time of the process
 * (`process.cpuUsage`), so a shared, busy machine does not add the time it was not scheduled.
 *
 * Budgets (DESIGN.md §8 and issue 20): build 100k/300k ≤ 0.5 s and ≤ 40 MB; 3-hop p95 ≤ 1 ms;
 * closure reaching 60k ≤ 20 ms; every traversal within 1.5× of the CSR reference; closures at
 * 100k ≥ 3× fair graphology; SQL ≤ 5 ms per statement.
 */
import Graph from 'graphology';
import { hasCycle as gHasCycle, topologicalSort as gTopologicalSort } from 'graphology-dag';
import {
  createSqlAnalyzer,
  downstream,
  hasCycle,
  type LineageEdge,
  LineageGraph,
  type LineageNode,
  type SqlDialect,
  topologicalSort,
  upstream,
} from '../src/index';
import { loadCorpus } from '../test/corpus/load-corpus';
import { generateDeepDag, generateWarehouse } from './generate-warehouse';
import {
  buildCsr,
  type Checksum,
  type Csr,
  csrBfs,
  csrTopologicalOrder,
  type Dir,
  graphologyBfs,
} from './references';

const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (x: number): string =>
  x < 0.01
    ? `${(x * 1000).toFixed(2)} µs`
    : x < 1
      ? `${(x * 1000).toFixed(1)} µs`
      : `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const median = (xs: number[]): number => pct(xs, 50);

const time = (fn: () => unknown): number => {
  const t0 = cpu();
  fn();
  return cpu() - t0;
};

/**
 * A full collection before each side is timed, so no side pays for the garbage another side left
 * (a graphology build leaves tens of MB that would otherwise be collected in the next timing).
 */
const settle = (): void => {
  gc?.();
  gc?.();
};

/**
 * CPU milliseconds of this process (user + system). The machines that run this benchmark are
 * shared, so wall-clock readings include time the process was not even scheduled; CPU time
 * does not.
 */
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU milliseconds per call of `fn` over `reps` calls (one reading for the whole batch). */
function perCall(fn: () => void, reps: number): number {
  const t0 = cpu();
  for (let r = 0; r < reps; r++) fn();
  return (cpu() - t0) / reps;
}

/** CPU milliseconds per call: batches of at least ~20 ms, the median of five. */
function steady(fn: () => void): number {
  let reps = 1;
  while (perCall(fn, reps) * reps < 20 && reps < 1 << 20) reps *= 2;
  const batches: number[] = [];
  for (let b = 0; b < 5; b++) batches.push(perCall(fn, reps));
  return median(batches);
}

interface Row {
  size: string;
  metric: string;
  ours: string;
  graphology: string;
  csr: string;
  vsGraphology: string;
  vsCsr: string;
  budget: string;
}
const rows: Row[] = [];
const row = (r: Row): void => {
  rows.push(r);
  process.stdout.write(
    `  ${r.metric.padEnd(36)} ours ${r.ours.padEnd(10)} graphology ${r.graphology.padEnd(10)} csr ${r.csr.padEnd(10)} g÷ours ${r.vsGraphology.padEnd(7)} ours÷csr ${r.vsCsr.padEnd(6)} ${r.budget}\n`,
  );
};
const x = (a: number, b: number): string =>
  Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(a / b < 10 ? 2 : 1)}×` : '';
/** A budget line that says whether it is met. */
const verdict = (text: string, ok: boolean): string => `${text} ${ok ? 'met' : 'MISSED'}`;

const checksums: string[] = [];
/** Records that every side reached the same tables at the same distances. */
function agree(query: string, sides: Record<string, Checksum>): void {
  const values = Object.values(sides).map((c) => `${c.count}/${c.distanceSum}`);
  const same = values.every((v) => v === values[0]);
  const line = `${query}: ${Object.entries(sides)
    .map(([k, c]) => `${k} ${c.count} tables, Σdistance ${c.distanceSum}`)
    .join('; ')}${same ? '' : '  <-- MISMATCH'}`;
  checksums.push(line);
  if (!same) process.exitCode = 1;
}
const add = (a: Checksum, b: Checksum): void => {
  a.count += b.count;
  a.distanceSum += b.distanceSum;
};
const zero = (): Checksum => ({ count: 0, distanceSum: 0 });

function oursWalk(g: LineageGraph, id: string, depth: number, dir: Dir): Checksum {
  const r = dir === 'out' ? downstream(g, id, { depth }) : upstream(g, id, { depth });
  let distanceSum = 0;
  for (const node of r.nodes) distanceSum += node.distance;
  return { count: r.nodes.length, distanceSum };
}

interface Sides {
  readonly ours: LineageGraph;
  readonly graphology: Graph;
  readonly csr: Csr;
}

function buildGraphology(nodes: ReadonlyArray<LineageNode>, edges: ReadonlyArray<LineageEdge>) {
  const g = new Graph({ type: 'directed', multi: false, allowSelfLoops: true });
  for (const node of nodes) g.addNode(node.id, { layer: node.layer, owner: node.owner });
  for (const e of edges)
    g.mergeEdge(e.source, e.target, { task: e.task, provenance: e.provenance });
  return g;
}

/** Build time (warm-up, then the median of three) and memory of each side. */
function benchBuild(
  label: string,
  nodes: ReadonlyArray<LineageNode>,
  edges: ReadonlyArray<LineageEdge>,
  big: boolean,
): Sides {
  const rounds = big ? 2 : 4;
  const measure = <T>(make: () => T): { value: T; time: number; memory: number } => {
    const times: number[] = [];
    let memory = 0;
    let value: T | undefined;
    for (let r = 0; r < rounds; r++) {
      value = undefined;
      const before = heap();
      const t0 = cpu();
      value = make();
      times.push(cpu() - t0);
      memory = heap() - before;
    }
    return { value: value as T, time: median(times.slice(1)), memory };
  };
  const ours = measure(() => {
    const g = LineageGraph.fromEdges(edges, nodes);
    g.index();
    return g;
  });
  const theirs = measure(() => buildGraphology(nodes, edges));
  const csr = measure(() => buildCsr(nodes, edges));
  const is100k = label === '100k';
  row({
    size: label,
    metric: 'build (index ready)',
    ours: ms(ours.time),
    graphology: ms(theirs.time),
    csr: ms(csr.time),
    vsGraphology: x(theirs.time, ours.time),
    vsCsr: x(ours.time, csr.time),
    budget: is100k ? verdict('≤ 500 ms', ours.time <= 500) : '',
  });
  row({
    size: label,
    metric: 'build memory (heap delta)',
    ours: mb(ours.memory),
    graphology: mb(theirs.memory),
    csr: mb(csr.memory),
    vsGraphology: x(theirs.memory, ours.memory),
    vsCsr: x(ours.memory, csr.memory),
    budget: is100k ? verdict('≤ 40 MB', ours.memory <= 40 * 1024 * 1024) : '',
  });
  return { ours: ours.value, graphology: theirs.value, csr: csr.value };
}

/** Short walks from many tables: mean over batches of all tables, p95 over per-table batches. */
function benchShortWalks(
  label: string,
  sides: Sides,
  picks: ReadonlyArray<string>,
  depth: number,
  dir: Dir,
): void {
  const name = `${depth}-hop ${dir === 'out' ? 'downstream' : 'upstream'}`;
  const ints = picks.map((p) => sides.csr.ids.get(p) as number);
  const run = {
    ours: (k: number) => oursWalk(sides.ours, picks[k] as string, depth, dir),
    graphology: (k: number) => graphologyBfs(sides.graphology, picks[k] as string, depth, dir),
    csr: (k: number) => csrBfs(sides.csr, ints[k] as number, depth, dir),
  };
  const sums: Record<string, Checksum> = {};
  const mean: Record<string, number> = {};
  const p95: Record<string, number> = {};
  for (const [side, fn] of Object.entries(run)) {
    settle();
    const sum = zero();
    for (let k = 0; k < picks.length; k++) add(sum, fn(k)); // warm-up, and the checksum
    sums[side] = sum;
    let sink = 0;
    mean[side] =
      steady(() => {
        for (let k = 0; k < picks.length; k++) sink += fn(k).count;
      }) / picks.length;
    // p95 per table: each table's walk repeated 50 times in one reading.
    const each: number[] = [];
    for (let k = 0; k < Math.min(picks.length, 300); k++) {
      each.push(
        perCall(() => {
          sink += fn(k).count;
        }, 50),
      );
    }
    p95[side] = pct(each, 95);
    if (sink < 0) process.stdout.write('');
  }
  agree(`${label} ${name} from ${picks.length} tables`, sums);
  const is100k = label === '100k';
  row({
    size: label,
    metric: `${name}, mean of ${picks.length}`,
    ours: ms(mean['ours'] as number),
    graphology: ms(mean['graphology'] as number),
    csr: ms(mean['csr'] as number),
    vsGraphology: x(mean['graphology'] as number, mean['ours'] as number),
    vsCsr: x(mean['ours'] as number, mean['csr'] as number),
    budget: verdict('≤ 1.5× csr', (mean['ours'] as number) <= 1.5 * (mean['csr'] as number)),
  });
  row({
    size: label,
    metric: `${name}, p95`,
    ours: ms(p95['ours'] as number),
    graphology: ms(p95['graphology'] as number),
    csr: ms(p95['csr'] as number),
    vsGraphology: x(p95['graphology'] as number, p95['ours'] as number),
    vsCsr: x(p95['ours'] as number, p95['csr'] as number),
    budget: is100k ? verdict('≤ 1 ms', (p95['ours'] as number) <= 1) : '',
  });
}

/** A full closure from one table: warm-up, then batches (see `steady`). */
function benchClosure(label: string, metric: string, sides: Sides, root: string): void {
  const id = sides.csr.ids.get(root) as number;
  const run = {
    ours: () => oursWalk(sides.ours, root, Number.POSITIVE_INFINITY, 'out'),
    graphology: () => graphologyBfs(sides.graphology, root, Number.POSITIVE_INFINITY, 'out'),
    csr: () => csrBfs(sides.csr, id, Number.POSITIVE_INFINITY, 'out'),
  };
  const sums: Record<string, Checksum> = {};
  const t: Record<string, number> = {};
  for (const [side, fn] of Object.entries(run)) {
    settle();
    for (let r = 0; r < 3; r++) sums[side] = fn();
    t[side] = steady(() => void fn());
  }
  const reach = (sums['ours'] as Checksum).count;
  agree(`${label} ${metric}`, sums);
  const is100k = label === '100k';
  const nearCsr = verdict('≤ 1.5× csr', (t['ours'] as number) <= 1.5 * (t['csr'] as number));
  const overGraphology = verdict(
    '≥ 3× graphology',
    (t['graphology'] as number) >= 3 * (t['ours'] as number),
  );
  row({
    size: label,
    metric: `${metric} (reaches ${reach})`,
    ours: ms(t['ours'] as number),
    graphology: ms(t['graphology'] as number),
    csr: ms(t['csr'] as number),
    vsGraphology: x(t['graphology'] as number, t['ours'] as number),
    vsCsr: x(t['ours'] as number, t['csr'] as number),
    budget: is100k ? `${nearCsr}; ${overGraphology}` : nearCsr,
  });
}

/** Whole-graph analyses: warm-up, then batches (see `steady`). */
function benchWhole(label: string, sides: Sides): void {
  const time3 = (fn: () => unknown): number => {
    settle();
    fn();
    return steady(() => void fn());
  };
  const g = sides.ours;
  const anyNode = g.nodes()[0] as string;
  // Uncached: touching a node clears cached analyses but keeps the index.
  const oursCycle = time3(() => {
    g.addNode(anyNode);
    return hasCycle(g);
  });
  const theirCycle = time3(() => gHasCycle(sides.graphology));
  const csrCycle = time3(() => csrTopologicalOrder(sides.csr) === null);
  row({
    size: label,
    metric: 'cycle check (whole graph)',
    ours: ms(oursCycle),
    graphology: ms(theirCycle),
    csr: ms(csrCycle),
    vsGraphology: x(theirCycle, oursCycle),
    vsCsr: x(oursCycle, csrCycle),
    budget: '',
  });
  const oursTopo = time3(() => topologicalSort(g));
  const theirTopo = time3(() => gTopologicalSort(sides.graphology));
  const csrTopo = time3(() => csrTopologicalOrder(sides.csr));
  row({
    size: label,
    metric: 'topological sort',
    ours: ms(oursTopo),
    graphology: ms(theirTopo),
    csr: ms(csrTopo),
    vsGraphology: x(theirTopo, oursTopo),
    vsCsr: x(oursTopo, csrTopo),
    budget: '',
  });
}

function benchGraph(n: number): void {
  const label = n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
  const big = n >= 1_000_000;
  process.stdout.write(`\n== ${label} tables ==\n`);
  const { nodes, edges } = generateWarehouse(n);
  process.stdout.write(`  generated ${nodes.length} tables, ${edges.length} edges\n`);
  const sides = benchBuild(label, nodes, edges, big);

  const picks: string[] = [];
  let seed = 7;
  for (let i = 0; i < 1000; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    picks.push((nodes[seed % nodes.length] as LineageNode).id);
  }
  benchShortWalks(label, sides, picks, 3, 'out');
  benchShortWalks(label, sides, picks, 3, 'in');

  // Full downstream closure from the table with the largest reach among the first 200 tables.
  let root = (nodes[0] as LineageNode).id;
  let reach = 0;
  for (const cand of nodes.slice(0, 200)) {
    const r = csrBfs(sides.csr, sides.csr.ids.get(cand.id) as number, Infinity, 'out').count;
    if (r > reach) {
      reach = r;
      root = cand.id;
    }
  }
  benchClosure(label, 'closure, hub table', sides, root);

  // Worst-case closure: a deep DAG where one table reaches most of the graph (graph B).
  const deep = generateDeepDag(n, 20, big ? 2 : 3);
  const deepSides: Sides = {
    ours: LineageGraph.fromEdges(deep.edges, deep.nodes),
    graphology: buildGraphology(deep.nodes, deep.edges),
    csr: buildCsr(deep.nodes, deep.edges),
  };
  deepSides.ours.index();
  let droot = (deep.nodes[0] as LineageNode).id;
  let dreach = 0;
  for (const cand of deep.nodes.slice(0, 20)) {
    const r = csrBfs(deepSides.csr, deepSides.csr.ids.get(cand.id) as number, Infinity, 'out');
    if (r.count > dreach) {
      dreach = r.count;
      droot = cand.id;
    }
  }
  benchClosure(label, 'closure, deep DAG', deepSides, droot);
  benchWhole(label, sides);
}

async function benchSql(): Promise<void> {
  process.stdout.write('\n== SQL lineage over the golden corpus ==\n');
  const t0 = cpu();
  const analyzer = await createSqlAnalyzer();
  const load = cpu() - t0;
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
  const t1 = cpu();
  for (let r = 0; r < rounds; r++) for (const c of cases) perCase.push(time(() => analyze(c)));
  const total = cpu() - t1;
  const perStatement = total / (statements * rounds);
  row({
    size: 'sql',
    metric: 'parser load (first use)',
    ours: ms(load),
    graphology: '',
    csr: '',
    vsGraphology: '',
    vsCsr: '',
    budget: '',
  });
  row({
    size: 'sql',
    metric: `first pass: ${cases.length} cases, ${statements} statements`,
    ours: ms(cold),
    graphology: '',
    csr: '',
    vsGraphology: '',
    vsCsr: '',
    budget: '',
  });
  row({
    size: 'sql',
    metric: 'statements / second (warm)',
    ours: `${Math.round(1000 / perStatement)}`,
    graphology: '',
    csr: '',
    vsGraphology: '',
    vsCsr: '',
    budget: '',
  });
  row({
    size: 'sql',
    metric: 'mean per statement (warm)',
    ours: ms(perStatement),
    graphology: '',
    csr: '',
    vsGraphology: '',
    vsCsr: '',
    budget: '≤ 5 ms',
  });
  row({
    size: 'sql',
    metric: 'per case (script) p50 / p95',
    ours: `${ms(pct(perCase, 50))} / ${ms(pct(perCase, 95))}`,
    graphology: '',
    csr: '',
    vsGraphology: '',
    vsCsr: '',
    budget: '',
  });
}

async function main(): Promise<void> {
  if (gc === undefined) process.stdout.write('(run with --expose-gc for memory figures)\n');
  const big = process.env['LINEAGE_BENCH_1M'] === '1' || process.argv.includes('--1m');
  benchGraph(10_000);
  benchGraph(100_000);
  if (big) benchGraph(1_000_000);
  if (process.env['LINEAGE_BENCH_SQL'] !== '0') await benchSql();
  process.stdout.write(
    '\nchecksums (every side must reach the same tables at the same distances):\n',
  );
  for (const line of checksums) process.stdout.write(`  ${line}\n`);
  process.stdout.write(
    '\n| size | query | @dataportal/lineage | graphology (plain BFS) | CSR reference | graphology ÷ ours | ours ÷ CSR | budget |\n|---|---|---|---|---|---|---|---|\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `| ${r.size} | ${r.metric} | ${r.ours} | ${r.graphology} | ${r.csr} | ${r.vsGraphology} | ${r.vsCsr} | ${r.budget} |\n`,
    );
  }
}

await main();
