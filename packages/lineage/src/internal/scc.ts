import type { GraphIndex } from '../lineage-graph';

/** Component id per node (-1 for removed ids) and the number of components. */
export interface SccLabels {
  readonly component: Int32Array;
  readonly count: number;
  /** Size of each component. */
  readonly sizes: Int32Array;
  /** 1 when the node lies on a cycle: its component has more than one node or a self loop. */
  readonly onCycle: Uint8Array;
  readonly hasCycle: boolean;
}

/**
 * Iterative Tarjan over the CSR index: O(n + m) time, O(n) extra memory, no recursion.
 * Components are numbered in reverse topological order of the condensation (sinks first).
 *
 * [Reference]: R. Tarjan, "Depth-first search and linear graph algorithms", 1972.
 */
export function tarjan(ix: GraphIndex): SccLabels {
  const { n, alive, outOffsets, outTargets } = ix;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const sizesList: number[] = [];
  let counter = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (alive[root] !== 1 || index[root] !== -1) continue;
    let cp = 0;
    callNode[0] = root;
    callEdge[0] = outOffsets[root] as number;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (cp >= 0) {
      const v = callNode[cp] as number;
      const e = callEdge[cp] as number;
      if (e < (outOffsets[v + 1] as number)) {
        callEdge[cp] = e + 1;
        const w = outTargets[e] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          cp++;
          callNode[cp] = w;
          callEdge[cp] = outOffsets[w] as number;
        } else if (onStack[w] === 1 && (index[w] as number) < (low[v] as number)) {
          low[v] = index[w] as number;
        }
        continue;
      }
      if (low[v] === index[v]) {
        let size = 0;
        let w: number;
        do {
          w = stack[--sp] as number;
          onStack[w] = 0;
          component[w] = count;
          size++;
        } while (w !== v);
        sizesList.push(size);
        count++;
      }
      cp--;
      if (cp >= 0) {
        const parent = callNode[cp] as number;
        if ((low[v] as number) < (low[parent] as number)) low[parent] = low[v] as number;
      }
    }
  }
  const sizes = Int32Array.from(sizesList);
  const onCycle = new Uint8Array(n);
  let hasCycle = false;
  for (let v = 0; v < n; v++) {
    const c = component[v] as number;
    if (c < 0) continue;
    if ((sizes[c] as number) > 1) {
      onCycle[v] = 1;
      hasCycle = true;
      continue;
    }
    for (let k = outOffsets[v] as number; k < (outOffsets[v + 1] as number); k++) {
      if (outTargets[k] === v) {
        onCycle[v] = 1;
        hasCycle = true;
        break;
      }
    }
  }
  return { component, count, sizes, onCycle, hasCycle };
}
