import type { LineageEdge, LineageNode } from '../src/index';

/** Options of {@link generateWarehouse}. */
export interface WarehouseOptions {
  /** Average number of upstream edges per table over the whole graph. */
  readonly edgesPerTable?: number;
  /** Share of each layer's tables that are hubs (popular upstream tables). */
  readonly hubShare?: number;
  /** Probability that a parent pick goes to a hub. */
  readonly hubPick?: number;
  readonly seed?: number;
}

/** A deterministic 32-bit PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LAYERS: ReadonlyArray<readonly [string, number]> = [
  ['ODS', 0.4],
  ['DWD', 0.3],
  ['DIM', 0.1],
  ['DWS', 0.15],
  ['ADS', 0.05],
];

/**
 * A layered warehouse: 40 % ODS, 30 % DWD, 10 % DIM, 15 % DWS, 5 % ADS tables. Every non-ODS table
 * reads from earlier tables of its own or lower layers (ADS never straight from ODS); a share of
 * the picks goes to hub tables, as in real warehouses where a few fact and dimension tables feed
 * most jobs. Deterministic for a given seed.
 */
export function generateWarehouse(
  n: number,
  options: WarehouseOptions = {},
): { nodes: LineageNode[]; edges: LineageEdge[] } {
  const rand = prng(options.seed ?? 42);
  const perTable = options.edgesPerTable ?? 3;
  const hubShare = options.hubShare ?? 0.01;
  const hubPick = options.hubPick ?? 0.2;
  const nodes: LineageNode[] = [];
  const layerStart: Record<string, number> = {};
  const hubs: number[] = [];
  let at = 0;
  for (const [layer, share] of LAYERS) {
    const count = layer === 'ADS' ? n - at : Math.round(n * share);
    layerStart[layer] = at;
    const hubCount = Math.max(1, Math.round(count * hubShare));
    for (let k = 0; k < count; k++) {
      const i = at + k;
      nodes.push({
        id: `${layer.toLowerCase()}.t${String(i).padStart(7, '0')}`,
        layer,
        owner: `team${i % 37}`,
      });
      if (k < hubCount) hubs.push(i);
    }
    at += count;
  }
  const nonOds = n - (layerStart['DWD'] as number);
  const avgParents = (perTable * n) / nonOds;
  const edges: LineageEdge[] = [];
  for (let i = layerStart['DWD'] as number; i < n; i++) {
    const layer = nodes[i]?.layer as string;
    const lo = layer === 'ADS' ? (layerStart['DWD'] as number) : 0;
    const k = 1 + Math.floor(rand() * (2 * avgParents - 1));
    const seen = new Set<number>();
    for (let j = 0; j < k; j++) {
      let p: number;
      if (rand() < hubPick) {
        p = hubs[Math.floor(rand() * hubs.length)] as number;
        if (p >= i || p < lo) p = lo + Math.floor(rand() * (i - lo));
      } else {
        p = lo + Math.floor(rand() * (i - lo));
      }
      if (seen.has(p)) continue;
      seen.add(p);
      edges.push({
        source: nodes[p]?.id as string,
        target: nodes[i]?.id as string,
        task: `job_${i}`,
        provenance: 'declared',
      });
    }
  }
  return { nodes, edges };
}

/**
 * The worst case for closures: `layers` equal layers, every table reads `parents` random tables
 * of the previous layer, so one first-layer table reaches most of the graph (the "graph B" of
 * the reference measurements: 100k tables, 20 layers, 3 parents reach about 60k tables).
 */
export function generateDeepDag(
  n: number,
  layers: number,
  parents: number,
  seed = 11,
): { nodes: LineageNode[]; edges: LineageEdge[] } {
  const rand = prng(seed);
  const per = Math.floor(n / layers);
  const nodes: LineageNode[] = [];
  for (let i = 0; i < per * layers; i++) nodes.push({ id: `l${Math.floor(i / per)}.t${i}` });
  const edges: LineageEdge[] = [];
  for (let l = 1; l < layers; l++) {
    for (let k = 0; k < per; k++) {
      const target = nodes[l * per + k]?.id as string;
      for (let j = 0; j < parents; j++) {
        const source = nodes[(l - 1) * per + Math.floor(rand() * per)]?.id as string;
        edges.push({ source, target });
      }
    }
  }
  return { nodes, edges };
}
