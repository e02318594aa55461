/**
 * Test helpers for code built on the sdk: throwaway stores on SQLite and on a real
 * MySQL/MariaDB server.
 *
 * @module
 */
export {
  createTestStore,
  mysqlTestUrl,
  type TestStore,
  type TestStoreOptions,
} from './test-store.js';
