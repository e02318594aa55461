/**
 * The bench's demo graph: `tables` tables spread over the five layers and `edges` edges that
 * only flow forward (ODS → DWD/DIM → DWS → ADS), from a seeded generator so every run lays out
 * the same graph.
 */
export interface DemoGraph {
  nodes: { id: string; layer: 'ODS' | 'DWD' | 'DIM' | 'DWS' | 'ADS' }[];
  edges: { source: string; target: string }[];
}

export function demoGraph(tables = 2000, edges = 5000, seed = 42): DemoGraph {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const shares = [
    ['ODS', 0.3],
    ['DWD', 0.25],
    ['DIM', 0.1],
    ['DWS', 0.2],
    ['ADS', 0.15],
  ] as const;
  const rank: Record<string, number> = { ODS: 0, DWD: 1, DIM: 1, DWS: 2, ADS: 3 };
  const nodes: DemoGraph['nodes'] = [];
  for (const [layer, share] of shares) {
    const n = Math.round(tables * share);
    for (let i = 0; i < n && nodes.length < tables; i++) {
      nodes.push({ id: `${layer.toLowerCase()}_t${String(i).padStart(4, '0')}`, layer });
    }
  }
  const byRank = [0, 1, 2, 3].map((r) => nodes.filter((n) => rank[n.layer] === r));
  const seen = new Set<string>();
  const out: DemoGraph['edges'] = [];
  let guard = 0;
  while (out.length < edges && guard++ < edges * 20) {
    const r = Math.floor(rand() * 3);
    const from = byRank[r] as DemoGraph['nodes'];
    const to = byRank[r + 1 + Math.floor(rand() * (3 - r))] as DemoGraph['nodes'];
    const a = from[Math.floor(rand() * from.length)];
    const b = to[Math.floor(rand() * to.length)];
    if (!a || !b) continue;
    const key = `${a.id}>${b.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ source: a.id, target: b.id });
  }
  return { nodes, edges: out };
}
