import ky, { HTTPError, isKyError, NetworkError, TimeoutError } from 'ky';
import type { ZodType } from 'zod';
import { z } from 'zod';
import { codeForEngineCode, DinkyError, type DinkyErrorCode, truncateEngineText } from '../errors';
import { DinkyEnvelopeSchema } from '../schemas';
import { DinkySession } from './auth';
import type { DinkyCallOptions, DinkyClientConfig, DinkyVersion } from './types';

// The HTTP side of the Dinky client: version probe, 1.x/0.7 envelopes, errors, retries, and the
// token on `/api/**` calls (the session in ./auth.ts). The resource files (tasks, savepoints,
// job-instances, metrics, task-editing) describe each call as a CallSpec and hand it to call().

/** One Dinky call, described for {@link DinkyTransport.call}. */
export interface CallSpec<T> {
  readonly op: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly json?: unknown;
  readonly schema: ZodType<T>;
  /** A login-based `/api/**` call (token header and tenant cookie). */
  readonly api?: boolean;
  readonly retry?: boolean;
  readonly timeoutMs?: number;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal | undefined;
}

/** A raw request: a CallSpec plus the envelope flavour and, for `/api`, the token. */
export type RequestSpec<T> = CallSpec<T> & {
  readonly legacy: boolean;
  readonly token?: string;
  readonly tokenName?: string;
  readonly onResponse?: (res: Response) => void;
  readonly authFailure?: boolean;
};

/** A string payload that may be null. */
export const NullableString = z.string().nullish();
/** A boolean payload that may be null. */
export const Bool = z.boolean().nullish();

/** Reads what `/openapi/version` said (null: no such endpoint, 0.7). */
export function parseVersion(raw: string | null): DinkyVersion {
  if (raw === null || raw === '0.7' || /^0\./.test(raw)) {
    return { raw, major: 0, minor: 7, legacy: true, tokenName: 'satoken' };
  }
  const m = /^(\d+)\.(\d+)/.exec(raw);
  const major = m ? Number(m[1]) : 1;
  const minor = m ? Number(m[2]) : 0;
  const newToken = major > 1 || (major === 1 && minor >= 2);
  return { raw, major, minor, legacy: false, tokenName: newToken ? 'dinky-token' : 'token' };
}

function describe(context: Readonly<Record<string, unknown>> | undefined): string {
  if (!context) return '';
  const parts = Object.entries(context)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function firstLine(data: unknown): string | null {
  if (typeof data !== 'string') return null;
  return data.split('\n', 1)[0] ?? null;
}

/** The HTTP transport shared by every resource of {@link DinkyClient}. */
export class DinkyTransport {
  readonly config: DinkyClientConfig;
  readonly session: DinkySession;
  readonly #http: typeof ky;
  #version: DinkyVersion | null;

  constructor(config: DinkyClientConfig) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch (err) {
      throw new DinkyError('INVALID_ARGUMENT', `dinky: invalid base url ${config.url}`, {
        cause: err,
      });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DinkyError('INVALID_ARGUMENT', `dinky: base url must be http(s): ${url.origin}`);
    }
    this.config = config;
    this.#version = config.version === undefined ? null : parseVersion(config.version);
    this.#http = ky.create({
      prefix: url.href,
      timeout: config.timeoutMs ?? 30_000,
      retry: 0,
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
    this.session = new DinkySession(this);
  }

  /** Probes the version once; see {@link DinkyClient.version}. */
  async version(options: DinkyCallOptions = {}): Promise<DinkyVersion> {
    if (this.#version) return this.#version;
    let raw: string | null = null;
    try {
      raw = await this.request({
        op: 'version',
        method: 'GET',
        path: 'openapi/version',
        schema: z.string(),
        retry: true,
        signal: options.signal,
        legacy: false,
      });
    } catch (err) {
      if (err instanceof DinkyError && ['NETWORK_ERROR', 'TIMEOUT', 'ABORTED'].includes(err.code)) {
        throw err;
      }
      raw = null;
    }
    this.#version = parseVersion(raw);
    return this.#version;
  }

  /** Makes a call: OpenAPI as is, `/api` with the session's token and one re-login on 401. */
  async call<T>(spec: CallSpec<T>): Promise<T> {
    const v = await this.version(spec.signal ? { signal: spec.signal } : {});
    if (!spec.api) return this.request({ ...spec, legacy: v.legacy });
    if (v.legacy) {
      throw new DinkyError('NOT_SUPPORTED', `dinky: ${spec.op} via /api needs Dinky 1.x`);
    }
    return this.session.withToken(spec.signal, (token) =>
      this.request({ ...spec, legacy: false, token, tokenName: v.tokenName }),
    );
  }

  /** One HTTP exchange: headers, retries, envelope, payload schema; every failure a DinkyError. */
  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const where = describe(spec.context);
    const meta = { method: spec.method, path: spec.path };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.token && spec.tokenName) {
      headers[spec.tokenName] = spec.token;
      const tenantId = this.config.login?.tenantId ?? this.config.tenantId ?? 1;
      headers['cookie'] = `${spec.tokenName}=${spec.token}; tenantId=${tenantId}`;
    }
    const searchParams: Record<string, string> = {};
    for (const [k, val] of Object.entries(spec.query ?? {})) {
      if (val !== undefined) searchParams[k] = String(val);
    }
    const retryLimit = spec.retry ? (this.config.retry?.limit ?? 2) : 0;
    const delayMs = this.config.retry?.delayMs ?? 300;
    let text: string;
    let status: number;
    try {
      const res = await this.#http(spec.path, {
        method: spec.method,
        headers,
        searchParams,
        ...(spec.json === undefined ? {} : { json: spec.json }),
        ...(spec.timeoutMs === undefined ? {} : { timeout: spec.timeoutMs }),
        retry: {
          limit: retryLimit,
          methods: ['get', 'post'],
          delay: () => delayMs,
        },
        ...(spec.signal ? { signal: spec.signal } : {}),
      });
      spec.onResponse?.(res);
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw this.#transportError(spec.op, where, meta, err, spec.authFailure === true);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new DinkyError('INVALID_RESPONSE', `dinky: ${spec.op} answered non-JSON${where}`, {
        ...meta,
        httpStatus: status,
        cause: err,
      });
    }
    const env = DinkyEnvelopeSchema.safeParse(body);
    if (!env.success) {
      throw new DinkyError('INVALID_RESPONSE', `dinky: ${spec.op} answered no envelope${where}`, {
        ...meta,
        httpStatus: status,
        cause: env.error,
      });
    }
    if (env.data.code !== 0) {
      throw envelopeError(
        spec.op,
        where,
        { ...meta, httpStatus: status },
        env.data,
        spec.authFailure,
      );
    }
    const payload = spec.legacy
      ? 'datas' in env.data
        ? env.data.datas
        : env.data.data
      : 'data' in env.data
        ? env.data.data
        : env.data.datas;
    const parsed = spec.schema.safeParse(payload ?? null);
    if (!parsed.success) {
      throw new DinkyError(
        'INVALID_RESPONSE',
        `dinky: ${spec.op} answered an unexpected payload${where}`,
        { ...meta, httpStatus: status, cause: parsed.error },
      );
    }
    return parsed.data;
  }

  #transportError(
    op: string,
    where: string,
    meta: { method: string; path: string },
    err: unknown,
    authFailure: boolean,
  ): DinkyError {
    if (err instanceof DinkyError) return err;
    if (err instanceof HTTPError) {
      const status = err.response.status;
      const env = DinkyEnvelopeSchema.safeParse(err.data);
      if (env.success && env.data.code !== 0) {
        return envelopeError(
          op,
          where,
          { ...meta, httpStatus: status },
          env.data,
          authFailure,
          err,
        );
      }
      const code: DinkyErrorCode =
        status === 401 || status === 403
          ? 'UNAUTHORIZED'
          : status === 404 || status === 405
            ? 'NOT_SUPPORTED'
            : status === 400
              ? 'INVALID_PARAMS'
              : 'HTTP_ERROR';
      return new DinkyError(code, `dinky: ${op} failed with http ${status}${where}`, {
        ...meta,
        httpStatus: status,
        cause: err,
      });
    }
    if (err instanceof TimeoutError) {
      return new DinkyError('TIMEOUT', `dinky: ${op} timed out${where}`, { ...meta, cause: err });
    }
    if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
      const code = err.name === 'AbortError' ? 'ABORTED' : 'TIMEOUT';
      return new DinkyError(
        code,
        `dinky: ${op} ${code === 'ABORTED' ? 'aborted' : 'timed out'}${where}`,
        {
          ...meta,
          cause: err,
        },
      );
    }
    if (err instanceof NetworkError || isKyError(err)) {
      return new DinkyError('NETWORK_ERROR', `dinky: ${op} could not reach dinky${where}`, {
        ...meta,
        cause: err,
      });
    }
    return new DinkyError('NETWORK_ERROR', `dinky: ${op} failed${where}`, { ...meta, cause: err });
  }
}

function envelopeError(
  op: string,
  where: string,
  meta: { method: string; path: string; httpStatus: number },
  env: { code: number; msg?: string | null | undefined; data?: unknown; datas?: unknown },
  authFailure: boolean | undefined,
  cause?: unknown,
): DinkyError {
  const code = authFailure ? 'UNAUTHORIZED' : codeForEngineCode(env.code);
  const detail = env.code === 5 ? firstLine(env.data ?? env.datas) : null;
  const shortMsg = truncateEngineText(env.msg, 120);
  return new DinkyError(
    code,
    `dinky: ${op} failed with engine code ${env.code}${where}${shortMsg ? `: ${shortMsg}` : ''}`,
    {
      ...meta,
      engineCode: env.code,
      engineMessage: env.msg ?? null,
      engineDetail: detail,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/** Reads a cookie from `Set-Cookie` headers. */
export function cookieValue(headers: Headers, name: string): string | null {
  const all = headers.getSetCookie?.() ?? [];
  for (const c of all) {
    const [pair] = c.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0 && pair.slice(0, eq).trim() === name) {
      return decodeURIComponent(pair.slice(eq + 1).trim());
    }
  }
  return null;
}
