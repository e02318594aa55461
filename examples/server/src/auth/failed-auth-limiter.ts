import { ServerError } from '../errors';

/** Slows down token guessing: counts failed authentications per address. */
export interface FailedAuthLimiter {
  /**
   * Throws 429 with `retryAfterSeconds` when the address failed too often in the window; it
   * runs before a token is looked up, so guessing costs the server nothing.
   */
  check(ip: string): void;
  /** Records one failure of the address. */
  fail(ip: string): void;
}

/** Options of {@link createFailedAuthLimiter}. */
export interface FailedAuthLimiterOptions {
  /** Failures allowed per address and window. Defaults to 20. */
  readonly maxFailures?: number;
  /** Window in milliseconds. Defaults to 60 000. */
  readonly windowMs?: number;
  /** Addresses remembered at most (oldest forgotten first). Defaults to 10 000. */
  readonly maxAddresses?: number;
  /** Clock. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * Creates the failed-authentication limiter: after `maxFailures` wrong tokens (or sign-ins)
 * from one address within the window, that address gets 429 `RATE_LIMITED` with a
 * `Retry-After` until the window ends — other callers are not affected.
 *
 * @param options - limits and clock
 * @returns the limiter
 * @example
 * ```ts
 * const limiter = createFailedAuthLimiter({ maxFailures: 20, windowMs: 60_000 });
 * ```
 */
export function createFailedAuthLimiter(options: FailedAuthLimiterOptions = {}): FailedAuthLimiter {
  const max = options.maxFailures ?? 20;
  const windowMs = options.windowMs ?? 60_000;
  const cap = options.maxAddresses ?? 10_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, { count: number; resetAt: number }>();
  return {
    check(ip) {
      const e = seen.get(ip);
      if (!e) return;
      const t = now();
      if (e.resetAt <= t) {
        seen.delete(ip);
        return;
      }
      if (e.count >= max) {
        throw new ServerError(
          'RATE_LIMITED',
          429,
          `too many failed sign-ins from this address; retry in ${Math.ceil((e.resetAt - t) / 1000)} s`,
          { retryAfterSeconds: Math.ceil((e.resetAt - t) / 1000) },
        );
      }
    },
    fail(ip) {
      const t = now();
      const e = seen.get(ip);
      if (e && e.resetAt > t) {
        e.count++;
        return;
      }
      seen.delete(ip);
      if (seen.size >= cap) {
        const oldest = seen.keys().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
      seen.set(ip, { count: 1, resetAt: t + windowMs });
    },
  };
}
