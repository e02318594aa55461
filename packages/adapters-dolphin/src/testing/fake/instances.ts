import { parseWallClock } from '@dataportal/sdk';
import type { DolphinNames } from '../../version';
import type { FakeInstance, FakeTaskInstance } from '../fake-state';
import { javaWorkflowStatus, num, type Route, r, routePaths, toCode } from './core';
import { FakeSchedules } from './schedules';

/**
 * The fake's workflow and task instances.
 */
export class FakeInstances extends FakeSchedules {
  protected instanceJson(
    i: FakeInstance,
    n: DolphinNames,
    withDuration: boolean,
  ): Record<string, unknown> {
    const threeThree = n.line === '3.3';
    return {
      id: i.id,
      [threeThree ? 'workflowDefinitionCode' : 'processDefinitionCode']: i.workflowCode,
      [threeThree ? 'workflowDefinitionVersion' : 'processDefinitionVersion']: i.workflowVersion,
      ...(n.line === '3.1' ? { tenantId: -1 } : { projectCode: i.projectCode, testFlag: 0 }),
      state: i.state,
      recovery: 'NO',
      startTime: i.startTime,
      endTime: i.endTime,
      runTimes: 1,
      name: i.name,
      host: i.startTime ? '127.0.0.1:5678' : null,
      commandType: i.commandType,
      commandParam: i.commandParam,
      taskDependType: 'TASK_POST',
      failureStrategy: i.failureStrategy,
      warningType: i.warningType,
      warningGroupId: i.warningGroupId,
      scheduleTime: i.scheduleTime,
      commandStartTime: i.createTime,
      globalParams: null,
      executorId: 1,
      executorName: 'admin',
      tenantCode: 'default',
      [threeThree ? 'isSubWorkflow' : 'isSubProcess']: 'NO',
      duration: withDuration ? this.duration(i.startTime, i.endTime) : null,
      [n.priorityParam]: 'MEDIUM',
      workerGroup: 'default',
      environmentCode: -1,
      timeout: 0,
      dryRun: 0,
    };
  }

  protected duration(start: string | null, end: string | null): string | null {
    if (!start) return null;
    const ms =
      (parseWallClock(end ?? this.now(), this.tz)?.getTime() ?? 0) -
      (parseWallClock(start, this.tz)?.getTime() ?? 0);
    let s = Math.max(0, Math.round(ms / 1000));
    const d = Math.floor(s / 86400);
    s -= d * 86400;
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].filter(
      Boolean,
    );
    return parts.length > 0 ? parts.join(' ') : '1s';
  }

  protected taskInstanceJson(
    t: FakeTaskInstance,
    i: FakeInstance,
    n: DolphinNames,
  ): Record<string, unknown> {
    const threeThree = n.line === '3.3';
    return {
      id: t.id,
      name: t.name,
      taskType: t.taskType,
      [threeThree ? 'workflowInstanceId' : 'processInstanceId']: i.id,
      [threeThree ? 'workflowInstanceName' : 'processInstanceName']: i.name,
      ...(n.line === '3.1' ? {} : { projectCode: i.projectCode }),
      taskCode: t.taskCode,
      taskDefinitionVersion: 1,
      state: t.state,
      submitTime: i.createTime,
      startTime: t.startTime,
      endTime: t.endTime,
      host: t.host,
      logPath: t.host ? `/opt/ds/logs/${i.id}/${t.id}.log` : null,
      retryTimes: 0,
      flag: 'YES',
      duration: null,
      taskParams: '{}',
      varPool: '[]',
      executorName: 'admin',
    };
  }

  /** The instances endpoints. */
  protected instancesRoutes(n: DolphinNames): Route[] {
    const { P, I } = routePaths(n);
    const routes: Route[] = [
      r(
        'GET',
        I,
        10113,
        ({ m, p }) => {
          const project = this.project(m[1]);
          const code = toCode(p[n.instanceListWorkflowParam]) ?? 0n;
          return this.page(
            p,
            this.state.instances
              .filter(
                (i) =>
                  i.projectCode === project.code &&
                  (code === 0n || i.workflowCode === code) &&
                  (!p['stateType'] || i.state === p['stateType']) &&
                  // the master has not consumed the command yet: not listed this time
                  (i.triggerLag <= 0 || i.triggerLag-- <= 0),
              )
              .sort((a, b) => b.id - a.id)
              .map((i) => this.instanceJson(i, n, true))
              // 3.1's paging query selects no command_param / global_params (ProcessInstanceMapper.xml)
              .map((j) =>
                n.line === '3.1' ? { ...j, commandParam: null, globalParams: null } : j,
              ),
          );
        },
        { required: ['pageNo', 'pageSize'] },
      ),
      r('GET', `${I}/(\\d+)`, 10116, ({ m }) => {
        const i = this.instance(this.project(m[1]).code, m[2]);
        return this.instanceJson(i, n, false);
      }),
      r('GET', `${I}/(\\d+)/tasks`, 10114, ({ m }) => {
        const i = this.instance(this.project(m[1]).code, m[2]);
        return {
          // 3.1.1 prints the enum's toString() here (measured, reference §12).
          [n.instanceStateKey]: n.line === '3.1' ? javaWorkflowStatus(i.state) : i.state,
          taskList: i.tasks.map((t) => this.taskInstanceJson(t, i, n)),
        };
      }),
      r(
        'GET',
        `${P}/task-instances`,
        10082,
        ({ m, p }) => {
          const project = this.project(m[1]);
          const id = num(p[n.instanceIdParam], 0);
          const rows = this.state.instances
            .filter((i) => i.projectCode === project.code && (id === 0 || i.id === id))
            .flatMap((i) => i.tasks.map((t) => this.taskInstanceJson(t, i, n)));
          return this.page(p, rows);
        },
        { required: ['pageNo', 'pageSize'] },
      ),
    ];
    if (n.line !== '3.1') {
      routes.push(
        r(
          'GET',
          `${I}/trigger`,
          10116,
          ({ m, p }) => {
            const project = this.project(m[1]);
            const code = toCode(p['triggerCode']);
            const found = this.state.instances.filter(
              (i) => i.projectCode === project.code && i.triggerCode === code,
            );
            const ready = found.filter((i) => i.triggerLag <= 0);
            for (const i of found) i.triggerLag -= 1;
            return ready.map((i) => this.instanceJson(i, n, false));
          },
          { required: ['triggerCode'] },
        ),
      );
    }
    return routes;
  }
}
