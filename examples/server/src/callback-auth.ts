import { createHmac, timingSafeEqual } from 'node:crypto';
import { ServerError } from './errors';

/** Header carrying the shared secret. */
export const SECRET_HEADER = 'x-dataportal-secret';
/** Header carrying the request time in Unix seconds, signed with the body. */
export const TIMESTAMP_HEADER = 'x-dataportal-timestamp';
/** Header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export const SIGNATURE_HEADER = 'x-dataportal-signature';

/** Configuration of {@link createCallbackAuth}. */
export interface CallbackAuthConfig {
  /** The shared secret; null or empty turns authentication off. */
  readonly secret: string | null;
  /** How far the signed timestamp may be from now, in seconds. Defaults to 300. */
  readonly windowSeconds?: number;
  /** Clock in epoch milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/** The parts of a request the authenticator reads. */
export interface CallbackRequestParts {
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body exactly as received. */
  readonly rawBody: string;
}

/** Checks that a callback comes from someone who knows the secret. */
export interface CallbackAuth {
  /** Whether a secret is configured. */
  readonly enabled: boolean;
  /**
   * Accepts the request or throws a 401 {@link ServerError}.
   *
   * @param req - headers and raw body
   */
  verify(req: CallbackRequestParts): void;
}

function header(h: CallbackRequestParts['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Signs a callback body the way {@link createCallbackAuth} verifies it; engines and scripts
 * that post callbacks use the same recipe.
 *
 * @param secret - the shared secret
 * @param timestamp - Unix seconds, sent as `x-dataportal-timestamp`
 * @param rawBody - the exact body bytes as a string
 * @returns the `x-dataportal-signature` value, `sha256=<hex>`
 * @example
 * ```ts
 * const ts = Math.floor(Date.now() / 1000);
 * const sig = signCallback('s3cret', ts, JSON.stringify(body));
 * ```
 */
export function signCallback(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * Creates the callback authenticator: with a secret configured, a callback must carry either
 * the secret itself in `x-dataportal-secret`, or a timestamp and an HMAC-SHA256 signature of
 * `"<timestamp>.<body>"` (`x-dataportal-timestamp`, `x-dataportal-signature: sha256=…`) within
 * the replay window; a signature is accepted once.
 *
 * @param config - secret, window, clock
 * @returns the authenticator
 * @example
 * ```ts
 * const auth = createCallbackAuth({ secret: process.env.DATAPORTAL_CALLBACK_SECRET ?? null });
 * auth.verify({ headers: req.headers, rawBody });
 * ```
 */
export function createCallbackAuth(config: CallbackAuthConfig): CallbackAuth {
  const secret = config.secret ?? '';
  const windowMs = (config.windowSeconds ?? 300) * 1000;
  const now = config.now ?? Date.now;
  const seen = new Map<string, number>();
  const deny = (why: string) =>
    new ServerError('UNAUTHORIZED', 401, `callback rejected: ${why}`, {
      accepted: [SECRET_HEADER, `${TIMESTAMP_HEADER} + ${SIGNATURE_HEADER}`],
    });
  return {
    enabled: secret !== '',
    verify(req) {
      if (secret === '') return;
      const given = header(req.headers, SECRET_HEADER);
      if (given !== undefined) {
        if (equal(given, secret)) return;
        throw deny('wrong shared secret');
      }
      const ts = header(req.headers, TIMESTAMP_HEADER);
      const sig = header(req.headers, SIGNATURE_HEADER);
      if (ts === undefined || sig === undefined) throw deny('no secret or signature');
      if (!/^\d{1,12}$/.test(ts)) throw deny('malformed timestamp');
      const t = Number(ts) * 1000;
      const at = now();
      if (Math.abs(at - t) > windowMs) throw deny('timestamp outside the replay window');
      if (!equal(sig, signCallback(secret, Number(ts), req.rawBody))) {
        throw deny('signature does not match');
      }
      for (const [k, exp] of seen) if (exp < at) seen.delete(k);
      if (seen.has(sig)) throw deny('signature already used (replay)');
      seen.set(sig, t + windowMs);
    },
  };
}
