/**
 * The closed set of error codes raised by `@dataportal/openlineage`. Callers switch on `code`.
 *
 * - `INVALID_EVENT`: an incoming event is not an OpenLineage RunEvent (details list the issues).
 * - `INVALID_CONFIG`: a transport or emitter configuration is malformed (e.g. no URL).
 * - `TRANSPORT_FAILED`: an event could not be delivered and could not be queued either.
 * - `QUEUE_FAILED`: the on-disk queue could not be read or written.
 *
 * @example
 * ```ts
 * import type { OpenLineageErrorCode } from '@dataportal/openlineage';
 * const code: OpenLineageErrorCode = 'INVALID_EVENT';
 * ```
 */
export type OpenLineageErrorCode =
  | 'INVALID_EVENT'
  | 'INVALID_CONFIG'
  | 'TRANSPORT_FAILED'
  | 'QUEUE_FAILED';

/**
 * Every {@link OpenLineageErrorCode}, in a stable order (for docs and exhaustive tests).
 *
 * @example
 * ```ts
 * import { OPENLINEAGE_ERROR_CODES } from '@dataportal/openlineage';
 * OPENLINEAGE_ERROR_CODES.includes('INVALID_EVENT'); // true
 * ```
 */
export const OPENLINEAGE_ERROR_CODES: readonly OpenLineageErrorCode[] = [
  'INVALID_EVENT',
  'INVALID_CONFIG',
  'TRANSPORT_FAILED',
  'QUEUE_FAILED',
];

/**
 * Options of {@link OpenLineageError}.
 *
 * @example
 * ```ts
 * import type { OpenLineageErrorOptions } from '@dataportal/openlineage';
 * const o: OpenLineageErrorOptions = { details: { path: 'run.runId' } };
 * ```
 */
export interface OpenLineageErrorOptions {
  /** The underlying error. */
  readonly cause?: unknown;
  /** Structured data about the failure (validation issues, the path, …). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The error every function of this package throws, with a {@link OpenLineageErrorCode}.
 *
 * @example
 * ```ts
 * import { OpenLineageError, parseRunEvent } from '@dataportal/openlineage';
 * try {
 *   parseRunEvent({});
 * } catch (err) {
 *   if (err instanceof OpenLineageError && err.code === 'INVALID_EVENT') console.log(err.details);
 * }
 * ```
 */
export class OpenLineageError extends Error {
  /** What went wrong, see {@link OpenLineageErrorCode}. */
  readonly code: OpenLineageErrorCode;
  /** Structured data about the failure. */
  readonly details: Readonly<Record<string, unknown>>;

  /**
   * @param code - the error code
   * @param message - a message for people
   * @param options - cause and details
   */
  constructor(code: OpenLineageErrorCode, message: string, options: OpenLineageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OpenLineageError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/**
 * Whether a value is an {@link OpenLineageError}, also across two copies of the package.
 *
 * @param value - anything caught
 * @returns true for an OpenLineageError
 * @example
 * ```ts
 * import { isOpenLineageError } from '@dataportal/openlineage';
 * isOpenLineageError(new Error('x')); // false
 * ```
 */
export function isOpenLineageError(value: unknown): value is OpenLineageError {
  return (
    value instanceof OpenLineageError ||
    (value instanceof Error &&
      value.name === 'OpenLineageError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
