/**
 * Test helpers for code built on the sdk: throwaway stores on SQLite and on a real
 * MySQL/MariaDB server.
 *
 * @module
 */
export {
  createTestStore,
  isMysqlReachable,
  mysqlTestUrl,
  type TestStore,
  type TestStoreOptions,
  testStoreDialects,
} from './test-store.js';
