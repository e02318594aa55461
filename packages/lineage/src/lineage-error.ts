/**
 * The closed set of error codes thrown by `@dataportal/lineage`.
 *
 * - `CYCLE_DETECTED`: an algorithm that needs a DAG met a cycle; `details.cycle` holds it as a
 *   closed path (`['a', 'b', 'a']`).
 * - `NODE_NOT_FOUND`: a query named a table that is not in the graph; `details.node` holds it.
 * - `INVALID_ARGUMENT`: an option or input value is malformed; `details.argument` names it.
 * - `PARSER_UNAVAILABLE`: the SQL parser could not be loaded (missing or broken install).
 *
 * @example
 * ```ts
 * import type { LineageErrorCode } from '@dataportal/lineage';
 * const code: LineageErrorCode = 'CYCLE_DETECTED';
 * ```
 */
export type LineageErrorCode =
  | 'CYCLE_DETECTED'
  | 'NODE_NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'PARSER_UNAVAILABLE';

/**
 * Structured data carried by a {@link LineageError}.
 *
 * @example
 * ```ts
 * import type { LineageErrorDetails } from '@dataportal/lineage';
 * const details: LineageErrorDetails = { cycle: ['a', 'b', 'a'] };
 * ```
 */
export interface LineageErrorDetails {
  /** The cycle as a closed path, for `CYCLE_DETECTED`. */
  readonly cycle?: ReadonlyArray<string>;
  /** The missing node, for `NODE_NOT_FOUND`. */
  readonly node?: string;
  /** The offending argument or field, for `INVALID_ARGUMENT`. */
  readonly argument?: string;
}

/**
 * The one error class of `@dataportal/lineage`; callers switch on {@link LineageError.code}.
 *
 * @example
 * ```ts
 * import { LineageGraph, topologicalSort, isLineageError } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }]);
 * try {
 *   topologicalSort(g);
 * } catch (err) {
 *   if (isLineageError(err) && err.code === 'CYCLE_DETECTED') console.log(err.details.cycle);
 * }
 * ```
 */
export class LineageError extends Error {
  override name = 'LineageError' as const;
  /** What went wrong, from a closed set. */
  readonly code: LineageErrorCode;
  /** Structured data about the failure (cycle path, missing node, bad argument). */
  readonly details: LineageErrorDetails;

  /**
   * @param code - the error code
   * @param message - a lowercase message starting with `lineage/<operation>:`
   * @param options - structured details and the original `cause`, if any
   */
  constructor(
    code: LineageErrorCode,
    message: string,
    options: { details?: LineageErrorDetails; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

const CODES: ReadonlySet<string> = new Set<LineageErrorCode>([
  'CYCLE_DETECTED',
  'NODE_NOT_FOUND',
  'INVALID_ARGUMENT',
  'PARSER_UNAVAILABLE',
]);

/**
 * Tells whether a value is a {@link LineageError}, also across two installed copies of the
 * package (checks the `name` and `code` shape, not only `instanceof`).
 *
 * @param value - anything caught
 * @returns true when `value` is a lineage error
 * @example
 * ```ts
 * import { isLineageError } from '@dataportal/lineage';
 * isLineageError(new Error('x')); // false
 * ```
 */
export function isLineageError(value: unknown): value is LineageError {
  if (value instanceof LineageError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; code?: unknown };
  return v.name === 'LineageError' && typeof v.code === 'string' && CODES.has(v.code);
}

/** Shortens a value for an error message (changesets-style 200-character cap). */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
