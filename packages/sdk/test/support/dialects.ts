import {
  createTestStore,
  mysqlTestUrl,
  type TestStore,
  testStoreDialects,
} from '../../src/testing/index.js';

/** The MySQL server tests use (CI exports DATAPORTAL_TEST_MYSQL_URL). */
export const MYSQL_URL = mysqlTestUrl(process.env['DATAPORTAL_TEST_MYSQL_URL']);

/** Dialects to run on: with CI=true MySQL always runs, so an unreachable server fails loudly. */
export function storeDialects(): Promise<('sqlite' | 'mysql')[]> {
  return testStoreDialects({
    serverUrl: MYSQL_URL,
    required: process.env['CI'] === 'true',
    suite: 'storage',
  });
}

/** Opens a throwaway migrated store of the dialect. */
export function openTestStore(dialect: 'sqlite' | 'mysql'): Promise<TestStore> {
  return createTestStore({ dialect, serverUrl: MYSQL_URL });
}
