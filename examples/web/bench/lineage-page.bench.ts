// `npm run bench -w examples/web`: the web app's budgets, measured in Debian's headless Chromium
// against the real server (built bundle, fresh SQLite file):
//   - the lineage page on the 2,000-table / 5,000-edge demo graph: layout time (web worker) and
//     layout + first render, budget ≤ 1.5 s;
//   - frames per second while panning that graph, budget ≥ 30;
//   - gzip size of everything the first page (/tables) loads, budget ≤ 600 kB.
// A benchmark, not a test: it prints the figures and the budgets, and never fails on them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, REPO, startPortal } from '../e2e/support';
import { demoGraph } from './demo-graph';

const TABLES = 2000;
const EDGES = 5000;
const graph = demoGraph(TABLES, EDGES);
const server = await startPortal();
const browser = await launchChromium({ width: 1280, height: 800 });
const line = (name: string, value: string, budget: string) =>
  process.stdout.write(`${name.padEnd(46)} ${value.padStart(12)}   budget ${budget}\n`);

try {
  // First page: every script and stylesheet /tables loads, gzip-compressed as a server would send it.
  const page = await browser.context.newPage();
  const files = new Set<string>();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/assets/') || u.pathname === '/') files.add(u.pathname);
  });
  await page.goto(`${server.url}/tables`);
  await page.locator('[data-testid="tables-list"] tbody tr').first().waitFor();
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const path = join(REPO, 'examples/web/dist', f === '/' ? 'index.html' : f);
    const bytes = readFileSync(path);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  line('first page (/tables), files', String(files.size), '-');
  line('first page (/tables), raw', `${(raw / 1000).toFixed(1)} kB`, '-');
  line('first page (/tables), gzip', `${(gz / 1000).toFixed(1)} kB`, '≤ 600 kB');

  // The lineage page on the demo graph (served in place of the store's graph).
  const timings: { layoutMs: number; totalMs: number }[] = [];
  for (let run = 0; run < 3; run++) {
    const p = await browser.context.newPage();
    await p.route('**/api/v1/lineage', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify(graph) }),
    );
    await p.goto(`${server.url}/lineage`);
    const timing = await p.waitForFunction(
      () => (window as unknown as { __lineageTiming?: unknown }).__lineageTiming,
      undefined,
      { timeout: 120_000 },
    );
    timings.push((await timing.jsonValue()) as { layoutMs: number; totalMs: number });
    if (run < 2) await p.close();
    else {
      // Pan for two seconds and count the frames the page paints meanwhile.
      const pane = p.locator('.vue-flow__pane');
      const box = await pane.boundingBox();
      if (!box) throw new Error('no graph pane');
      // A string, not a function: tsx's name helpers do not exist in the page.
      await p.evaluate(`(() => {
        window.__frames = 0;
        window.__counting = true;
        const tick = () => {
          if (!window.__counting) return;
          window.__frames++;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      })()`);
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await p.mouse.move(cx, cy);
      await p.mouse.down();
      const start = Date.now();
      let i = 0;
      while (Date.now() - start < 2000) {
        const a = (i++ / 20) * Math.PI;
        await p.mouse.move(cx + Math.cos(a) * 300, cy + Math.sin(a) * 150, { steps: 1 });
      }
      await p.mouse.up();
      const elapsed = Date.now() - start;
      const frames = (await p.evaluate(
        '(() => { window.__counting = false; return window.__frames; })()',
      )) as number;
      line('lineage page, fps while panning', ((frames * 1000) / elapsed).toFixed(1), '≥ 30');
    }
  }
  const best = (k: 'layoutMs' | 'totalMs') => Math.min(...timings.map((t) => t[k]));
  const median = (k: 'layoutMs' | 'totalMs') =>
    [...timings.map((t) => t[k])].sort((a, b) => a - b)[Math.floor(timings.length / 2)] as number;
  line(
    `lineage layout (worker), ${TABLES}/${graph.edges.length}, median`,
    `${median('layoutMs')} ms`,
    '-',
  );
  line(`lineage layout + first render, median`, `${median('totalMs')} ms`, '≤ 1500 ms');
  line(`lineage layout + first render, best`, `${best('totalMs')} ms`, '≤ 1500 ms');
} finally {
  await browser.close();
  await server.stop();
}
