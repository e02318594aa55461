import type { z } from 'zod';

/**
 * The closed set of error codes the sdk raises. Callers switch on `code`, never on message text.
 *
 * - `NOT_FOUND`: the entity named by id or qualified name does not exist.
 * - `CONFLICT`: a unique name is taken, or an optimistic-lock `version` no longer matches.
 * - `VALIDATION_FAILED`: input failed a schema or a model rule; `issues` lists what is wrong.
 * - `CYCLE_DETECTED`: the change would close a cycle in the table graph; `details.cycle` is the path.
 * - `UNKNOWN_TABLES`: a task names input or output tables that are not registered; `details.tables` lists them.
 * - `AMBIGUOUS_TABLE`: an unqualified (or partly qualified) table name fits several registered tables; `details.candidates` lists them.
 * - `INVALID_STATE`: the entity is in a state that does not allow the operation (e.g. running a draft).
 * - `ENGINE_NOT_CONFIGURED`: the task's engine has no adapter configured in this portal.
 * - `ENGINE_FAILED`: the engine refused or failed the call; `cause` holds the adapter's error.
 * - `STORAGE_FAILED`: the database failed; `cause` holds the driver error.
 * - `SYNC_FAILED`: reading metadata from a datasource failed.
 * - `FORBIDDEN`: the acting user's role or ownership does not allow the operation.
 * - `PRECONDITION_REQUIRED`: a change to an existing entity without the `version` read (updates
 *   never overwrite blindly); `details.currentVersion` is the version now.
 */
export type SdkErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VALIDATION_FAILED'
  | 'CYCLE_DETECTED'
  | 'UNKNOWN_TABLES'
  | 'AMBIGUOUS_TABLE'
  | 'INVALID_STATE'
  | 'ENGINE_NOT_CONFIGURED'
  | 'ENGINE_FAILED'
  | 'STORAGE_FAILED'
  | 'SYNC_FAILED'
  | 'FORBIDDEN'
  | 'PRECONDITION_REQUIRED';

/** Every code of {@link SdkErrorCode}, in a stable order (for docs and exhaustive tests). */
export const SDK_ERROR_CODES: readonly SdkErrorCode[] = [
  'NOT_FOUND',
  'CONFLICT',
  'VALIDATION_FAILED',
  'CYCLE_DETECTED',
  'UNKNOWN_TABLES',
  'AMBIGUOUS_TABLE',
  'INVALID_STATE',
  'ENGINE_NOT_CONFIGURED',
  'ENGINE_FAILED',
  'STORAGE_FAILED',
  'SYNC_FAILED',
  'FORBIDDEN',
  'PRECONDITION_REQUIRED',
];

/** One validation problem: where (`path`) and what (`message`), as zod reports it. */
export interface SdkIssue {
  /** Path of the offending value inside the input, e.g. `['outputs', 0]`. */
  readonly path: readonly PropertyKey[];
  /** Human-readable description of the problem. */
  readonly message: string;
  /** zod's issue code, or `custom` for model rules. */
  readonly code: string;
}

/** Options accepted by the {@link SdkError} constructor. */
export interface SdkErrorOptions {
  /** The underlying error (driver, engine, zod). */
  readonly cause?: unknown;
  /** Validation issues, for `VALIDATION_FAILED`. */
  readonly issues?: readonly SdkIssue[];
  /** Structured data about the failure (cycle path, table names, versions). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The one error type the sdk throws.
 *
 * @example
 * ```ts
 * try {
 *   await portal.getTable('ods.missing');
 * } catch (err) {
 *   if (isSdkError(err) && err.code === 'NOT_FOUND') console.log('no such table');
 * }
 * ```
 */
export class SdkError extends Error {
  override name = 'SdkError';
  /** Machine-readable code; see {@link SdkErrorCode}. */
  readonly code: SdkErrorCode;
  /** Validation issues (empty unless `VALIDATION_FAILED`). */
  readonly issues: readonly SdkIssue[];
  /** Structured details (cycle path, table names, …). */
  readonly details: Readonly<Record<string, unknown>>;

  /**
   * @param code - what went wrong, see {@link SdkErrorCode}
   * @param message - lowercase message starting with `sdk:` and naming the offending value
   * @param options - cause, issues and details
   */
  constructor(code: SdkErrorCode, message: string, options: SdkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
    this.details = options.details ?? {};
  }
}

/**
 * Type guard for {@link SdkError}; also matches a look-alike from another copy of the package.
 *
 * @param value - anything caught
 * @param code - optionally, the code it must carry
 * @returns whether `value` is an SdkError (with that code)
 * @example
 * ```ts
 * if (isSdkError(err, 'CONFLICT')) retry();
 * ```
 */
export function isSdkError(value: unknown, code?: SdkErrorCode): value is SdkError {
  const ok =
    value instanceof SdkError ||
    (value instanceof Error &&
      value.name === 'SdkError' &&
      typeof (value as { code?: unknown }).code === 'string');
  return ok && (code === undefined || (value as SdkError).code === code);
}

/**
 * Turns a zod error into a `VALIDATION_FAILED` {@link SdkError} naming every offending field.
 *
 * @param what - what was being validated, e.g. `task`
 * @param error - the zod error
 * @returns the sdk error, with zod's issues kept as data
 * @example
 * ```ts
 * const parsed = TaskInputSchema.safeParse(body);
 * if (!parsed.success) throw fromZodError('task', parsed.error);
 * ```
 */
export function fromZodError(what: string, error: z.ZodError): SdkError {
  const issues: SdkIssue[] = error.issues.map((i) => ({
    path: i.path,
    message: i.message,
    code: i.code,
  }));
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  return new SdkError('VALIDATION_FAILED', `sdk: invalid ${what}: ${summary}`, {
    cause: error,
    issues,
  });
}
