import { DolphinAlertsApi } from './client/alerts';

export type {
  DolphinAlertParams,
  DolphinCallOptions,
  DolphinClientConfig,
  DolphinLogChunk,
  DolphinPage,
  DolphinParams,
  DolphinRelationInput,
  DolphinScheduleInput,
  DolphinStartInput,
  DolphinStartResult,
  DolphinTaskDefinitionInput,
  DolphinWorkflowInput,
  ListInstancesQuery,
} from './client/common';

/**
 * Typed client of DolphinScheduler's v1 REST API for the 3.1, 3.2 and 3.3+ lines.
 *
 * One ky instance per client; form-encoded parameters; the `token` header; the `{code,msg,data}`
 * envelope checked (`code === 0` is the only success); `data` validated with zod; codes carried as
 * decimal strings; HTML answers reported as a version mismatch; timeouts on every call; retries with
 * backoff for GET only. Every failure is a {@link DolphinError}.
 *
 * @example
 * ```ts
 * const client = new DolphinClient({ baseUrl: 'http://ds:12345/dolphinscheduler', token });
 * const project = await client.findProjectByName('warehouse');
 * const dag = project && (await client.getWorkflowByName(project.code, 'daily_orders'));
 * ```
 */
export class DolphinClient extends DolphinAlertsApi {}
