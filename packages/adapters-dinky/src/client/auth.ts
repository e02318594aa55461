import { z } from 'zod';
import { DinkyError } from '../errors';
import { cookieValue, type DinkyTransport } from './transport';
import type { DinkyLogin } from './types';

// Login and token of the `/api/**` calls (Dinky 1.x, sa-token). Dinky reads the token from the
// header or cookie named by `sa-token.token-name` in `dinky-admin/src/main/resources/application.yml`
// (`token` up to 1.1, `dinky-token` from 1.2), and `POST /api/login` answers it in that header.

/**
 * The `/api` token of one client: a given token, one shared by replicas through a
 * {@link DinkyTokenStore}, or one obtained by logging in. sa-token's `is-concurrent: false` makes a
 * login replace the user's other sessions (`UserServiceImpl.loginUser` → `StpUtil.login`; the
 * replaced token then answers HTTP 401, code 7, `Status.BE_REPLACED`), so two replicas that log in
 * as one user would kick each other out on every call. The session therefore (1) adopts a newer
 * shared token before logging in, and (2) logs in again after a 401 at most once per cooldown.
 */
export class DinkySession {
  readonly #transport: DinkyTransport;
  #token: string | null;
  #loggingIn: Promise<string> | null = null;
  #lastLoginAt: number | null = null;

  constructor(transport: DinkyTransport) {
    this.#transport = transport;
    this.#token = transport.config.token ?? null;
  }

  /** Whether `/api/**` calls can be made (a token or a login is configured). */
  get canUseApi(): boolean {
    return this.#token !== null || this.#transport.config.login !== undefined;
  }

  /** Forgets the token and logs in now. */
  async login(signal: AbortSignal | undefined): Promise<void> {
    this.#token = null;
    await this.#loginOnce(signal);
  }

  /**
   * Runs an `/api` request with the token: a shared or fresh one when there is none yet; after a
   * 401 first a newer shared token, else one new login unless the last one is younger than the
   * cooldown (then the 401 stands: another session of this user is active).
   */
  async withToken<T>(
    signal: AbortSignal | undefined,
    run: (token: string) => Promise<T>,
  ): Promise<T> {
    const token = await this.#ensureToken(signal);
    try {
      return await run(token);
    } catch (err) {
      if (!(err instanceof DinkyError) || err.code !== 'UNAUTHORIZED') throw err;
      const config = this.#transport.config;
      const shared = config.tokenStore ? await config.tokenStore.get() : null;
      if (shared && shared !== token) {
        this.#token = shared;
        return run(shared);
      }
      if (!config.login) throw err;
      const now = (config.now ?? Date.now)();
      const cooldown = config.reloginCooldownMs ?? 60_000;
      if (this.#lastLoginAt !== null && now - this.#lastLoginAt < cooldown) {
        throw new DinkyError(
          'UNAUTHORIZED',
          `dinky: another session of user ${config.login.username} replaced this one within ${cooldown} ms; not logging in again before then (share the token with tokenStore, or give each replica its own user or token)`,
          {
            method: err.method,
            path: err.path,
            httpStatus: err.httpStatus,
            engineCode: err.engineCode,
            cause: err,
          },
        );
      }
      if (this.#token === token) this.#token = null;
      const fresh = await this.#ensureToken(signal);
      return run(fresh);
    }
  }

  async #ensureToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.#token !== null) return this.#token;
    const store = this.#transport.config.tokenStore;
    const shared = store ? await store.get() : null;
    if (shared) {
      this.#token = shared;
      return shared;
    }
    return this.#loginOnce(signal);
  }

  /** One login at a time per client; publishes the token to the shared store. */
  async #loginOnce(signal: AbortSignal | undefined): Promise<string> {
    const config = this.#transport.config;
    const login = config.login;
    if (!login) {
      throw new DinkyError(
        'NOT_SUPPORTED',
        'dinky: this call uses /api and needs a token or login settings',
      );
    }
    if (!this.#loggingIn) {
      this.#loggingIn = (async () => {
        const token = await this.#doLogin(login, signal);
        this.#lastLoginAt = (config.now ?? Date.now)();
        await config.tokenStore?.set(token);
        return token;
      })().finally(() => {
        this.#loggingIn = null;
      });
    }
    const token = await this.#loggingIn;
    this.#token = token;
    return token;
  }

  async #doLogin(login: DinkyLogin, signal: AbortSignal | undefined): Promise<string> {
    const t = this.#transport;
    const v = await t.version(signal ? { signal } : {});
    if (v.legacy) throw new DinkyError('NOT_SUPPORTED', 'dinky: login via /api needs Dinky 1.x');
    let token: string | null = null;
    await t.request({
      op: 'login',
      method: 'POST',
      path: 'api/login',
      json: {
        username: login.username,
        password: login.password,
        ldapLogin: false,
        autoLogin: true,
      },
      schema: z.unknown(),
      legacy: false,
      signal,
      onResponse: (res) => {
        token = res.headers.get(v.tokenName) ?? cookieValue(res.headers, v.tokenName);
      },
      authFailure: true,
    });
    if (!token) {
      throw new DinkyError('UNAUTHORIZED', `dinky: login answered no ${v.tokenName} header`, {
        path: 'api/login',
        method: 'POST',
      });
    }
    const tenantId = login.tenantId ?? t.config.tenantId ?? 1;
    await t.request({
      op: 'chooseTenant',
      method: 'POST',
      path: 'api/chooseTenant',
      query: { tenantId },
      schema: z.unknown(),
      legacy: false,
      token,
      tokenName: v.tokenName,
      signal,
    });
    return token;
  }
}
