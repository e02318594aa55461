/**
 * The closed set of error codes raised by `@dataportal/adapters-dinky`. Callers switch on `code`,
 * never on message text (Dinky's `msg` changes language with the last request's `language`
 * header, so the adapter never reads it either).
 *
 * - `ENGINE_REJECTED`: Dinky answered envelope code 1 (a `BusException`: task or instance missing,
 *   task online, cluster missing…). In 0.7 every failure is code 1.
 * - `ENGINE_EXCEPTION`: Dinky answered envelope code 5 (an unexpected Java exception, e.g. a failed
 *   submit or a restart whose stop did not finish); `engineDetail` holds the first stack-trace line.
 * - `INVALID_PARAMS`: Dinky rejected the request's fields (envelope code 6, HTTP 400).
 * - `UNAUTHORIZED`: no, a wrong or an expired login token (envelope code 7 or 401, HTTP 401), or
 *   the login itself failed.
 * - `NOT_SUPPORTED`: the operation does not exist on this Dinky version (e.g. `exportSql` on 0.7) or
 *   needs a login that is not configured.
 * - `NOT_FOUND`: the adapter expected an object Dinky does not have (no job instance for the task,
 *   no Dinky task bound to the portal task).
 * - `ALREADY_RUNNING`: a start was refused because a job of the task is still running (Dinky itself
 *   has no duplicate-submit guard).
 * - `INSTANCE_MISMATCH`: the Dinky task's current job instance is not the one the portal started
 *   (a shared template task was submitted again by someone else), so stopping it would stop a
 *   stranger's job.
 * - `SAVEPOINT_FAILED`: Dinky answered a savepoint request without a savepoint path or with its
 *   failure flag set; the job was not stopped by the adapter.
 * - `STOP_FAILED`: Dinky answered `false` to the cancel (Flink refused it, or Dinky's fallback
 *   plain cancel failed too); the job still runs.
 * - `STOP_NOT_CONFIRMED`: the cancel was accepted but Dinky did not show the job in a terminal
 *   state within the bounded wait (`stopTimeoutMs`); `details.status` is the last status read.
 * - `INVALID_ARGUMENT`: the adapter refused the input before calling (e.g. more SQL statements
 *   than the template has slots).
 * - `HTTP_ERROR`: a non-2xx status without a Dinky envelope (after retries for reads).
 * - `INVALID_RESPONSE`: the body was not a Dinky envelope or its payload failed validation.
 * - `TIMEOUT`: Dinky did not answer in time (after retries for reads).
 * - `NETWORK_ERROR`: the connection failed or was reset.
 * - `ABORTED`: the caller's signal aborted the call.
 *
 * @example
 * ```ts
 * const code: DinkyErrorCode = 'ALREADY_RUNNING';
 * ```
 */
export type DinkyErrorCode =
  | 'ENGINE_REJECTED'
  | 'ENGINE_EXCEPTION'
  | 'INVALID_PARAMS'
  | 'UNAUTHORIZED'
  | 'NOT_SUPPORTED'
  | 'NOT_FOUND'
  | 'ALREADY_RUNNING'
  | 'INSTANCE_MISMATCH'
  | 'SAVEPOINT_FAILED'
  | 'STOP_FAILED'
  | 'STOP_NOT_CONFIRMED'
  | 'INVALID_ARGUMENT'
  | 'HTTP_ERROR'
  | 'INVALID_RESPONSE'
  | 'TIMEOUT'
  | 'NETWORK_ERROR'
  | 'ABORTED';

/**
 * Every {@link DinkyErrorCode}, in a stable order (for docs and exhaustive tests).
 *
 * @example
 * ```ts
 * DINKY_ERROR_CODES.includes('UNAUTHORIZED'); // true
 * ```
 */
export const DINKY_ERROR_CODES: readonly DinkyErrorCode[] = [
  'ENGINE_REJECTED',
  'ENGINE_EXCEPTION',
  'INVALID_PARAMS',
  'UNAUTHORIZED',
  'NOT_SUPPORTED',
  'NOT_FOUND',
  'ALREADY_RUNNING',
  'INSTANCE_MISMATCH',
  'SAVEPOINT_FAILED',
  'STOP_FAILED',
  'STOP_NOT_CONFIRMED',
  'INVALID_ARGUMENT',
  'HTTP_ERROR',
  'INVALID_RESPONSE',
  'TIMEOUT',
  'NETWORK_ERROR',
  'ABORTED',
];

/**
 * The most characters of an engine message kept on an error.
 *
 * @example
 * ```ts
 * truncateEngineText('x'.repeat(1000))?.length === MAX_ENGINE_MESSAGE; // true
 * ```
 */
export const MAX_ENGINE_MESSAGE = 300;

/**
 * Maps a Dinky envelope code to the adapter's {@link DinkyErrorCode}.
 *
 * @param engineCode - the `code` of a failed envelope (1.x: 1, 5, 6, 7; 0.7: 1, 5, 401)
 * @returns the error code for it
 * @example
 * ```ts
 * codeForEngineCode(5); // 'ENGINE_EXCEPTION'
 * codeForEngineCode(401); // 'UNAUTHORIZED'
 * ```
 */
export function codeForEngineCode(engineCode: number): DinkyErrorCode {
  switch (engineCode) {
    case 5:
      return 'ENGINE_EXCEPTION';
    case 6:
      return 'INVALID_PARAMS';
    case 7:
    case 401:
      return 'UNAUTHORIZED';
    default:
      return 'ENGINE_REJECTED';
  }
}

/**
 * Shortens an engine text to at most `max` characters, on one line.
 *
 * @param text - the engine's text (message or stack trace)
 * @param max - the limit; defaults to {@link MAX_ENGINE_MESSAGE}
 * @returns the shortened text, or null for an empty one
 * @example
 * ```ts
 * truncateEngineText('x'.repeat(400))?.length; // 300
 * ```
 */
export function truncateEngineText(
  text: string | null | undefined,
  max: number = MAX_ENGINE_MESSAGE,
): string | null {
  if (text === null || text === undefined) return null;
  const one = text.replace(/\s+/g, ' ').trim();
  if (one === '') return null;
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * Fields of a {@link DinkyError} besides code and message.
 *
 * @example
 * ```ts
 * new DinkyError('NOT_FOUND', 'dinky: no job', { details: { task: 3 } });
 * ```
 */
export interface DinkyErrorOptions {
  /** Dinky's envelope `code`, when the server answered one. */
  readonly engineCode?: number | null;
  /** HTTP status of the answer, when there was one. */
  readonly httpStatus?: number | null;
  /** HTTP method of the call. */
  readonly method?: string | null;
  /** Path of the call relative to the base URL (no query string). */
  readonly path?: string | null;
  /** Dinky's `msg`, truncated; for display only, never for branching. */
  readonly engineMessage?: string | null;
  /** For code 5, the first line of the stack trace Dinky sent as `data`, truncated. */
  readonly engineDetail?: string | null;
  /** Structured data about the failure (task id, job instance ids). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The underlying error (ky error, zod error, network error). */
  readonly cause?: unknown;
}

/**
 * The one error type the Dinky adapter throws. Raw ky or zod errors never escape; they are kept
 * as `cause`. Whole responses are never kept (submit answers may carry database credentials).
 *
 * @example
 * ```ts
 * try {
 *   await client.submitTask(12);
 * } catch (err) {
 *   if (isDinkyError(err, 'ENGINE_EXCEPTION')) console.log(err.engineDetail, err.path);
 * }
 * ```
 */
export class DinkyError extends Error {
  override name = 'DinkyError';
  /** Machine-readable code; see {@link DinkyErrorCode}. */
  readonly code: DinkyErrorCode;
  /** Engine name, for errors shown next to other engines' errors. */
  readonly engine = 'dinky';
  /** Dinky's envelope code, or null when there was none. */
  readonly engineCode: number | null;
  /** HTTP status, or null when no response arrived. */
  readonly httpStatus: number | null;
  /** HTTP method, or null when no call was made. */
  readonly method: string | null;
  /** Path relative to the base URL, or null when no call was made. */
  readonly path: string | null;
  /** Dinky's `msg`, truncated to {@link MAX_ENGINE_MESSAGE} characters. */
  readonly engineMessage: string | null;
  /** First line of Dinky's stack trace (code 5), truncated. */
  readonly engineDetail: string | null;
  /** Structured details. */
  readonly details: Readonly<Record<string, unknown>>;

  /**
   * @param code - what went wrong, see {@link DinkyErrorCode}
   * @param message - lowercase message starting with `dinky:`
   * @param options - engine code, HTTP status, method, path, engine text and cause
   */
  constructor(code: DinkyErrorCode, message: string, options: DinkyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.engineCode = options.engineCode ?? null;
    this.httpStatus = options.httpStatus ?? null;
    this.method = options.method ?? null;
    this.path = options.path ?? null;
    this.engineMessage = truncateEngineText(options.engineMessage);
    this.engineDetail = truncateEngineText(options.engineDetail);
    this.details = options.details ?? {};
  }
}

/**
 * Type guard for {@link DinkyError}; also matches a look-alike from another copy of the package.
 *
 * @param value - anything caught
 * @param code - optionally, the code it must carry
 * @returns whether `value` is a DinkyError (with that code)
 * @example
 * ```ts
 * if (isDinkyError(err, 'ALREADY_RUNNING')) return currentStatus;
 * ```
 */
export function isDinkyError(value: unknown, code?: DinkyErrorCode): value is DinkyError {
  const ok =
    value instanceof DinkyError ||
    (value instanceof Error &&
      value.name === 'DinkyError' &&
      typeof (value as { code?: unknown }).code === 'string');
  return ok && (code === undefined || (value as DinkyError).code === code);
}
