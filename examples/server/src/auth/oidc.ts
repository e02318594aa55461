import { type Actor, ROLES, type Role, roleAtLeast } from '@dataportal/sdk';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';

/** Checks a company OIDC token (a JWT) and maps it to an actor. */
export interface OidcVerifier {
  /**
   * Verifies signature (keys from the provider's JWKS), issuer, audience and expiry.
   *
   * @param token - the bearer token
   * @returns the actor, or null when the token is not valid or carries no DataPortal role
   */
  verify(token: string): Promise<Actor | null>;
}

/** Options of {@link createOidcVerifier}. */
export interface OidcOptions {
  /** The issuer (`DATAPORTAL_OIDC_ISSUER`), e.g. `https://login.example.com/realms/corp`. */
  readonly issuer: string;
  /** Expected audience (`DATAPORTAL_OIDC_AUDIENCE`); unchecked when absent. */
  readonly audience?: string | null;
  /** JWKS URL; defaults to the `jwks_uri` of the issuer's discovery document. */
  readonly jwksUrl?: string | null;
  /** Claim holding the roles (`DATAPORTAL_OIDC_ROLES_CLAIM`, default `roles`; dots walk objects). */
  readonly rolesClaim?: string;
  /** Claim holding the user name (default `preferred_username`, then `sub`). */
  readonly nameClaim?: string;
}

function claim(payload: JWTPayload, path: string): unknown {
  let v: unknown = payload;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * The highest DataPortal role among a claim's values (`viewer`, `developer`, `admin`, also as
 * `dataportal-<role>` or `dataportal:<role>`), from an array or a space/comma separated string.
 *
 * @param value - the claim's value
 * @returns the role, or null
 * @internal
 */
export function roleFromClaim(value: unknown): Role | null {
  const items = Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value.split(/[\s,]+/)
      : [];
  let best: Role | null = null;
  for (const raw of items) {
    const r = raw.toLowerCase().replace(/^dataportal[-:_]/, '');
    const role = ROLES.find((x) => x === r);
    if (role && (best === null || roleAtLeast(role, best))) best = role;
  }
  return best;
}

/**
 * Creates a verifier of company OIDC tokens: keys come from the provider's JWKS (fetched on
 * first use and cached by jose), issuer and audience must match, and the roles claim must name
 * a DataPortal role.
 *
 * @param options - issuer, audience, claims
 * @returns the verifier
 * @example
 * ```ts
 * const oidc = createOidcVerifier({ issuer: 'https://login.example.com', audience: 'dataportal' });
 * const actor = await oidc.verify(jwt); // { name: 'ann', role: 'developer' } or null
 * ```
 */
export function createOidcVerifier(options: OidcOptions): OidcVerifier {
  const issuer = options.issuer.replace(/\/+$/, '');
  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  const keys = async () => {
    if (jwks) return jwks;
    let url = options.jwksUrl ?? null;
    if (!url) {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`OIDC discovery answered ${res.status}`);
      url = String(((await res.json()) as { jwks_uri?: unknown }).jwks_uri ?? '');
      if (!url) throw new Error('OIDC discovery has no jwks_uri');
    }
    jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000 });
    return jwks;
  };
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, await keys(), {
          issuer: [issuer, `${issuer}/`],
          ...(options.audience ? { audience: options.audience } : {}),
          clockTolerance: 30,
        });
        const role = roleFromClaim(claim(payload, options.rolesClaim ?? 'roles'));
        const name = claim(payload, options.nameClaim ?? 'preferred_username') ?? payload.sub;
        if (!role || typeof name !== 'string' || name === '') return null;
        return { name: name.slice(0, 128), role };
      } catch {
        return null;
      }
    },
  };
}
