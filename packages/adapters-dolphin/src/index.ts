/**
 * `@dataportal/adapters-dolphin`: a typed DolphinScheduler (3.1, 3.2, 3.3+) REST client and the
 * DataPortal `BatchEngine` that publishes, schedules, runs and observes batch tasks on it.
 *
 * @module
 */

export {
  alertToExecutionInputs,
  CALLBACK_SECRET_HEADER,
  type DolphinAlert,
  type DolphinAlertProvision,
  type DolphinAlertRun,
  httpAlertParams,
  type ParseDolphinAlertOptions,
  type ProvisionDolphinAlertsOptions,
  parseDolphinAlert,
  provisionDolphinAlerts,
  type ResolveDolphinAlertOptions,
  resolveDolphinAlert,
} from './alerts';
export {
  type DolphinAlertParams,
  type DolphinCallOptions,
  DolphinClient,
  type DolphinClientConfig,
  type DolphinLogChunk,
  type DolphinPage,
  type DolphinParams,
  type DolphinRelationInput,
  type DolphinScheduleInput,
  type DolphinStartInput,
  type DolphinStartResult,
  type DolphinTaskDefinitionInput,
  type DolphinWorkflowInput,
  type ListInstancesQuery,
} from './client';
export {
  type DolphinScheduleParam,
  type ToDolphinScheduleOptions,
  toDolphinSchedule,
  unixCronToQuartz,
} from './cron';
export {
  createDolphinEngine,
  type DolphinEngine,
  type DolphinEngineConfig,
  type DolphinEngineRef,
  DolphinEngineRefSchema,
  readDolphinRef,
  sqlTypeOf,
  taskStatusOf,
  workflowStatusOf,
} from './engine';
export {
  codeForEngineCode,
  DOLPHIN_ERROR_CODES,
  DolphinError,
  type DolphinErrorCode,
  type DolphinErrorOptions,
  isDolphinError,
} from './errors';
export {
  AlertGroupSchema,
  AlertPluginInstanceSchema,
  CodeSchema,
  DagDataSchema,
  DatasourceSchema,
  type DolphinAlertGroup,
  type DolphinAlertPluginInstance,
  type DolphinCode,
  type DolphinDag,
  type DolphinDatasource,
  type DolphinInstanceTasks,
  type DolphinLogPage,
  type DolphinProject,
  type DolphinSchedule,
  type DolphinTaskDefinition,
  type DolphinTaskInstance,
  type DolphinTaskRelation,
  type DolphinUiPlugin,
  type DolphinWorkflowDefinition,
  type DolphinWorkflowInstance,
  type Envelope,
  EnvelopeSchema,
  InstanceTasksSchema,
  LogPageSchema,
  ProjectSchema,
  pageSchema,
  type ReleaseState,
  ReleaseStateSchema,
  ScheduleSchema,
  TaskDefinitionSchema,
  TaskInstanceSchema,
  TaskRelationSchema,
  UiPluginSchema,
  WorkflowDefinitionSchema,
  WorkflowInstanceSchema,
} from './schemas';
export {
  DOLPHIN_VERSION_LINES,
  type DolphinNames,
  type DolphinVersionLine,
  dolphinNames,
  versionLineOf,
} from './version';
