import { z } from 'zod';
import { DolphinError } from '../errors';
import { CodeSchema, type DolphinCode } from '../schemas';
import { type DolphinVersionLine, dolphinNames } from '../version';
import {
  type DolphinCallOptions,
  type DolphinStartInput,
  type DolphinStartResult,
  NullishData,
} from './common';
import { DolphinSchedulesApi } from './schedules';

/**
 * Starting and controlling runs (part of {@link DolphinClient}).
 *
 * @internal
 */
export class DolphinExecutorsApi extends DolphinSchedulesApi {
  /**
   * Starts a run of an ONLINE workflow. What comes back differs per line (reference §2.6).
   *
   * @param projectCode - project code
   * @param input - workflow code and run options
   * @param options - abort signal
   * @returns nothing (3.1), a trigger code (3.2) or the new instance ids (3.3)
   */
  async startWorkflow(
    projectCode: DolphinCode,
    input: DolphinStartInput,
    options?: DolphinCallOptions,
  ): Promise<DolphinStartResult> {
    let line: DolphinVersionLine = '3.1';
    const data = await this.call((n) => {
      line = n.line;
      return {
        op: 'startWorkflow',
        method: 'POST',
        path: `projects/${projectCode}/executors/${n.startPath}`,
        params: {
          [n.workflowCodeParam]: input.workflowCode,
          scheduleTime: '',
          failureStrategy: input.failureStrategy ?? 'END',
          warningType: input.warningType ?? 'NONE',
          warningGroupId: input.warningGroupId,
          execType: 'START_PROCESS',
          taskDependType: input.taskDependType ?? 'TASK_POST',
          startNodeList: input.startNodeList?.join(','),
          startParams: input.startParams ? JSON.stringify(input.startParams) : undefined,
          [n.priorityParam]: 'MEDIUM',
          workerGroup: input.workerGroup ?? 'default',
          environmentCode: -1,
          dryRun: 0,
          tenantCode: n.tenantOnDefinition ? undefined : (input.tenantCode ?? 'default'),
        },
        schema: z.unknown(),
      };
    }, options);
    const names = dolphinNames(line);
    if (names.startResult === 'instanceIds') {
      const ids = z.array(z.number().int()).safeParse(data);
      if (ids.success) return { kind: 'instanceIds', instanceIds: ids.data };
    }
    if (names.startResult === 'triggerCode') {
      const code = CodeSchema.safeParse(data);
      if (code.success) return { kind: 'triggerCode', triggerCode: code.data };
    }
    if (data === null || data === undefined) return { kind: 'none' };
    throw new DolphinError(
      'INVALID_RESPONSE',
      `dolphin: startWorkflow answered unexpected data for line ${line}`,
      {
        method: 'POST',
        path: `/projects/${projectCode}/executors/${names.startPath}`,
        engineCode: 0,
      },
    );
  }

  /**
   * Controls a run (`STOP`, `PAUSE`, `REPEAT_RUNNING`, …) through `/executors/execute`.
   *
   * @param projectCode - project code
   * @param instanceId - workflow instance id
   * @param executeType - ExecuteType name
   * @param options - abort signal
   */
  async executeInstance(
    projectCode: DolphinCode,
    instanceId: number,
    executeType: string,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.call(
      (n) => ({
        op: 'executeInstance',
        method: 'POST',
        path: `projects/${projectCode}/executors/execute`,
        params: { [n.instanceIdParam]: instanceId, executeType },
        schema: NullishData,
      }),
      options,
    );
  }
}
