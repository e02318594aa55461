/**
 * The warehouse layer policy the preview warns about: the same ranks and forbidden pair as
 * `DEFAULT_LAYER_POLICY` in `@dataportal/lineage` (which the browser bundle does not import: the
 * package's SQL parser ships a 22 MB WebAssembly module). Data may only flow to an equal or
 * higher rank, and never straight from ODS to ADS.
 */
export const LAYER_RANKS: Readonly<Record<string, number>> = {
  ODS: 0,
  DWD: 1,
  DIM: 2,
  DWS: 2,
  ADS: 3,
};
const FORBIDDEN: ReadonlyArray<{ from: string; to: string; reason: string }> = [
  {
    from: 'ODS',
    to: 'ADS',
    reason: 'ADS must be built from cleaned data (DWD/DIM/DWS), not straight from ODS',
  },
];

/**
 * The layer-rule violation of one edge, as a sentence, or null when the edge is fine (or a
 * layer is unknown).
 */
export function layerViolation(
  source: string,
  sourceLayer: string | undefined,
  target: string,
  targetLayer: string | undefined,
): string | null {
  if (!sourceLayer || !targetLayer) return null;
  const sr = LAYER_RANKS[sourceLayer];
  const tr = LAYER_RANKS[targetLayer];
  if (sr === undefined || tr === undefined) return null;
  const prefix = `${source} (${sourceLayer}) → ${target} (${targetLayer})`;
  const f = FORBIDDEN.find((x) => x.from === sourceLayer && x.to === targetLayer);
  if (f) return `${prefix}: ${f.reason}`;
  if (tr < sr) return `${prefix}: data flows backward, from ${sourceLayer} to ${targetLayer}`;
  return null;
}

/** What the SQL analysis found, compared with what the form declares. */
export interface PreviewResult {
  /** Tables the SQL reads. */
  readonly parsedInputs: readonly string[];
  /** Tables the SQL writes. */
  readonly parsedOutputs: readonly string[];
  /** Read by the SQL, not declared as inputs. */
  readonly undeclaredInputs: readonly string[];
  /** Declared as inputs, not read by the SQL. */
  readonly unusedInputs: readonly string[];
  /** Written by the SQL, not declared as outputs. */
  readonly undeclaredOutputs: readonly string[];
  /** Declared as outputs, not written by the SQL. */
  readonly unwrittenOutputs: readonly string[];
  /** Tables the portal has not registered. */
  readonly unregistered: readonly string[];
  /** Every input → output pair the task would create, with the layers of both ends. */
  readonly edges: ReadonlyArray<{ source: string; target: string }>;
  /** Layer-rule violations of those edges (e.g. DWS feeding ODS), as sentences. */
  readonly layerWarnings: readonly string[];
  /** True when declared and parsed agree. */
  readonly consistent: boolean;
}

/** Layer of a table: its registered layer, else the name's prefix (`ods_user` → ODS). */
export function layerOf(
  table: string,
  layers: ReadonlyMap<string, string | null | undefined>,
): string | undefined {
  const known = layers.get(table);
  if (known) return known;
  const base = table.includes('.') ? (table.split('.').pop() ?? table) : table;
  const m = /^(ods|dwd|dim|dws|ads)[_.]/i.exec(base);
  return m?.[1]?.toUpperCase();
}

const norm = (s: string) => s.trim().toLowerCase();

function minus(a: readonly string[], b: readonly string[]): string[] {
  const drop = new Set(b.map(norm));
  return a.filter((x) => !drop.has(norm(x)));
}

/**
 * Compares the tables a task's SQL reads and writes with the inputs and outputs the form
 * declares, and checks the edges the task would add against the warehouse layer rules
 * ({@link LAYER_RANKS}: data flows ODS → DWD/DIM → DWS → ADS, never back).
 *
 * @param parsed - the server's SQL analysis (`inputs`, `outputs`, `unregistered_tables`)
 * @param declared - the form's inputs and outputs
 * @param layers - the layer of every registered table
 * @returns the differences and warnings to show
 */
export function comparePreview(
  parsed: {
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
    readonly unregistered_tables?: readonly string[];
  },
  declared: { readonly inputs: readonly string[]; readonly outputs: readonly string[] },
  layers: ReadonlyMap<string, string | null | undefined>,
): PreviewResult {
  const undeclaredInputs = minus(parsed.inputs, declared.inputs);
  const unusedInputs = minus(declared.inputs, parsed.inputs);
  const undeclaredOutputs = minus(parsed.outputs, declared.outputs);
  const unwrittenOutputs = minus(declared.outputs, parsed.outputs);
  const sources = [...new Set([...declared.inputs, ...parsed.inputs])];
  const targets = [...new Set([...declared.outputs, ...parsed.outputs])];
  const edges: { source: string; target: string }[] = [];
  for (const s of sources)
    for (const t of targets) if (s !== t) edges.push({ source: s, target: t });
  const layerWarnings: string[] = [];
  for (const e of edges) {
    const w = layerViolation(
      e.source,
      layerOf(e.source, layers),
      e.target,
      layerOf(e.target, layers),
    );
    if (w) layerWarnings.push(w);
  }
  return {
    parsedInputs: parsed.inputs,
    parsedOutputs: parsed.outputs,
    undeclaredInputs,
    unusedInputs,
    undeclaredOutputs,
    unwrittenOutputs,
    unregistered: parsed.unregistered_tables ?? [],
    edges,
    layerWarnings,
    consistent:
      undeclaredInputs.length === 0 &&
      unusedInputs.length === 0 &&
      undeclaredOutputs.length === 0 &&
      unwrittenOutputs.length === 0,
  };
}
