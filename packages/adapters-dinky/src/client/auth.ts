import { z } from 'zod';
import { DinkyError } from '../errors';
import { cookieValue, type DinkyTransport } from './transport';
import type { DinkyLogin } from './types';

// Login and token of the `/api/**` calls (Dinky 1.x, sa-token). Dinky reads the token from the
// header or cookie named by `sa-token.token-name` in `dinky-admin/src/main/resources/application.yml`
// (`token` up to 1.1, `dinky-token` from 1.2), and `POST /api/login` answers it in that header.

/** The `/api` token of one client: a given token, or one obtained by logging in. */
export class DinkySession {
  readonly #transport: DinkyTransport;
  #token: string | null;
  #loggingIn: Promise<string> | null = null;

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
    await this.#ensureToken(signal);
  }

  /** Runs an `/api` request with the token, logging in first when needed and once more on 401. */
  async withToken<T>(
    signal: AbortSignal | undefined,
    run: (token: string) => Promise<T>,
  ): Promise<T> {
    const token = await this.#ensureToken(signal);
    try {
      return await run(token);
    } catch (err) {
      // One fresh login when the token expired or another login of this user replaced it.
      if (
        err instanceof DinkyError &&
        err.code === 'UNAUTHORIZED' &&
        this.#transport.config.login
      ) {
        this.#token = null;
        const fresh = await this.#ensureToken(signal);
        return run(fresh);
      }
      throw err;
    }
  }

  async #ensureToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.#token !== null) return this.#token;
    const login = this.#transport.config.login;
    if (!login) {
      throw new DinkyError(
        'NOT_SUPPORTED',
        'dinky: this call uses /api and needs a token or login settings',
      );
    }
    if (!this.#loggingIn) {
      this.#loggingIn = this.#doLogin(login, signal).finally(() => {
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
