/**
 * Test helpers: an in-memory DolphinScheduler (`createFakeDolphinScheduler`) that enforces the
 * REST rules of the 3.1, 3.2 and 3.3 lines, for the adapter's tests, the server's tests and yours.
 *
 * @module
 */
export {
  createFakeDolphinScheduler,
  type FakeAlertDelivery,
  type FakeDolphinScheduler,
  type FakeDolphinSchedulerOptions,
  type FakeFault,
  type FakeRequestRecord,
  type FakeRunPlanner,
} from './fake-dolphin-scheduler';
export type {
  FakeAlertGroup,
  FakeAlertInstance,
  FakeDatasource,
  FakeDolphinState,
  FakeInstance,
  FakeProject,
  FakeRelation,
  FakeRunPlan,
  FakeSchedule,
  FakeTaskDefinition,
  FakeTaskInstance,
  FakeWorkflow,
} from './fake-state';
