import { z } from 'zod';
import type { DolphinScheduleParam } from '../cron';
import { type DolphinCode, type DolphinSchedule, ScheduleSchema } from '../schemas';
import type { DolphinNames } from '../version';
import {
  type DolphinCallOptions,
  type DolphinScheduleInput,
  NullishData,
  pageOf,
  TrueOrNull,
} from './common';
import { DolphinWorkflowsApi } from './workflows';

/**
 * Schedules (part of {@link DolphinClient}).
 *
 * @internal
 */
export class DolphinSchedulesApi extends DolphinWorkflowsApi {
  #scheduleParams(
    n: DolphinNames,
    input: DolphinScheduleInput,
  ): Record<string, string | number | undefined> {
    return {
      schedule: JSON.stringify(input.schedule),
      warningType: input.warningType ?? 'NONE',
      warningGroupId: input.warningGroupId ?? 0,
      failureStrategy: input.failureStrategy ?? 'END',
      workerGroup: input.workerGroup ?? 'default',
      environmentCode: -1,
      [n.priorityParam]: 'MEDIUM',
      tenantCode: n.tenantOnDefinition ? undefined : (input.tenantCode ?? 'default'),
    };
  }

  /**
   * Lists the schedules of one workflow.
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param options - abort signal
   * @returns its schedules (at most one on 3.2+)
   */
  async listSchedules(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    options?: DolphinCallOptions,
  ): Promise<DolphinSchedule[]> {
    const page = await this.call(
      (n) => ({
        op: 'listSchedules',
        method: 'GET',
        path: `projects/${projectCode}/schedules`,
        params: { [n.workflowCodeParam]: workflowCode, pageNo: 1, pageSize: 100 },
        schema: pageOf(ScheduleSchema),
      }),
      options,
    );
    return page.items.filter((s) => s.workflowCode === null || s.workflowCode === workflowCode);
  }

  /**
   * Creates a schedule (OFFLINE) for an ONLINE workflow.
   *
   * @param projectCode - project code
   * @param workflowCode - workflow code
   * @param input - schedule and run options
   * @param options - abort signal
   * @returns the schedule
   */
  async createSchedule(
    projectCode: DolphinCode,
    workflowCode: DolphinCode,
    input: DolphinScheduleInput,
    options?: DolphinCallOptions,
  ): Promise<DolphinSchedule> {
    return this.call(
      (n) => ({
        op: 'createSchedule',
        method: 'POST',
        path: `projects/${projectCode}/schedules`,
        params: { [n.workflowCodeParam]: workflowCode, ...this.#scheduleParams(n, input) },
        schema: ScheduleSchema,
      }),
      options,
    );
  }

  /**
   * Updates an OFFLINE schedule; every option is resent (omitted ones reset server-side).
   *
   * @param projectCode - project code
   * @param scheduleId - schedule id
   * @param input - schedule and run options
   * @param options - abort signal
   */
  async updateSchedule(
    projectCode: DolphinCode,
    scheduleId: number,
    input: DolphinScheduleInput,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.call(
      (n) => ({
        op: 'updateSchedule',
        method: 'PUT',
        path: `projects/${projectCode}/schedules/${scheduleId}`,
        params: this.#scheduleParams(n, input),
        schema: NullishData,
      }),
      options,
    );
  }

  /**
   * Puts a schedule online (the workflow must be ONLINE).
   *
   * @param projectCode - project code
   * @param scheduleId - schedule id
   * @param options - abort signal
   */
  async onlineSchedule(
    projectCode: DolphinCode,
    scheduleId: number,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.send(
      {
        op: 'onlineSchedule',
        method: 'POST',
        path: `projects/${projectCode}/schedules/${scheduleId}/online`,
        schema: TrueOrNull,
      },
      options ?? {},
    );
  }

  /**
   * Takes a schedule offline.
   *
   * @param projectCode - project code
   * @param scheduleId - schedule id
   * @param options - abort signal
   */
  async offlineSchedule(
    projectCode: DolphinCode,
    scheduleId: number,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.send(
      {
        op: 'offlineSchedule',
        method: 'POST',
        path: `projects/${projectCode}/schedules/${scheduleId}/offline`,
        schema: TrueOrNull,
      },
      options ?? {},
    );
  }

  /**
   * Deletes an OFFLINE schedule.
   *
   * @param projectCode - project code
   * @param scheduleId - schedule id
   * @param options - abort signal
   */
  async deleteSchedule(
    projectCode: DolphinCode,
    scheduleId: number,
    options?: DolphinCallOptions,
  ): Promise<void> {
    await this.send(
      {
        op: 'deleteSchedule',
        method: 'DELETE',
        path: `projects/${projectCode}/schedules/${scheduleId}`,
        schema: NullishData,
      },
      options ?? {},
    );
  }

  /**
   * Previews the next fire times of a schedule (validates the Quartz crontab server-side).
   *
   * @param projectCode - project code
   * @param schedule - the schedule parameter
   * @param options - abort signal
   * @returns the next fire times, `yyyy-MM-dd HH:mm:ss` in the schedule's zone
   */
  async previewSchedule(
    projectCode: DolphinCode,
    schedule: DolphinScheduleParam,
    options?: DolphinCallOptions,
  ): Promise<string[]> {
    return this.send(
      {
        op: 'previewSchedule',
        method: 'POST',
        path: `projects/${projectCode}/schedules/preview`,
        params: { schedule: JSON.stringify(schedule) },
        schema: z.array(z.string()),
      },
      options ?? {},
    );
  }
}
