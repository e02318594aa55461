import { formatWallClock } from '@dataportal/sdk';
import { Cron } from 'croner';
import type { DolphinNames } from '../../version';
import type { FakeSchedule } from '../fake-state';
import {
  ApiError,
  type Ctx,
  isValidQuartz,
  num,
  type Route,
  r,
  routePaths,
  str,
  toCode,
} from './core';
import { FakeWorkflows } from './workflows';

/**
 * The fake's schedules.
 */
export class FakeSchedules extends FakeWorkflows {
  protected parseSchedule(
    text: string | undefined,
    onCreate: boolean,
  ): Omit<
    FakeSchedule,
    | 'id'
    | 'projectCode'
    | 'workflowCode'
    | 'releaseState'
    | 'warningType'
    | 'warningGroupId'
    | 'failureStrategy'
    | 'workerGroup'
    | 'tenantCode'
    | 'createTime'
    | 'updateTime'
  > {
    let parsed: Record<string, unknown> | null = null;
    try {
      const v: unknown = JSON.parse(text ?? '');
      parsed = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
    } catch {
      parsed = null;
    }
    if (!parsed) {
      throw onCreate
        ? new ApiError(10076, 'create schedule error')
        : new ApiError(10140, 'parse schedule to cron expression error');
    }
    const fmt = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    const startTime = str(parsed['startTime']);
    const endTime = str(parsed['endTime']);
    if (startTime !== '' && !fmt.test(startTime)) {
      throw onCreate
        ? new ApiError(10076, 'create schedule error')
        : new ApiError(10140, 'parse schedule to cron expression error');
    }
    if (endTime !== '' && !fmt.test(endTime)) {
      throw onCreate
        ? new ApiError(10076, 'create schedule error')
        : new ApiError(10140, 'parse schedule to cron expression error');
    }
    if (startTime === '' || endTime === '' || startTime === endTime) {
      throw new ApiError(10141, 'The start time must not be the same as the end');
    }
    if (startTime > endTime) throw new ApiError(80003, 'start time bigger than end time error');
    const crontab = str(parsed['crontab']);
    if (!isValidQuartz(crontab)) {
      throw onCreate
        ? new ApiError(10001, `request parameter ${crontab} is not valid`)
        : new ApiError(10024, `scheduler crontab expression validation failure: ${crontab}`);
    }
    return { startTime, endTime, crontab, timezoneId: str(parsed['timezoneId'], 'UTC') };
  }

  protected createSchedule({ p, m, n }: Ctx): unknown {
    const project = this.project(m[1]);
    const w = this.workflow(project.code, p[n.workflowCodeParam]);
    if (w.releaseState !== 'ONLINE')
      throw new ApiError(50004, `process definition ${w.code} not release`);
    if (n.oneSchedulePerWorkflow && this.state.schedules.some((s) => s.workflowCode === w.code)) {
      throw new ApiError(10204, `workflow ${w.code} schedule already exists`);
    }
    const parsed = this.parseSchedule(p['schedule'], true);
    const now = this.now();
    const s: FakeSchedule = {
      ...parsed,
      id: this.id(),
      projectCode: project.code,
      workflowCode: w.code,
      releaseState: 'OFFLINE',
      warningType: p['warningType'] ?? 'NONE',
      warningGroupId: num(p['warningGroupId'], 1),
      failureStrategy: p['failureStrategy'] ?? 'CONTINUE',
      workerGroup: p['workerGroup'] ?? 'default',
      tenantCode: p['tenantCode'] ?? 'default',
      createTime: now,
      updateTime: now,
    };
    w.warningGroupId = s.warningGroupId;
    this.state.schedules.push(s);
    return this.scheduleJson(s, n);
  }

  protected schedule(projectCode: bigint, id: string | undefined, n: DolphinNames): FakeSchedule {
    const s = this.state.schedules.find(
      (x) => x.id === num(id, -1) && x.projectCode === projectCode,
    );
    if (!s) throw new ApiError(n.line === '3.1' ? 10022 : 10203, `schedule ${id} does not exist`);
    return s;
  }

  protected updateSchedule({ p, m, n }: Ctx): unknown {
    const project = this.project(m[1]);
    const s = this.schedule(project.code, m[2], n);
    if (s.releaseState === 'ONLINE')
      throw new ApiError(10023, 'online status does not allow update operations');
    Object.assign(s, this.parseSchedule(p['schedule'], false), {
      warningType: p['warningType'] ?? 'NONE',
      warningGroupId: num(p['warningGroupId'], 1),
      failureStrategy: p['failureStrategy'] ?? 'END',
      workerGroup: p['workerGroup'] ?? 'default',
      tenantCode: p['tenantCode'] ?? 'default',
      updateTime: this.now(),
    });
    return n.line === '3.1' ? null : this.scheduleJson(s, n);
  }

  protected onlineSchedule({ m, n }: Ctx): unknown {
    const project = this.project(m[1]);
    const s = this.schedule(project.code, m[2], n);
    const w = this.workflow(project.code, s.workflowCode);
    if (w.releaseState !== 'ONLINE')
      throw new ApiError(50004, `process definition ${w.code} not release`);
    if (s.releaseState === 'ONLINE' && n.line === '3.1') {
      throw new ApiError(10126, 'schedule release is already ONLINE');
    }
    s.releaseState = 'ONLINE';
    return n.line === '3.1' ? null : true;
  }

  protected offlineSchedule({ m, n }: Ctx): unknown {
    const project = this.project(m[1]);
    const s = this.schedule(project.code, m[2], n);
    s.releaseState = 'OFFLINE';
    return n.line === '3.1' ? null : true;
  }

  protected deleteSchedule({ m, n }: Ctx): unknown {
    const project = this.project(m[1]);
    const s = this.schedule(project.code, m[2], n);
    if (s.releaseState === 'ONLINE') throw new ApiError(50023, 'the status of schedule is online');
    this.state.schedules = this.state.schedules.filter((x) => x !== s);
    return null;
  }

  /** The schedules endpoints. */
  protected schedulesRoutes(n: DolphinNames): Route[] {
    const { P } = routePaths(n);
    return [
      r(
        'GET',
        `${P}/schedules`,
        10080,
        ({ m, p }) => {
          const project = this.project(m[1]);
          const code = toCode(p[n.workflowCodeParam]) ?? 0n;
          return this.page(
            p,
            this.state.schedules
              .filter(
                (s) => s.projectCode === project.code && (code === 0n || s.workflowCode === code),
              )
              .map((s) => this.scheduleJson(s, n)),
          );
        },
        { required: ['pageNo', 'pageSize', ...(n.line === '3.1' ? [n.workflowCodeParam] : [])] },
      ),
      r('POST', `${P}/schedules`, 10076, (c) => this.createSchedule(c), {
        created: true,
        required: [n.workflowCodeParam, 'schedule'],
      }),
      r(
        'POST',
        `${P}/schedules/preview`,
        10139,
        ({ p }) => {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(p['schedule'] ?? '') as Record<string, unknown>;
          } catch {
            throw new ApiError(10140, 'parse schedule to cron expression error');
          }
          const crontab = str(parsed['crontab']);
          if (!isValidQuartz(crontab))
            throw new ApiError(10140, 'parse schedule to cron expression error');
          const zone = str(parsed['timezoneId'], 'UTC');
          const cron = new Cron(crontab, {
            paused: true,
            timezone: zone,
            mode: crontab.split(/\s+/).length === 7 ? '7-part' : '6-part',
            alternativeWeekdays: true,
          });
          return cron.nextRuns(5).map((d) => formatWallClock(d, zone));
        },
        { created: true, required: ['schedule'] },
      ),
      r('PUT', `${P}/schedules/(\\d+)`, 10077, (c) => this.updateSchedule(c), {
        required: ['schedule'],
      }),
      r('POST', `${P}/schedules/(\\d+)/online`, 10078, (c) => this.onlineSchedule(c)),
      r('POST', `${P}/schedules/(\\d+)/offline`, 10079, (c) => this.offlineSchedule(c)),
      r('DELETE', `${P}/schedules/(\\d+)`, 50024, (c) => this.deleteSchedule(c)),
    ];
  }
}
