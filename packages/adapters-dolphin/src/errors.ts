/**
 * The closed set of error codes raised by `@dataportal/adapters-dolphin`. Callers switch on
 * `code`, never on message text. Engine codes (`engineCode`) are grouped as the reference's
 * client mapping suggests.
 *
 * - `NAME_EXISTS`: a project, workflow or schedule with that name already exists (10019, 10168, 10204).
 * - `NOT_FOUND`: the project, workflow, instance, schedule or task does not exist (10018, 10190, 50001, 50003, 10008, 10022, 10203, 50030).
 * - `NOT_RELEASED`: the workflow must be online first, or its DAG is empty (50004, 50035).
 * - `MUST_BE_OFFLINE`: the workflow or schedule must be offline first (50008, 10023, 50021, 50023).
 * - `NO_MASTER`: no master server is alive (10025, or 10000 naming the master).
 * - `INVALID_DEFINITION`: task, relation or cron definition rejected (50017, 50019, 50020, 50036, 10001, 10024, 10140).
 * - `PERMISSION_DENIED`: the token's user may not do this (30001, 30002).
 * - `ENGINE_REJECTED`: any other non-zero engine code.
 * - `UNAUTHORIZED`: HTTP 401 — missing, unknown or expired token.
 * - `VERSION_MISMATCH`: the server answered HTML: a version mismatch or a wrong base URL.
 * - `HTTP_ERROR`: a non-2xx status other than 401 (after retries for reads).
 * - `INVALID_RESPONSE`: the body was not the `{code,msg,data}` envelope or `data` failed validation.
 * - `TIMEOUT`: the call did not answer in time (after retries for reads).
 * - `NETWORK_ERROR`: the connection failed or was reset.
 * - `ABORTED`: the caller's signal aborted the call.
 * - `INVALID_ARGUMENT`: the adapter refused the input before calling (e.g. a cron it cannot convert).
 *
 * @example
 * ```ts
 * const code: DolphinErrorCode = 'MUST_BE_OFFLINE';
 * ```
 */
export type DolphinErrorCode =
  | 'NAME_EXISTS'
  | 'NOT_FOUND'
  | 'NOT_RELEASED'
  | 'MUST_BE_OFFLINE'
  | 'NO_MASTER'
  | 'INVALID_DEFINITION'
  | 'PERMISSION_DENIED'
  | 'ENGINE_REJECTED'
  | 'UNAUTHORIZED'
  | 'VERSION_MISMATCH'
  | 'HTTP_ERROR'
  | 'INVALID_RESPONSE'
  | 'TIMEOUT'
  | 'NETWORK_ERROR'
  | 'ABORTED'
  | 'INVALID_ARGUMENT';

/**
 * Every {@link DolphinErrorCode}, in a stable order (for docs and exhaustive tests).
 *
 * @example
 * ```ts
 * for (const code of DOLPHIN_ERROR_CODES) console.log(code);
 * ```
 */
export const DOLPHIN_ERROR_CODES: readonly DolphinErrorCode[] = [
  'NAME_EXISTS',
  'NOT_FOUND',
  'NOT_RELEASED',
  'MUST_BE_OFFLINE',
  'NO_MASTER',
  'INVALID_DEFINITION',
  'PERMISSION_DENIED',
  'ENGINE_REJECTED',
  'UNAUTHORIZED',
  'VERSION_MISMATCH',
  'HTTP_ERROR',
  'INVALID_RESPONSE',
  'TIMEOUT',
  'NETWORK_ERROR',
  'ABORTED',
  'INVALID_ARGUMENT',
];

const CODE_GROUPS: ReadonlyArray<readonly [DolphinErrorCode, readonly number[]]> = [
  ['NAME_EXISTS', [10019, 10168, 10204]],
  ['NOT_FOUND', [10018, 10190, 50001, 50003, 10008, 10022, 10203, 50030]],
  ['NOT_RELEASED', [50004, 50035]],
  ['MUST_BE_OFFLINE', [50008, 10023, 50021, 50023]],
  ['NO_MASTER', [10025]],
  ['INVALID_DEFINITION', [50017, 50019, 50020, 50036, 10001, 10024, 10140]],
  ['PERMISSION_DENIED', [30001, 30002]],
];

/**
 * Maps a DolphinScheduler `Status` code to the adapter's {@link DolphinErrorCode}.
 *
 * @param engineCode - the `code` of a failed envelope
 * @param message - the envelope's `msg` (only used to spot "no master" inside 10000)
 * @returns the error code grouping that engine code
 * @example
 * ```ts
 * codeForEngineCode(50008); // 'MUST_BE_OFFLINE'
 * codeForEngineCode(12345); // 'ENGINE_REJECTED'
 * ```
 */
export function codeForEngineCode(engineCode: number, message = ''): DolphinErrorCode {
  for (const [code, engineCodes] of CODE_GROUPS) {
    if (engineCodes.includes(engineCode)) return code;
  }
  if (engineCode === 10000 && /no master/i.test(message)) return 'NO_MASTER';
  return 'ENGINE_REJECTED';
}

/**
 * Fields of a {@link DolphinError} besides code and message.
 *
 * @example
 * ```ts
 * throw new DolphinError('NOT_FOUND', 'dolphin: getWorkflow failed', { engineCode: 50003, httpStatus: 200 } satisfies DolphinErrorOptions);
 * ```
 */
export interface DolphinErrorOptions {
  /** DolphinScheduler's `code` from the envelope, when the server answered one. */
  readonly engineCode?: number | null;
  /** HTTP status of the answer, when there was one. */
  readonly httpStatus?: number | null;
  /** HTTP method of the call. */
  readonly method?: string | null;
  /** Path of the call relative to the base URL (no query string, no token). */
  readonly path?: string | null;
  /** The underlying error (ky error, zod error, network error). */
  readonly cause?: unknown;
}

/**
 * The one error type the DolphinScheduler adapter throws. Raw ky or zod errors never escape; they
 * are kept as `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await client.releaseWorkflow(projectCode, workflowCode, 'ONLINE');
 * } catch (err) {
 *   if (isDolphinError(err, 'NOT_RELEASED')) console.log(err.engineCode, err.path);
 * }
 * ```
 */
export class DolphinError extends Error {
  override name = 'DolphinError';
  /** Machine-readable code; see {@link DolphinErrorCode}. */
  readonly code: DolphinErrorCode;
  /** Engine name, for errors shown next to other engines' errors. */
  readonly engine = 'dolphin';
  /** DolphinScheduler's envelope code, or null when there was none. */
  readonly engineCode: number | null;
  /** HTTP status, or null when no response arrived. */
  readonly httpStatus: number | null;
  /** HTTP method, or null when no call was made. */
  readonly method: string | null;
  /** Path relative to the base URL, or null when no call was made. */
  readonly path: string | null;

  /**
   * @param code - what went wrong, see {@link DolphinErrorCode}
   * @param message - lowercase message starting with `dolphin:`
   * @param options - engine code, HTTP status, method, path and cause
   */
  constructor(code: DolphinErrorCode, message: string, options: DolphinErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.engineCode = options.engineCode ?? null;
    this.httpStatus = options.httpStatus ?? null;
    this.method = options.method ?? null;
    this.path = options.path ?? null;
  }
}

/**
 * Type guard for {@link DolphinError}; also matches a look-alike from another copy of the package.
 *
 * @param value - anything caught
 * @param code - optionally, the code it must carry
 * @returns whether `value` is a DolphinError (with that code)
 * @example
 * ```ts
 * if (isDolphinError(err, 'NOT_FOUND')) return null;
 * ```
 */
export function isDolphinError(value: unknown, code?: DolphinErrorCode): value is DolphinError {
  const ok =
    value instanceof DolphinError ||
    (value instanceof Error &&
      value.name === 'DolphinError' &&
      typeof (value as { code?: unknown }).code === 'string');
  return ok && (code === undefined || (value as DolphinError).code === code);
}
