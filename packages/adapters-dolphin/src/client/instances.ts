import { z } from 'zod';
import {
  type DolphinCode,
  type DolphinInstanceTasks,
  type DolphinTaskInstance,
  type DolphinWorkflowInstance,
  InstanceTasksSchema,
  TaskInstanceSchema,
  WorkflowInstanceSchema,
} from '../schemas';
import {
  type DolphinCallOptions,
  type DolphinPage,
  type ListInstancesQuery,
  pageOf,
} from './common';
import { DolphinExecutorsApi } from './executors';

/**
 * Workflow and task instances (part of {@link DolphinClient}).
 *
 * @internal
 */
export class DolphinInstancesApi extends DolphinExecutorsApi {
  /**
   * Reads one workflow instance.
   *
   * @param projectCode - project code
   * @param instanceId - workflow instance id
   * @param options - abort signal
   * @returns the instance (`NOT_FOUND` when missing)
   */
  async getInstance(
    projectCode: DolphinCode,
    instanceId: number,
    options?: DolphinCallOptions,
  ): Promise<DolphinWorkflowInstance> {
    return this.call(
      (n) => ({
        op: 'getInstance',
        method: 'GET',
        path: `projects/${projectCode}/${n.instancePath}/${instanceId}`,
        schema: WorkflowInstanceSchema,
      }),
      options,
    );
  }

  /**
   * Lists workflow instances, newest first.
   *
   * @param projectCode - project code
   * @param query - workflow filter, state, paging
   * @param options - abort signal
   * @returns a page of instances
   */
  async listInstances(
    projectCode: DolphinCode,
    query: ListInstancesQuery = {},
    options?: DolphinCallOptions,
  ): Promise<DolphinPage<DolphinWorkflowInstance>> {
    return this.call(
      (n) => ({
        op: 'listInstances',
        method: 'GET',
        path: `projects/${projectCode}/${n.instancePath}`,
        params: {
          [n.instanceListWorkflowParam]: query.workflowCode,
          stateType: query.stateType,
          pageNo: query.pageNo ?? 1,
          pageSize: query.pageSize ?? 20,
        },
        schema: pageOf(WorkflowInstanceSchema),
      }),
      options,
    );
  }

  /**
   * Resolves a 3.2 trigger code to the instances it created (empty until the master took it).
   *
   * @param projectCode - project code
   * @param triggerCode - from {@link DolphinClient.startWorkflow}
   * @param options - abort signal
   * @returns the instances (possibly none yet)
   */
  async getInstancesByTrigger(
    projectCode: DolphinCode,
    triggerCode: DolphinCode,
    options?: DolphinCallOptions,
  ): Promise<DolphinWorkflowInstance[]> {
    return this.call(
      (n) => ({
        op: 'getInstancesByTrigger',
        method: 'GET',
        path: `projects/${projectCode}/${n.instancePath}/trigger`,
        params: { triggerCode },
        schema: z
          .array(WorkflowInstanceSchema)
          .nullish()
          .transform((v) => v ?? []),
      }),
      options,
    );
  }

  /**
   * Reads the task instances of a workflow instance with the instance's state.
   *
   * @param projectCode - project code
   * @param instanceId - workflow instance id
   * @param options - abort signal
   * @returns state and task list
   */
  async getInstanceTasks(
    projectCode: DolphinCode,
    instanceId: number,
    options?: DolphinCallOptions,
  ): Promise<DolphinInstanceTasks> {
    return this.call(
      (n) => ({
        op: 'getInstanceTasks',
        method: 'GET',
        path: `projects/${projectCode}/${n.instancePath}/${instanceId}/tasks`,
        schema: InstanceTasksSchema,
      }),
      options,
    );
  }

  /**
   * Lists task instances (paged), optionally of one workflow instance.
   *
   * @param projectCode - project code
   * @param query - workflow instance id and paging
   * @param options - abort signal
   * @returns a page of task instances
   */
  async listTaskInstances(
    projectCode: DolphinCode,
    query: {
      readonly instanceId?: number;
      readonly pageNo?: number;
      readonly pageSize?: number;
    } = {},
    options?: DolphinCallOptions,
  ): Promise<DolphinPage<DolphinTaskInstance>> {
    return this.call(
      (n) => ({
        op: 'listTaskInstances',
        method: 'GET',
        path: `projects/${projectCode}/task-instances`,
        params: {
          [n.instanceIdParam]: query.instanceId,
          pageNo: query.pageNo ?? 1,
          pageSize: query.pageSize ?? 50,
        },
        schema: pageOf(TaskInstanceSchema),
      }),
      options,
    );
  }
}
