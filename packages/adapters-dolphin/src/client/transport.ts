import ky, { isHTTPError, isTimeoutError, type KyInstance } from 'ky';
import { codeForEngineCode, DolphinError, isDolphinError } from '../errors';
import { parseJsonLossless } from '../internal/json';
import { EnvelopeSchema } from '../schemas';
import {
  type DolphinNames,
  type DolphinVersionLine,
  dolphinNames,
  versionLineOf,
} from '../version';
import {
  asFormValue,
  type CallSpec,
  type DolphinCallOptions,
  type DolphinClientConfig,
  NullishData,
  ProductInfoSchema,
  shorten,
} from './common';

/**
 * The transport every resource of {@link DolphinClient} builds on: one ky instance, the `token`
 * header, the envelope check, zod validation, typed errors and the version line (probed once).
 *
 * @internal
 */
export class DolphinTransport {
  readonly #ky: KyInstance;
  readonly #pinned: DolphinVersionLine | null;
  #line: Promise<DolphinVersionLine> | null = null;
  #serverVersion: string | null = null;
  #calls = 0;

  /**
   * @param config - base URL, token, version line, timeouts, retries, fetch
   */
  constructor(config: DolphinClientConfig) {
    const backoff = config.retryBackoffMs ?? 300;
    this.#pinned = config.version && config.version !== 'auto' ? config.version : null;
    const token = config.token;
    this.#ky = ky.create({
      prefix: config.baseUrl,
      timeout: config.timeoutMs ?? 30_000,
      retry: {
        limit: config.retries ?? 2,
        methods: ['get'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        retryOnTimeout: true,
        delay: (attempt) => backoff * 2 ** (attempt - 1),
      },
      ...(config.fetch ? { fetch: config.fetch } : {}),
      hooks: {
        beforeRequest: [
          ({ request }) => {
            request.headers.set('token', token);
          },
        ],
      },
    });
  }

  /** Number of HTTP calls this client has started (attempts, including version probes). */
  get callCount(): number {
    return this.#calls;
  }

  /** The server's release string when the probe read it (3.3+), else null. */
  get serverVersion(): string | null {
    return this.#serverVersion;
  }

  /**
   * The version line in use: the configured one, or the probed one (probed once, cached).
   *
   * @param options - abort signal
   * @returns `3.1`, `3.2` or `3.3`
   * @throws {@link DolphinError} `UNAUTHORIZED`, `NETWORK_ERROR`, `TIMEOUT` when the probe fails
   */
  async versionLine(options: DolphinCallOptions = {}): Promise<DolphinVersionLine> {
    if (this.#pinned) return this.#pinned;
    if (!this.#line) {
      const probe = this.detectVersion(options);
      this.#line = probe;
      probe.catch(() => {
        if (this.#line === probe) this.#line = null;
      });
    }
    return this.#line;
  }

  /**
   * Probes the server's version line: `GET /ui-plugins/query-product-info` (3.3+ only), then
   * `GET /alert-groups/normal-list` (3.2+) (reference §2.13). Only a transport failure is fatal:
   * a real 3.1.1 answers the first probe with engine code 110003 (the path matches
   * `/ui-plugins/{id}`, reference §12) and the second with HTTP 405.
   *
   * @param options - abort signal
   * @returns the detected line
   * @throws {@link DolphinError} `UNAUTHORIZED`, `NETWORK_ERROR`, `TIMEOUT`
   */
  async detectVersion(options: DolphinCallOptions = {}): Promise<DolphinVersionLine> {
    try {
      const info = await this.send(
        {
          op: 'detectVersion',
          method: 'GET',
          path: 'ui-plugins/query-product-info',
          schema: ProductInfoSchema,
        },
        options,
      );
      this.#serverVersion = info.version;
      return versionLineOf(info.version) ?? '3.3';
    } catch (err) {
      if (isFatalProbeError(err)) throw err;
    }
    try {
      await this.send(
        {
          op: 'detectVersion',
          method: 'GET',
          path: 'alert-groups/normal-list',
          schema: NullishData,
        },
        options,
      );
      return '3.2';
    } catch (err) {
      if (isFatalProbeError(err)) throw err;
      return '3.1';
    }
  }

  /**
   * Sends one call built for the version line in use; re-probes once after an in-place upgrade.
   *
   * @internal
   */
  protected async call<T>(
    build: (names: DolphinNames) => CallSpec<T>,
    options: DolphinCallOptions = {},
  ): Promise<T> {
    const line = await this.versionLine(options);
    try {
      return await this.send(build(dolphinNames(line)), options);
    } catch (err) {
      // A server upgraded in place (3.2 → 3.3) answers the old paths with the UI's HTML:
      // probe again once and retry with the new line's names.
      if (this.#pinned || !isDolphinError(err, 'VERSION_MISMATCH')) throw err;
      this.#line = null;
      const again = await this.versionLine(options);
      if (again === line) throw err;
      return this.send(build(dolphinNames(again)), options);
    }
  }

  /**
   * Sends one call and checks the envelope, the HTTP status and the data's schema.
   *
   * @internal
   */
  protected async send<T>(spec: CallSpec<T>, options: DolphinCallOptions): Promise<T> {
    const { op, method, path } = spec;
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(spec.params ?? {})) {
      if (v !== undefined && v !== null) form.append(k, asFormValue(v));
    }
    const ctx = { method, path: `/${path}` };
    const query = method === 'GET' || method === 'DELETE';
    let response: Response;
    let body: string;
    try {
      this.#calls += 1;
      response = await this.#ky(path, {
        method,
        ...(query ? { searchParams: form } : { body: form }),
        ...(options.signal ? { signal: options.signal } : {}),
        hooks: {
          beforeRetry: [
            () => {
              this.#calls += 1;
            },
          ],
        },
      });
      body = await response.text();
    } catch (err) {
      throw this.#transportError(op, err, ctx);
    }
    const status = response.status;
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('text/html') || /^\s*</.test(body)) {
      throw new DolphinError(
        'VERSION_MISMATCH',
        `dolphin: ${op} got HTML instead of JSON from ${ctx.path}: version mismatch or wrong base URL`,
        { ...ctx, httpStatus: status },
      );
    }
    let json: unknown;
    try {
      json = parseJsonLossless(body);
    } catch (err) {
      throw new DolphinError(
        'INVALID_RESPONSE',
        `dolphin: ${op} answered non-JSON: ${shorten(body, 80)}`,
        {
          ...ctx,
          httpStatus: status,
          cause: err,
        },
      );
    }
    const envelope = EnvelopeSchema.safeParse(json);
    if (!envelope.success) {
      throw new DolphinError(
        'INVALID_RESPONSE',
        `dolphin: ${op} answered without the {code,msg,data} envelope`,
        {
          ...ctx,
          httpStatus: status,
          cause: envelope.error,
        },
      );
    }
    const { code, msg } = envelope.data;
    if (code !== 0) {
      throw new DolphinError(
        codeForEngineCode(code, msg ?? ''),
        `dolphin: ${op} failed with engine code ${code}: ${shorten(msg ?? '')}`,
        { ...ctx, httpStatus: status, engineCode: code },
      );
    }
    const data = spec.schema.safeParse(envelope.data.data);
    if (!data.success) {
      throw new DolphinError(
        'INVALID_RESPONSE',
        `dolphin: ${op} answered unexpected data: ${shorten(data.error.message)}`,
        {
          ...ctx,
          httpStatus: status,
          engineCode: 0,
          cause: data.error,
        },
      );
    }
    return data.data;
  }

  #transportError(op: string, err: unknown, ctx: { method: string; path: string }): DolphinError {
    if (isDolphinError(err)) return err;
    if (isHTTPError(err)) {
      const status = err.response.status;
      if (status === 404) {
        // 3.1 without the UI bundle answers an unknown path with Jetty's 404 page (measured).
        return new DolphinError(
          'VERSION_MISMATCH',
          `dolphin: ${op}: no such path ${ctx.path} (HTTP 404): version mismatch or wrong base URL`,
          { ...ctx, httpStatus: 404, cause: err },
        );
      }
      if (status === 401) {
        return new DolphinError('UNAUTHORIZED', `dolphin: ${op} rejected the token (HTTP 401)`, {
          ...ctx,
          httpStatus: 401,
          cause: err,
        });
      }
      return new DolphinError('HTTP_ERROR', `dolphin: ${op} failed with HTTP ${status}`, {
        ...ctx,
        httpStatus: status,
        cause: err,
      });
    }
    if (isTimeoutError(err)) {
      return new DolphinError('TIMEOUT', `dolphin: ${op} timed out`, { ...ctx, cause: err });
    }
    if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
      return new DolphinError(
        err.name === 'AbortError' ? 'ABORTED' : 'TIMEOUT',
        `dolphin: ${op} ${err.name === 'AbortError' ? 'aborted' : 'timed out'}`,
        {
          ...ctx,
          cause: err,
        },
      );
    }
    const message = err instanceof Error ? err.message : String(err);
    return new DolphinError(
      'NETWORK_ERROR',
      `dolphin: ${op} failed to reach the server: ${shorten(message, 120)}`,
      { ...ctx, cause: err },
    );
  }
}

/** A probe failure that says nothing about the version line: the server was not reached. */
function isFatalProbeError(err: unknown): boolean {
  return (
    !isDolphinError(err) ||
    ['UNAUTHORIZED', 'NETWORK_ERROR', 'TIMEOUT', 'ABORTED'].includes(err.code)
  );
}
