import { STATUS_CODES } from 'node:http';
import { isLineageError } from '@dataportal/lineage';
import { isOpenLineageError } from '@dataportal/openlineage';
import { isSdkError, type SdkErrorCode } from '@dataportal/sdk';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { wirePath } from './wire/case';
import type { ErrorBody } from './wire/common';

/**
 * The HTTP status of every sdk error code: the one place the portal's errors meet HTTP.
 *
 * `ENGINE_NOT_CONFIGURED` is a 422 (the request names an engine this deployment does not have;
 * nothing the server can retry), `ENGINE_FAILED` a 502 (the engine answered badly) and
 * `STORAGE_FAILED` a 503.
 */
export const STATUS_BY_SDK_CODE: Readonly<Record<SdkErrorCode, number>> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION_FAILED: 400,
  CYCLE_DETECTED: 409,
  UNKNOWN_TABLES: 422,
  AMBIGUOUS_TABLE: 422,
  INVALID_STATE: 409,
  ENGINE_NOT_CONFIGURED: 422,
  ENGINE_FAILED: 502,
  STORAGE_FAILED: 503,
  SYNC_FAILED: 502,
  FORBIDDEN: 403,
  PRECONDITION_REQUIRED: 428,
};

/**
 * Codes the server itself raises, besides the sdk's.
 *
 * - `BAD_REQUEST`: the request could not be read (malformed JSON, empty JSON body).
 * - `UNAUTHORIZED`: no valid token, session or callback signature (401).
 * - `FORBIDDEN`: the caller's role or ownership does not allow the operation (403).
 * - `CSRF_FAILED`: a cookie-authenticated write without the session's CSRF token (403).
 * - `RATE_LIMITED`: too many requests; `Retry-After` says when to come back (429).
 * - `SECRET_REF_NOT_ALLOWED`: a password reference outside the operator's allow-list (422).
 * - `SECRET_KEY_MISSING`: a plain password sent while no `DATAPORTAL_SECRET_KEY` is set (422).
 * - `CALLBACK_REJECTED`: a run report that cannot be true (end before start, future times,
 *   another engine, an unpublished task) (422).
 * - `SQL_TOO_COMPLEX`: SQL analysis did not finish within its time budget (422).
 * - `ROUTE_NOT_FOUND`: no route for the method and path.
 * - `PAYLOAD_TOO_LARGE`: the body exceeds the configured limit.
 * - `UNSUPPORTED_MEDIA_TYPE`: a body in a content type the server does not read.
 * - `NOT_IMPLEMENTED`: a feature whose package is not available in this build.
 * - `INTERNAL_ERROR`: a bug; the log has the details.
 * - `REQUEST_TIMEOUT`: the request (headers and body) did not arrive within the request
 *   timeout; the connection is closed (408).
 * - `HEADERS_TOO_LARGE`: the request headers exceed Node's limit (431).
 * - `TOO_MANY_CONNECTIONS`: the client address holds too many open connections; `Retry-After`
 *   says when to come back (503).
 */
export type ServerErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CSRF_FAILED'
  | 'RATE_LIMITED'
  | 'SECRET_REF_NOT_ALLOWED'
  | 'SECRET_KEY_MISSING'
  | 'CALLBACK_REJECTED'
  | 'SQL_TOO_COMPLEX'
  | 'ROUTE_NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL_ERROR'
  | 'REQUEST_TIMEOUT'
  | 'HEADERS_TOO_LARGE'
  | 'TOO_MANY_CONNECTIONS';

/** Every code the API can answer with, sdk codes first. */
export type ApiErrorCode = SdkErrorCode | ServerErrorCode;

/**
 * An error raised by the server's own code (auth, configuration hints), carrying its HTTP status.
 *
 * @example
 * ```ts
 * throw new ServerError('UNAUTHORIZED', 401, 'callback signature does not match');
 * ```
 */
export class ServerError extends Error {
  override name = 'ServerError';
  /** Machine-readable code. */
  readonly code: ApiErrorCode;
  /** HTTP status to answer with. */
  readonly statusCode: number;
  /** Structured details for the body. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  /**
   * @param code - the code
   * @param statusCode - the HTTP status
   * @param message - what happened and what to do
   * @param details - structured details (optional)
   */
  constructor(
    code: ApiErrorCode,
    statusCode: number,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
  }
}

/**
 * Type guard for {@link ServerError}.
 *
 * @param value - anything caught
 * @returns whether it is a ServerError
 * @example
 * ```ts
 * if (isServerError(err)) reply.code(err.statusCode);
 * ```
 */
export function isServerError(value: unknown): value is ServerError {
  return value instanceof ServerError || (value instanceof Error && value.name === 'ServerError');
}

const CODE_BY_STATUS: Readonly<Record<number, ServerErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  429: 'RATE_LIMITED',
  404: 'ROUTE_NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  501: 'NOT_IMPLEMENTED',
};

function body(
  statusCode: number,
  code: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): ErrorBody {
  return {
    statusCode,
    code,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(details && Object.keys(details).length > 0 ? { details: { ...details } } : {}),
  };
}

interface WireIssue {
  readonly in?: string;
  readonly field: string;
  readonly message: string;
}

function issueText(issues: readonly WireIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');
}

/**
 * Turns anything thrown while handling a request into the API's one error body.
 *
 * @param err - the thrown value
 * @returns the body; its `statusCode` is the status to answer with (500 for anything unknown)
 * @example
 * ```ts
 * const b = toErrorBody(new SdkError('NOT_FOUND', 'sdk: task 9 not found'));
 * b.statusCode; // 404
 * ```
 */
export function toErrorBody(err: unknown): ErrorBody {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext ?? 'body';
    const issues: WireIssue[] = err.validation.map((v) => ({
      in: where,
      field:
        v.instancePath === ''
          ? '(root)'
          : wirePath(v.instancePath.split('/').filter((s) => s !== '')),
      message: v.message ?? 'invalid',
    }));
    return body(400, 'VALIDATION_FAILED', `invalid ${where}: ${issueText(issues)}`, { issues });
  }
  if (isSdkError(err)) {
    const status = STATUS_BY_SDK_CODE[err.code] ?? 500;
    const details: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(err.details)) details[k] = v;
    let message = err.message;
    if (err.issues.length > 0) {
      const issues: WireIssue[] = err.issues.map((i) => ({
        in: 'body',
        field: wirePath(i.path),
        message: i.message,
      }));
      details['issues'] = issues;
      message = `${err.message.split(':').slice(0, 2).join(':')}: ${issueText(issues)}`;
    }
    const engine = err.details['engine'];
    if (
      err.code === 'ENGINE_NOT_CONFIGURED' &&
      typeof engine === 'string' &&
      ENGINE_HINTS[engine]
    ) {
      message = `${message}: ${ENGINE_HINTS[engine]}`;
    }
    if (status >= 500 && err.cause instanceof Error && err.code !== 'STORAGE_FAILED') {
      details['cause'] = err.cause.message.slice(0, 500);
    }
    return body(status, err.code, message, details);
  }
  if (isServerError(err)) return body(err.statusCode, err.code, err.message, err.details);
  if (isLineageError(err)) {
    // Lineage queries fail on the caller's input (unknown table, bad option); the parser
    // missing is the server's fault.
    const status =
      err.code === 'NODE_NOT_FOUND' ? 404 : err.code === 'PARSER_UNAVAILABLE' ? 500 : 400;
    const code =
      err.code === 'NODE_NOT_FOUND'
        ? 'NOT_FOUND'
        : err.code === 'INVALID_ARGUMENT'
          ? 'VALIDATION_FAILED'
          : err.code;
    return body(status, code, err.message, { ...err.details });
  }
  if (isOpenLineageError(err)) {
    // An event another producer sent is malformed: the caller's fault, with the issues.
    return err.code === 'INVALID_EVENT'
      ? body(400, 'VALIDATION_FAILED', err.message, { ...err.details })
      : body(500, err.code, err.message);
  }
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code =
      CODE_BY_STATUS[status] ??
      (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/\W+/g, '_');
    const message = err instanceof Error ? err.message : String(err);
    return body(status, code, message);
  }
  return body(500, 'INTERNAL_ERROR', 'internal error; the server log has the details');
}

/** What to configure to get each engine, named in ENGINE_NOT_CONFIGURED answers. */
export const ENGINE_HINTS: Readonly<Record<string, string>> = {
  local:
    'the local engine is turned off (DATAPORTAL_LOCAL_ENGINE=false); turn it on or publish with scheduler "dolphin"',
  dolphin:
    'set DOLPHIN_URL and DOLPHIN_TOKEN (and DOLPHIN_PROJECT) to publish batch tasks to DolphinScheduler, or publish with scheduler "local"',
  dinky: 'set DINKY_URL and DINKY_TOKEN to run stream tasks on Dinky',
};

/**
 * The error for a request that needs an engine this deployment has not configured; its message
 * names the settings to add.
 *
 * @param engine - `local`, `dolphin` or `dinky`
 * @returns the error to throw (422, `ENGINE_NOT_CONFIGURED`)
 * @example
 * ```ts
 * if (!portal.streamEngine('dinky')) throw engineNotConfigured('dinky');
 * ```
 */
export function engineNotConfigured(engine: string): ServerError {
  const hint = ENGINE_HINTS[engine] ?? `configure the ${engine} engine`;
  return new ServerError(
    'ENGINE_NOT_CONFIGURED',
    STATUS_BY_SDK_CODE.ENGINE_NOT_CONFIGURED,
    `no ${engine} engine is configured: ${hint}`,
    { engine },
  );
}
