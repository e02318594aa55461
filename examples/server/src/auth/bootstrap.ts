import { type IdentityService, isSdkError, SYSTEM_ACTOR } from '@dataportal/sdk';

/** Name of the first admin user. */
export const ADMIN_USER = 'admin';

/** What {@link bootstrapAdmin} did. */
export interface BootstrapResult {
  /** A token made now, to print once; null when none was made. */
  readonly newToken: string | null;
  /** Where the admin token came from. */
  readonly source: 'env' | 'generated' | 'existing';
}

/**
 * Makes sure the first admin can get in: with `DATAPORTAL_ADMIN_TOKEN` set, that value is the
 * `admin` user's bootstrap token (other bootstrap tokens are revoked, so changing the variable
 * rotates it); without it, the first start makes a random admin token and returns it to print
 * once — only its hash is stored. Later starts make nothing.
 *
 * @param identity - users and tokens
 * @param adminToken - `DATAPORTAL_ADMIN_TOKEN`, or null
 * @returns the token to print, if one was made
 */
export async function bootstrapAdmin(
  identity: IdentityService,
  adminToken: string | null,
): Promise<BootstrapResult> {
  try {
    await identity.getUser(ADMIN_USER);
  } catch (err) {
    if (!isSdkError(err, 'NOT_FOUND')) throw err;
    await identity.saveUser(
      { name: ADMIN_USER, role: 'admin', displayName: 'Administrator' },
      SYSTEM_ACTOR,
    );
  }
  const bootstrap = (await identity.listTokens(SYSTEM_ACTOR)).filter((t) => t.kind === 'bootstrap');
  if (adminToken !== null) {
    const known = await identity.hasTokenValue(adminToken);
    if (!known) {
      await identity.createToken(
        {
          userName: ADMIN_USER,
          name: 'DATAPORTAL_ADMIN_TOKEN',
          role: 'admin',
          kind: 'bootstrap',
          value: adminToken,
        },
        SYSTEM_ACTOR,
      );
    }
    const current = (await identity.verifyToken(adminToken))?.token.id;
    for (const t of bootstrap) {
      if (t.id !== current) await identity.revokeToken(t.id, SYSTEM_ACTOR);
    }
    return { newToken: null, source: 'env' };
  }
  if (bootstrap.length > 0) return { newToken: null, source: 'existing' };
  const made = await identity.createToken(
    { userName: ADMIN_USER, name: 'first admin token', role: 'admin', kind: 'bootstrap' },
    SYSTEM_ACTOR,
  );
  return { newToken: made.token, source: 'generated' };
}

/**
 * The text printed once at first start (as Jupyter prints its URL): the token, the URL that
 * signs a browser in, and how to call the API.
 *
 * @param token - the new admin token
 * @param baseUrl - where the server is reached
 * @returns the lines to print
 */
export function bootstrapBanner(token: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    '',
    '    DataPortal made the first admin token. It is shown only now (only its hash is stored):',
    '',
    `        ${token}`,
    '',
    '    Sign the browser in by opening:',
    '',
    `        ${base}/login#token=${token}`,
    '',
    '    or call the API with:',
    '',
    `        curl -H 'Authorization: Bearer ${token}' ${base}/api/v1/tasks`,
    '',
    '    Lost it? Run `dataportal token create --user admin --name recovery` on this machine.',
    '',
  ].join('\n');
}
