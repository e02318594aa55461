/**
 * checkLayerRules: warehouse-layer lint — every edge whose data flows the wrong way between
 * layers, with the rule it breaks and a reason.
 *
 * Behaviour: each layer has a rank; an edge from a higher rank to a lower rank is `BACKWARD`;
 * edges listed in `forbidden` are `FORBIDDEN` (the default forbids ODS → ADS shortcuts); an edge
 * inside one layer is `SAME_LAYER` only for layers listed in `noSameLayer`; an endpoint without a
 * layer, or with one the policy does not rank, is `UNKNOWN_LAYER` only when `requireLayers` is
 * set. The default policy is ODS (0) → DWD (1) → DIM / DWS (2) → ADS (3). Each edge (table pair)
 * is reported at most once, with its tasks.
 *
 * Complexity: O(E).
 *
 * [Reference]: Alibaba OneData layering (ODS, DWD, DWS, ADS with shared DIM).
 *
 * @module
 */
import { LineageError } from './lineage-error';
import type { LineageGraph } from './lineage-graph';

/**
 * A layer policy: ranks, forbidden shortcuts, and which checks apply.
 *
 * @example
 * ```ts
 * import { DEFAULT_LAYER_POLICY, type LayerPolicy } from '@dataportal/lineage';
 * const strict: LayerPolicy = { ...DEFAULT_LAYER_POLICY, noSameLayer: ['ADS'], requireLayers: true };
 * ```
 */
export interface LayerPolicy {
  /** Rank of each layer; data may only flow to an equal or higher rank. */
  readonly ranks: Readonly<Record<string, number>>;
  /** Edges that are never allowed even though they flow forward, with why. */
  readonly forbidden?: ReadonlyArray<{
    readonly from: string;
    readonly to: string;
    readonly reason?: string;
  }>;
  /** Layers whose tables must not feed tables of the same layer. */
  readonly noSameLayer?: ReadonlyArray<string>;
  /** Report edges whose endpoints have no ranked layer. @defaultValue false */
  readonly requireLayers?: boolean;
}

/**
 * The default policy: ODS → DWD → DIM/DWS → ADS, never backwards, no ODS → ADS shortcut.
 *
 * @example
 * ```ts
 * import { DEFAULT_LAYER_POLICY } from '@dataportal/lineage';
 * DEFAULT_LAYER_POLICY.ranks['DWD']; // 1
 * ```
 */
export const DEFAULT_LAYER_POLICY: LayerPolicy = Object.freeze({
  ranks: Object.freeze({ ODS: 0, DWD: 1, DIM: 2, DWS: 2, ADS: 3 }),
  forbidden: Object.freeze([
    Object.freeze({
      from: 'ODS',
      to: 'ADS',
      reason: 'ADS must be built from cleaned data (DWD/DIM/DWS), not straight from ODS',
    }),
  ]),
});

/**
 * Which rule an edge breaks.
 *
 * @example
 * ```ts
 * import type { LayerRule } from '@dataportal/lineage';
 * const rule: LayerRule = 'BACKWARD';
 * ```
 */
export type LayerRule = 'BACKWARD' | 'FORBIDDEN' | 'SAME_LAYER' | 'UNKNOWN_LAYER';

/**
 * One violating edge.
 *
 * @example
 * ```ts
 * import type { LayerViolation } from '@dataportal/lineage';
 * const v: LayerViolation = {
 *   source: 'dws.a', target: 'ods.b', sourceLayer: 'DWS', targetLayer: 'ODS',
 *   rule: 'BACKWARD', reason: 'DWS (rank 2) must not feed ODS (rank 0)', tasks: [],
 * };
 * ```
 */
export interface LayerViolation {
  readonly source: string;
  readonly target: string;
  readonly sourceLayer: string | null;
  readonly targetLayer: string | null;
  readonly rule: LayerRule;
  readonly reason: string;
  /** Tasks on the edge. */
  readonly tasks: ReadonlyArray<string>;
}

/**
 * The result of {@link checkLayerRules}.
 *
 * @example
 * ```ts
 * import { LineageGraph, checkLayerRules, type LayerCheckResult } from '@dataportal/lineage';
 * const r: LayerCheckResult = checkLayerRules(new LineageGraph());
 * r.ok; // true
 * ```
 */
export interface LayerCheckResult {
  /** True when no edge violates the policy. */
  readonly ok: boolean;
  /** Every violating edge, ordered by source table (insertion order). */
  readonly violations: ReadonlyArray<LayerViolation>;
  /** Number of table pairs checked. */
  readonly checkedEdges: number;
}

/**
 * Checks every edge against a layer policy.
 *
 * @param graph - the lineage graph (never mutated)
 * @param policy - the policy; {@link DEFAULT_LAYER_POLICY} when omitted
 * @returns every violation with its rule and reason
 * @throws {@link LineageError} with code INVALID_ARGUMENT when the policy has no ranks
 * @example
 * ```ts
 * import { LineageGraph, checkLayerRules } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges(
 *   [{ source: 'dws.sales', target: 'ods.orders', task: 'bad_job' }],
 *   [{ id: 'dws.sales', layer: 'DWS' }, { id: 'ods.orders', layer: 'ODS' }],
 * );
 * checkLayerRules(g).violations[0]?.rule; // 'BACKWARD'
 * ```
 */
export function checkLayerRules(
  graph: LineageGraph,
  policy: LayerPolicy = DEFAULT_LAYER_POLICY,
): LayerCheckResult {
  if (typeof policy !== 'object' || policy === null || typeof policy.ranks !== 'object') {
    throw new LineageError(
      'INVALID_ARGUMENT',
      'lineage/checkLayerRules: policy.ranks is required',
      {
        details: { argument: 'policy' },
      },
    );
  }
  const ranks = new Map(Object.entries(policy.ranks));
  const forbidden = new Map<string, string | undefined>();
  for (const f of policy.forbidden ?? []) forbidden.set(`${f.from}\u0000${f.to}`, f.reason);
  const noSame = new Set(policy.noSameLayer ?? []);
  const ix = graph.index();
  const violations: LayerViolation[] = [];
  let checked = 0;
  for (let s = 0; s < ix.n; s++) {
    for (let k = ix.outOffsets[s] as number; k < (ix.outOffsets[s + 1] as number); k++) {
      const t = ix.outTargets[k] as number;
      checked++;
      const sl = graph.layerAt(s) ?? null;
      const tl = graph.layerAt(t) ?? null;
      const sr = sl === null ? undefined : ranks.get(sl);
      const tr = tl === null ? undefined : ranks.get(tl);
      let rule: LayerRule | undefined;
      let reason = '';
      if (sr === undefined || tr === undefined) {
        if (policy.requireLayers === true) {
          rule = 'UNKNOWN_LAYER';
          const which = sr === undefined ? graph.nameAt(s) : graph.nameAt(t);
          const layer = sr === undefined ? sl : tl;
          reason =
            layer === null
              ? `${which} has no layer`
              : `${which} has layer ${layer}, which the policy does not rank`;
        }
      } else if (forbidden.has(`${sl}\u0000${tl}`)) {
        rule = 'FORBIDDEN';
        reason = forbidden.get(`${sl}\u0000${tl}`) ?? `${sl} must not feed ${tl} directly`;
      } else if (tr < sr) {
        rule = 'BACKWARD';
        reason = `${sl} (rank ${sr}) must not feed ${tl} (rank ${tr}): data flows backwards`;
      } else if (sl === tl && noSame.has(sl as string)) {
        rule = 'SAME_LAYER';
        reason = `${sl} tables must not feed other ${sl} tables`;
      }
      if (rule !== undefined) {
        violations.push({
          source: graph.nameAt(s),
          target: graph.nameAt(t),
          sourceLayer: sl,
          targetLayer: tl,
          rule,
          reason,
          tasks: graph.tasksBetween(s, t),
        });
      }
    }
  }
  return { ok: violations.length === 0, violations, checkedEdges: checked };
}
