import { z } from 'zod';
import { isDolphinError } from '../errors';
import { rawNumber } from '../internal/json';
import {
  CodeSchema,
  DagDataSchema,
  type DolphinCode,
  type DolphinDag,
  type DolphinWorkflowDefinition,
  type ReleaseState,
  WorkflowDefinitionSchema,
} from '../schemas';
import type { DolphinNames } from '../version';
import {
  type DolphinCallOptions,
  type DolphinWorkflowInput,
  NullishData,
  TrueOrNull,
} from './common';
import { DolphinProjectsApi } from './projects';

/**
 * Workflow definitions (part of {@link DolphinClient}).
 *
 * @internal
 */
export class DolphinWorkflowsApi extends DolphinProjectsApi {
  #workflowParams(
    names: DolphinNames,
    input: DolphinWorkflowInput,
  ): Record<string, string | number | undefined> {
    const tasks = input.tasks.map((t) => ({
      code: rawNumber(t.code),
      version: t.version,
      name: t.name,
      description: t.description ?? '',
      taskType: t.taskType,
      taskParams: t.taskParams,
      flag: 'YES',
      isCache: 'NO',
      taskPriority: 'MEDIUM',
      workerGroup: 'default',
      environmentCode: -1,
      failRetryTimes: t.failRetryTimes ?? 0,
      failRetryInterval: t.failRetryInterval ?? 1,
      timeoutFlag: (t.timeout ?? 0) > 0 ? 'OPEN' : 'CLOSE',
      timeoutNotifyStrategy: (t.timeout ?? 0) > 0 ? 'FAILED' : null,
      timeout: t.timeout ?? 0,
      delayTime: 0,
      taskExecuteType: 'BATCH',
      cpuQuota: -1,
      memoryMax: -1,
    }));
    const relations = input.relations.map((r) => ({
      name: '',
      preTaskCode: rawNumber(r.preTaskCode),
      preTaskVersion: 0,
      postTaskCode: rawNumber(r.postTaskCode),
      postTaskVersion: 0,
      conditionType: 'NONE',
      conditionParams: {},
    }));
    const locations = input.tasks.map((t, i) => ({
      taskCode: rawNumber(t.code),
      x: 120 + 220 * (i % 5),
      y: 80 + 110 * Math.floor(i / 5),
    }));
    return {
      name: input.name,
      description: input.description ?? '',
      taskDefinitionJson: JSON.stringify(tasks),
      taskRelationJson: JSON.stringify(relations),
      locations: JSON.stringify(locations),
      globalParams: '[]',
      timeout: input.timeout ?? 0,
      executionType: input.executionType ?? 'PARALLEL',
      tenantCode: names.tenantOnDefinition ? (input.tenantCode ?? 'default') : undefined,
    };
  }

  /**
   * Creates a workflow definition (starts OFFLINE).
   *
   * @param projectCode - project code
   * @param input - name, tasks (with codes from {@link DolphinClient.genTaskCodes}), relations
   * @param options - abort signal
   * @returns the definition (code, version)
   */
  async createWorkflow(
    projectCode: DolphinCode,
    input: DolphinWorkflowInput,
    options?: DolphinCallOptions,
  ): Promise<DolphinWorkflowDefinition> {
    return this.call(
      (n) => ({
        op: 'createWorkflow',
        method: 'POST',
        path: `projects/${projectCode}/${n.definitionPath}`,
        params: this.#workflowParams(n, input),
        schema: WorkflowDefinitionSchema,
      }),
      options,
    );
  }

  /**
   * Updates a workflow definition; it must be OFFLINE (else `MUST_BE_OFFLINE`, 50008).
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param input - the full definition, plus the release state to leave it in
   * @param options - abort signal
   * @returns the definition after the update; null when `releaseState` was `ONLINE` and the
   *   server answered with the release it performed (`data: null`, measured on 3.1.1)
   */
  async updateWorkflow(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    input: DolphinWorkflowInput & { readonly releaseState?: ReleaseState },
    options?: DolphinCallOptions,
  ): Promise<DolphinWorkflowDefinition | null> {
    return this.call(
      (n) => ({
        op: 'updateWorkflow',
        method: 'PUT',
        path: `projects/${projectCode}/${n.definitionPath}/${workflowCode}`,
        params: {
          ...this.#workflowParams(n, input),
          releaseState: input.releaseState ?? 'OFFLINE',
        },
        schema: WorkflowDefinitionSchema.nullable(),
      }),
      options,
    );
  }

  /**
   * Reads a workflow with its tasks and relations.
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param options - abort signal
   * @returns the DAG
   */
  async getWorkflow(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    options?: DolphinCallOptions,
  ): Promise<DolphinDag> {
    return this.call(
      (n) => ({
        op: 'getWorkflow',
        method: 'GET',
        path: `projects/${projectCode}/${n.definitionPath}/${workflowCode}`,
        schema: DagDataSchema,
      }),
      options,
    );
  }

  /**
   * Reads a workflow by name; null when absent (50003).
   *
   * On 3.1 `query-by-name` only finds definitions when the calling user has a tenant of its own
   * (its query joins the user's tenant): a fresh server's admin gets 50003 for every name
   * (measured on 3.1.1). So on 3.1 the name is looked up in `simple-list` (id, code, name of every
   * definition in the project), then the DAG is read by code.
   *
   * @param projectCode - project code
   * @param name - workflow name
   * @param options - abort signal
   * @returns the DAG, or null
   */
  async getWorkflowByName(
    projectCode: DolphinCode,
    name: string,
    options?: DolphinCallOptions,
  ): Promise<DolphinDag | null> {
    if ((await this.versionLine(options)) === '3.1') {
      const list = await this.listWorkflowNames(projectCode, options);
      const hit = list.find((w) => w.name === name);
      if (!hit) return null;
      try {
        return await this.getWorkflow(projectCode, hit.code, options);
      } catch (err) {
        if (isDolphinError(err, 'NOT_FOUND')) return null;
        throw err;
      }
    }
    try {
      return await this.call(
        (n) => ({
          op: 'getWorkflowByName',
          method: 'GET',
          path: `projects/${projectCode}/${n.definitionPath}/query-by-name`,
          params: { name },
          schema: DagDataSchema,
        }),
        options,
      );
    } catch (err) {
      if (isDolphinError(err, 'NOT_FOUND')) return null;
      throw err;
    }
  }

  /**
   * Lists the code and name of every workflow of a project (`simple-list`, one call).
   *
   * @param projectCode - project code
   * @param options - abort signal
   * @returns code and name per workflow
   */
  async listWorkflowNames(
    projectCode: DolphinCode,
    options?: DolphinCallOptions,
  ): Promise<Array<{ code: DolphinCode; name: string }>> {
    return this.call(
      (n) => ({
        op: 'listWorkflowNames',
        method: 'GET',
        path: `projects/${projectCode}/${n.definitionPath}/simple-list`,
        schema: SimpleListSchema,
      }),
      options,
    );
  }

  /**
   * Releases a workflow ONLINE or OFFLINE (OFFLINE also takes its schedule offline).
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param state - `ONLINE` or `OFFLINE`
   * @param options - abort signal
   */
  async releaseWorkflow(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    state: ReleaseState,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.call(
      (n) => ({
        op: 'releaseWorkflow',
        method: 'POST',
        path: `projects/${projectCode}/${n.definitionPath}/${workflowCode}/release`,
        params: { releaseState: state },
        schema: TrueOrNull,
      }),
      options,
    );
  }

  /**
   * Deletes a workflow (must be OFFLINE, without an online schedule or running instances).
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param options - abort signal
   */
  async deleteWorkflow(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.call(
      (n) => ({
        op: 'deleteWorkflow',
        method: 'DELETE',
        path: `projects/${projectCode}/${n.definitionPath}/${workflowCode}`,
        schema: NullishData,
      }),
      options,
    );
  }
}

const SimpleListSchema = z.array(
  z
    .looseObject({ code: CodeSchema, name: z.string() })
    .transform((w) => ({ code: w.code, name: w.name })),
);
