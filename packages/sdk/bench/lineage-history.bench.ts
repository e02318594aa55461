// Lineage history benchmark (issue 15): as-of neighbourhood walks and diffs read from the store
// at 100k tables / 300k edges with a year of daily changes (1 000 edge changes a day, so about
// 665k edge versions), on the production store (MariaDB/MySQL). Budget: < 100 ms per query.
// Run: BENCH_ONLY=lineage-history npm run bench -w @dataportal/sdk
import { PortalService } from '../src/index.js';
import { createTestStore, mysqlTestUrl } from '../src/testing/index.js';

const TABLES = Number(process.env['BENCH_TABLES'] ?? 100_000);
// 3.75 inputs per table on average: 80k non-source tables give about 300k edges.
const fanIn = (t: number) => (t % 4 === 0 ? 3 : 4);
const DAYS = 365;
const CHANGES_PER_DAY = Number(process.env['BENCH_CHANGES_PER_DAY'] ?? 1000);
const SAMPLES = 200;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 11, 1);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(15);
const layerSize = TABLES / 5;
const name = (i: number) => `l${Math.floor(i / layerSize)}.t${i}`;

const dialect = process.env['BENCH_DIALECT'] === 'sqlite' ? 'sqlite' : 'mysql';
const store = await createTestStore({
  dialect,
  serverUrl: mysqlTestUrl(process.env['DATAPORTAL_TEST_MYSQL_URL']),
});
try {
  // Current versions: every table outside the first layer reads FAN_IN tables of the layer before.
  type Row = [string, string, number, string, string, number, number, number | null];
  const open = new Map<string, { row: Row; index: number }>();
  const rows: Row[] = [];
  for (let t = layerSize; t < TABLES; t++) {
    const base = (Math.floor(t / layerSize) - 1) * layerSize;
    for (let k = 0; k < fanIn(t); k++) {
      const s = base + Math.floor(rand() * layerSize);
      const key = `${s}>${t}`;
      if (open.has(key)) continue;
      const row: Row = [name(s), name(t), t, 'declared', '[]', 1, T0, null];
      open.set(key, { row, index: rows.length });
      rows.push(row);
    }
  }
  const edges = rows.length;
  // A year of daily changes: each day some task re-points one input (old version closed, new
  // version opened with the next task version).
  const keys = [...open.keys()];
  for (let d = 1; d <= DAYS; d++) {
    const at = T0 + d * DAY;
    for (let c = 0; c < CHANGES_PER_DAY; c++) {
      const pick = Math.floor(rand() * keys.length);
      const key = keys[pick] as string;
      const cur = open.get(key);
      if (cur === undefined) continue;
      cur.row[7] = at;
      const t = cur.row[2];
      const base = (Math.floor(t / layerSize) - 1) * layerSize;
      const s = base + Math.floor(rand() * layerSize);
      const nk = `${s}>${t}`;
      if (open.has(nk)) {
        open.delete(key);
        keys[pick] = keys[keys.length - 1] as string;
        keys.pop();
        continue;
      }
      const row: Row = [name(s), name(t), t, 'declared', '[]', cur.row[5] + 1, at, null];
      open.delete(key);
      open.set(nk, { row, index: rows.length });
      keys[pick] = nk;
      rows.push(row);
    }
  }
  const t0 = performance.now();
  const { sql } = await import('kysely');
  const batch = dialect === 'sqlite' ? 2000 : 5000; // SQLite caps bound parameters
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    await sql`insert into data_lineage_history
      (source, target, task_id, provenance, columns_json, task_version, valid_from, valid_to)
      values ${sql.join(chunk.map((r) => sql`(${sql.join(r)})`))}`.execute(store.db);
  }
  await (dialect === 'mysql'
    ? sql`analyze table data_lineage_history`
    : sql`analyze data_lineage_history`
  ).execute(store.db);
  const loadS = ((performance.now() - t0) / 1000).toFixed(1);

  const portal = new PortalService({ store });
  const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ??
    0;
  const time = async (f: () => Promise<unknown>): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const s = performance.now();
      await f();
      out.push(performance.now() - s);
    }
    return out;
  };
  const randomDay = () => T0 + Math.floor(rand() * DAYS) * DAY + DAY / 2;
  const lastLayer = () => name(TABLES - 1 - Math.floor(rand() * layerSize));
  const midLayer = () => name(2 * layerSize + Math.floor(rand() * layerSize));
  let edgesSeen = 0;
  const up = await time(async () => {
    const r = await portal.lineageAsOf({
      asOf: new Date(randomDay()),
      table: lastLayer(),
      direction: 'upstream',
      depth: 3,
    });
    edgesSeen += r.length;
  });
  const upEdges = Math.round(edgesSeen / SAMPLES);
  edgesSeen = 0;
  const down = await time(async () => {
    const r = await portal.lineageAsOf({
      asOf: new Date(randomDay()),
      table: midLayer(),
      direction: 'downstream',
      depth: 2,
    });
    edgesSeen += r.length;
  });
  const downEdges = Math.round(edgesSeen / SAMPLES);
  const day = await time(async () => {
    const f = randomDay();
    await portal.lineageDiff(new Date(f), new Date(f + DAY));
  });
  const week = await time(async () => {
    const f = randomDay();
    await portal.lineageDiff(new Date(f), new Date(f + 7 * DAY));
  });
  const fmt = (xs: number[]) =>
    `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`;
  const worst = Math.max(pct(up, 95), pct(down, 95), pct(day, 95), pct(week, 95));
  console.log(
    `lineage history (${store.dialect}) @ ${TABLES} tables / ${edges} edges / ${DAYS} days x ${CHANGES_PER_DAY} changes = ${rows.length} versions (loaded in ${loadS} s): ` +
      `as-of 3-hop upstream (${upEdges} edges) ${fmt(up)}; as-of 2-hop downstream (${downEdges} edges) ${fmt(down)}; ` +
      `1-day diff ${fmt(day)}; 7-day diff ${fmt(week)}; budget 100 ms: ${worst < 100 ? 'OK' : 'OVER'} (worst p95 ${worst.toFixed(1)} ms)`,
  );
} finally {
  await store.drop();
}
