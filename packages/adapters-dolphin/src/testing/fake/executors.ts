import { formatWallClock, parseWallClock } from '@dataportal/sdk';
import type { DolphinNames } from '../../version';
import type { FakeInstance, FakeWorkflow } from '../fake-state';
import { FakeAlerts } from './alerts';
import {
  ApiError,
  type Ctx,
  javaWorkflowStatus,
  num,
  type Route,
  r,
  routePaths,
  selectTasks,
  TERMINAL,
  WORKER,
} from './core';

/**
 * The fake's starting, controlling and advancing runs.
 */
export class FakeExecutors extends FakeAlerts {
  protected startRun(
    w: FakeWorkflow,
    opts: {
      commandType: string;
      commandParam: string;
      warningType: string;
      warningGroupId: number;
      failureStrategy: string;
      startNodes?: string[] | null;
      taskDependType?: string;
    },
  ): FakeInstance {
    const id = this.id();
    const now = this.now();
    const instance: FakeInstance = {
      id,
      projectCode: w.projectCode,
      workflowCode: w.code,
      workflowVersion: w.version,
      name: `${w.name}-${now.replace(/\D/g, '')}${String(id).padStart(3, '0').slice(-3)}`,
      state: 'SUBMITTED_SUCCESS',
      commandType: opts.commandType,
      commandParam: opts.commandParam,
      startTime: null,
      endTime: null,
      scheduleTime: null,
      warningType: opts.warningType,
      warningGroupId: opts.warningGroupId,
      failureStrategy: opts.failureStrategy,
      triggerCode: null,
      triggerLag: this.triggerLag,
      plan: this.planner({ workflowName: w.name, instanceId: id }),
      startNodes: opts.startNodes ?? null,
      taskDependType: opts.taskDependType ?? 'TASK_POST',
      tasks: [],
      createTime: now,
    };
    this.state.instances.push(instance);
    return instance;
  }

  protected start({ p, m, n }: Ctx): unknown {
    const project = this.project(m[1]);
    const w = this.workflow(project.code, p[n.workflowCodeParam]);
    if (w.releaseState !== 'ONLINE')
      throw new ApiError(50004, `process definition ${w.code} not release`);
    if (!n.tenantOnDefinition && p['tenantCode'] && !this.state.tenants.includes(p['tenantCode'])) {
      throw new ApiError(10017, `tenant ${p['tenantCode']} not exists`);
    }
    if (!['END', 'CONTINUE'].includes(p['failureStrategy'] ?? '')) {
      throw new ApiError(50014, 'start process instance error');
    }
    const startParams = p['startParams'] ? p['startParams'] : '';
    const instance = this.startRun(w, {
      commandType: p['execType'] ?? 'START_PROCESS',
      commandParam: startParams ? JSON.stringify({ StartParams: startParams }) : '{}',
      warningType: p['warningType'] ?? 'NONE',
      warningGroupId: num(p['warningGroupId'], 0),
      failureStrategy: p['failureStrategy'] ?? 'END',
      startNodes: p['startNodeList'] ? p['startNodeList'].split(',').filter(Boolean) : null,
      taskDependType: p['taskDependType'] ?? 'TASK_POST',
    });
    if (n.startResult === 'instanceIds') {
      instance.triggerLag = 0;
      return [instance.id];
    }
    if (n.startResult === 'triggerCode') {
      instance.triggerCode = this.code();
      return instance.triggerCode;
    }
    return null;
  }

  fireSchedule(workflowCode: string): number {
    const code = BigInt(workflowCode);
    const w = this.state.workflows.find((x) => x.code === code);
    const s = this.state.schedules.find((x) => x.workflowCode === code);
    if (!w || !s || s.releaseState !== 'ONLINE' || w.releaseState !== 'ONLINE') {
      throw new Error(`fake: workflow ${workflowCode} has no online schedule`);
    }
    const instance = this.startRun(w, {
      commandType: 'SCHEDULER',
      commandParam: '{}',
      warningType: s.warningType,
      warningGroupId: s.warningGroupId,
      failureStrategy: s.failureStrategy,
    });
    instance.scheduleTime = this.now();
    instance.triggerLag = 0;
    return instance.id;
  }

  protected execute({ p, m, n }: Ctx): unknown {
    const project = this.project(m[1]);
    const i = this.instance(project.code, p[n.instanceIdParam]);
    const type = p['executeType'] ?? '';
    if (type === 'STOP') {
      if (TERMINAL.has(i.state)) {
        // 3.1/3.2 ExecutorServiceImpl.checkExecuteType (reference §11.5, message measured on
        // 3.1.1); 3.3's StopWorkflowInstanceExecutorDelegate answers 10000.
        if (n.line === '3.3') {
          throw new ApiError(
            10000,
            `Internal Server Error: The workflow instance: ${i.name} status is ${i.state}, can not stop`,
          );
        }
        throw new ApiError(
          50006,
          `the status of process instance ${i.name} is ${javaWorkflowStatus(i.state)},Cannot perform STOP operation`,
        );
      }
      const now = this.now();
      i.state = 'STOP';
      i.startTime ??= now;
      i.endTime = now;
      for (const t of i.tasks) {
        if (!TERMINAL.has(t.state)) {
          t.state = 'KILL';
          t.endTime = now;
        }
      }
      return null;
    }
    throw new ApiError(50015, 'execute process instance error');
  }

  async advanceRuns(): Promise<void> {
    const sends: Array<Promise<void>> = [];
    for (const i of this.state.instances) {
      if (TERMINAL.has(i.state)) continue;
      i.triggerLag = 0;
      const w = this.state.workflows.find((x) => x.code === i.workflowCode);
      if (i.state === 'SUBMITTED_SUCCESS') {
        const start = this.now();
        i.state = 'RUNNING_EXECUTION';
        i.startTime = start;
        const selected = selectTasks(w, i);
        const roots = new Set(
          [...selected].filter(
            (c) =>
              !(w?.relations ?? []).some(
                (r) => r.postTaskCode === c && selected.has(r.preTaskCode),
              ),
          ),
        );
        i.tasks = (w?.tasks ?? [])
          .filter((t) => selected.has(t.code))
          .map((t) => ({
            id: this.id(),
            instanceId: i.id,
            name: t.name,
            taskCode: t.code,
            taskType: t.taskType,
            state: roots.has(t.code) ? 'RUNNING_EXECUTION' : 'SUBMITTED_SUCCESS',
            startTime: roots.has(t.code) ? start : null,
            endTime: null,
            host: roots.has(t.code) ? WORKER : null,
            log: [...(i.plan.log ?? [`running task ${t.name}`, `task ${t.name} done`])],
          }));
        continue;
      }
      // RUNNING → final
      const startMs = (parseWallClock(i.startTime, this.tz) ?? new Date()).getTime();
      const end = formatWallClock(new Date(startMs + i.plan.durationMs), this.tz);
      i.state = i.plan.outcome;
      i.endTime = end;
      const failing = new Set(i.plan.failTasks ?? i.tasks.map((t) => t.name));
      for (const t of i.tasks) {
        t.startTime ??= i.startTime;
        t.endTime = end;
        t.host ??= WORKER;
        t.state = i.plan.outcome === 'FAILURE' && failing.has(t.name) ? 'FAILURE' : 'SUCCESS';
      }
      sends.push(this.sendAlerts(i));
    }
    await Promise.all(sends);
  }

  async settleRuns(): Promise<void> {
    for (let k = 0; k < 3; k++) await this.advanceRuns();
  }

  /** The executors endpoints. */
  protected executorsRoutes(n: DolphinNames): Route[] {
    const { P } = routePaths(n);
    return [
      r('POST', `${P}/executors/${n.startPath}`, 50014, (c) => this.start(c), {
        required: [n.workflowCodeParam, 'scheduleTime', 'failureStrategy', 'warningType'],
      }),
      r('POST', `${P}/executors/execute`, 50015, (c) => this.execute(c), {
        required: [n.instanceIdParam, 'executeType'],
      }),
    ];
  }
}
