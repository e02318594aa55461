import net from 'node:net';
import { createTestStore, mysqlTestUrl, type TestStore } from '@dataportal/sdk/testing';

/** The MySQL server tests use (CI exports DATAPORTAL_TEST_MYSQL_URL). */
export const MYSQL_URL = mysqlTestUrl(process.env['DATAPORTAL_TEST_MYSQL_URL']);

function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port || 3306), u.hostname);
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('data', () => done(true));
    s.once('error', () => done(false));
    setTimeout(() => done(false), 1500);
  });
}

/**
 * Store dialects to run the route suites on. With CI=true MySQL is always included, so an
 * unreachable server fails loudly instead of skipping.
 */
export async function storeDialects(): Promise<('sqlite' | 'mysql')[]> {
  if (process.env['CI'] === 'true') return ['sqlite', 'mysql'];
  if (await reachable(MYSQL_URL)) return ['sqlite', 'mysql'];
  console.warn(`\n!! MySQL not reachable at ${MYSQL_URL}: MySQL route tests are SKIPPED\n`);
  return ['sqlite'];
}

/** Opens a throwaway migrated store of the dialect. */
export function openTestStore(dialect: 'sqlite' | 'mysql'): Promise<TestStore> {
  return createTestStore({ dialect, serverUrl: MYSQL_URL });
}
