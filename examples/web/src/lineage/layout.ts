import type { LayoutEdge, LayoutNode } from './elk-graph';

/** The laid-out positions, the time the layout took and which algorithm placed them. */
export interface Laid {
  readonly positions: Record<string, { x: number; y: number }>;
  readonly ms: number;
  readonly engine: 'elk' | 'columns';
}

let worker: Worker | null = null;
let seq = 0;
const pending = new Map<number, { resolve: (l: Laid) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<Laid & { id: number; error?: string }>) => {
      const p = pending.get(ev.data.id);
      if (!p) return;
      pending.delete(ev.data.id);
      if (ev.data.error) p.reject(new Error(ev.data.error));
      else p.resolve(ev.data);
    };
    worker.onerror = (ev) => {
      for (const p of pending.values()) p.reject(new Error(ev.message || 'layout worker failed'));
      pending.clear();
      worker = null;
    };
  }
  return worker;
}

/** Starts the layout worker ahead of the first layout (its script loads while the graph is fetched). */
export function warmLayoutWorker(): void {
  getWorker();
}

/**
 * Lays a graph out in the layout web worker (ELK layered for up to a few hundred tables, the
 * linear column layout above that), so the page stays responsive while it runs.
 *
 * @param nodes - tables with their sizes
 * @param edges - lineage edges
 * @returns the positions and the layout time
 */
export function layoutInWorker(nodes: LayoutNode[], edges: LayoutEdge[]): Promise<Laid> {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, nodes, edges });
  });
}
