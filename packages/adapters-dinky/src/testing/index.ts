/**
 * `@dataportal/adapters-dinky/testing`: an in-memory fake Dinky server for contract tests of the
 * client, the engine and anything built on them. Not for production use.
 *
 * @module
 */

export {
  createFakeDinky,
  type FakeDinky,
  type FakeDinkyOptions,
  type FakeDinkyRequest,
  type FakeDinkyTask,
  type FakeDinkyTaskInput,
  type FakeJobGraph,
  type FakeJobInstance,
  type FakeJobStatus,
  type FakeSavepoint,
} from './fake-dinky';
