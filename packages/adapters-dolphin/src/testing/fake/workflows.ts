import { stringifyJson } from '../../internal/json';
import type { DolphinNames } from '../../version';
import type { FakeRelation, FakeSchedule, FakeTaskDefinition, FakeWorkflow } from '../fake-state';
import {
  ApiError,
  type Ctx,
  num,
  type Params,
  parseJsonParam,
  type Route,
  r,
  routePaths,
  str,
  TERMINAL,
  toCode,
} from './core';
import { FakeProjects } from './projects';

/**
 * The fake's workflow definitions.
 */
export class FakeWorkflows extends FakeProjects {
  protected definitionJson(w: FakeWorkflow, n: DolphinNames): Record<string, unknown> {
    const schedule = this.state.schedules.find((s) => s.workflowCode === w.code);
    const project = this.state.projects.find((p) => p['code'] === w.projectCode);
    return {
      id: w.id,
      code: w.code,
      name: w.name,
      version: w.version,
      releaseState: w.releaseState,
      projectCode: w.projectCode,
      description: w.description,
      globalParams: '[]',
      globalParamList: [],
      globalParamMap: {},
      createTime: w.createTime,
      updateTime: w.updateTime,
      flag: 'YES',
      userId: 1,
      userName: 'admin',
      projectName: project?.name ?? null,
      locations: w.locations,
      scheduleReleaseState: schedule ? schedule.releaseState : null,
      timeout: w.timeout,
      modifyBy: 'admin',
      warningGroupId: w.warningGroupId,
      executionType: w.executionType,
      ...(n.line === '3.1'
        ? { tenantId: -1, tenantCode: w.tenantCode }
        : { schedule: schedule ? this.scheduleJson(schedule, n) : null }),
    };
  }

  protected dagJson(w: FakeWorkflow, n: DolphinNames): Record<string, unknown> {
    return {
      [n.dagDefinitionKey]: this.definitionJson(w, n),
      [n.dagRelationsKey]: w.relations.map((r) => ({
        name: '',
        projectCode: w.projectCode,
        [n.line === '3.3' ? 'workflowDefinitionCode' : 'processDefinitionCode']: w.code,
        preTaskCode: r.preTaskCode,
        preTaskVersion: r.preTaskVersion,
        postTaskCode: r.postTaskCode,
        postTaskVersion: r.postTaskVersion,
        conditionType: 'NONE',
        conditionParams: {},
      })),
      taskDefinitionList: w.tasks.map((t) => ({
        code: t.code,
        version: t.version,
        name: t.name,
        description: t.description,
        projectCode: w.projectCode,
        taskType: t.taskType,
        taskParams: t.taskParams,
        flag: t.flag,
        taskPriority: 'MEDIUM',
        workerGroup: 'default',
        environmentCode: -1,
        failRetryTimes: t.failRetryTimes,
        failRetryInterval: 1,
        timeoutFlag: t.timeout > 0 ? 'OPEN' : 'CLOSE',
        timeout: t.timeout,
        delayTime: 0,
        taskExecuteType: 'BATCH',
      })),
    };
  }

  protected scheduleJson(s: FakeSchedule, n: DolphinNames): Record<string, unknown> {
    const w = this.state.workflows.find((x) => x.code === s.workflowCode);
    const threeThree = n.line === '3.3';
    return {
      id: s.id,
      [threeThree ? 'workflowDefinitionCode' : 'processDefinitionCode']: s.workflowCode,
      [threeThree ? 'workflowDefinitionName' : 'processDefinitionName']: w?.name ?? null,
      startTime: s.startTime,
      endTime: s.endTime,
      timezoneId: s.timezoneId,
      crontab: s.crontab,
      failureStrategy: s.failureStrategy,
      warningType: s.warningType,
      createTime: s.createTime,
      updateTime: s.updateTime,
      userId: 1,
      userName: 'admin',
      releaseState: s.releaseState,
      warningGroupId: s.warningGroupId,
      [n.priorityParam]: 'MEDIUM',
      workerGroup: s.workerGroup,
      environmentCode: -1,
      ...(n.line === '3.1' ? {} : { tenantCode: s.tenantCode }),
    };
  }

  protected parseTasks(
    p: Params,
    projectCode: bigint,
    existing: FakeWorkflow | null,
  ): FakeTaskDefinition[] {
    const parsed = parseJsonParam(p['taskDefinitionJson']);
    if (!Array.isArray(parsed) || parsed.length === 0) {
      throw new ApiError(50017, 'data taskDefinitionJson is not valid');
    }
    const out: FakeTaskDefinition[] = [];
    for (const raw of parsed as Array<Record<string, unknown>>) {
      const taskType = str(raw['taskType']);
      if (!['SQL', 'SHELL', 'DEPENDENT'].includes(taskType)) {
        throw new ApiError(10001, 'request parameter {0} is not valid');
      }
      const rawParams = raw['taskParams'];
      const params = (typeof rawParams === 'string' ? parseJsonParam(rawParams) : rawParams) as
        | Record<string, unknown>
        | undefined;
      const name = str(raw['name']);
      const ok =
        params !== undefined &&
        params !== null &&
        (taskType === 'SHELL'
          ? str(params['rawScript']).trim() !== ''
          : taskType === 'SQL'
            ? str(params['type']) !== '' &&
              num(params['datasource']) !== 0 &&
              str(params['sql']).trim() !== ''
            : typeof params['dependence'] === 'object' && params['dependence'] !== null);
      if (!ok || name === '') throw new ApiError(50020, `process node ${name} parameter invalid`);
      let code = toCode(raw['code']) ?? 0n;
      if (code === 0n) code = this.code();
      const flag = ['YES', 'NO'].includes(str(raw['flag'])) ? str(raw['flag']) : null;
      const def: FakeTaskDefinition = {
        code,
        version: num(raw['version'], 0),
        name,
        description: str(raw['description']),
        taskType,
        taskParams: JSON.parse(stringifyJson(params)) as Record<string, unknown>,
        flag,
        failRetryTimes: num(raw['failRetryTimes']),
        timeout: num(raw['timeout']),
      };
      const previous =
        existing?.tasks.find((t) => t.code === code) ??
        this.state.workflows
          .flatMap((w) => (w.projectCode === projectCode ? w.tasks : []))
          .find((t) => t.code === code);
      if (previous) {
        const same =
          stringifyJson({ ...previous, version: 0 }) === stringifyJson({ ...def, version: 0 });
        def.version = same ? previous.version : previous.version + 1;
      } else {
        def.version = 1;
      }
      out.push(def);
    }
    return out;
  }

  protected parseRelations(p: Params, tasks: FakeTaskDefinition[]): FakeRelation[] {
    const parsed = parseJsonParam(p['taskRelationJson']);
    if (!Array.isArray(parsed) || parsed.length === 0) {
      throw new ApiError(50017, 'data taskRelationJson is not valid');
    }
    const codes = new Set(tasks.map((t) => t.code));
    const rel: FakeRelation[] = [];
    for (const raw of parsed as Array<Record<string, unknown>>) {
      const pre = toCode(raw['preTaskCode']) ?? 0n;
      const post = toCode(raw['postTaskCode']) ?? 0n;
      if (post === 0n) throw new ApiError(50036, 'check process task relation error');
      const missing = [post, pre].filter((c) => c !== 0n && !codes.has(c));
      if (missing.length > 0)
        throw new ApiError(50030, `task definition [${missing.join(',')}] does not exist`);
      const version = (c: bigint) => tasks.find((t) => t.code === c)?.version ?? 0;
      rel.push({
        preTaskCode: pre,
        postTaskCode: post,
        preTaskVersion: pre === 0n ? 0 : version(pre),
        postTaskVersion: version(post),
      });
    }
    // cycle check (Kahn)
    const indeg = new Map<bigint, number>();
    const next = new Map<bigint, bigint[]>();
    for (const r of rel) {
      if (r.preTaskCode === 0n) continue;
      indeg.set(r.postTaskCode, (indeg.get(r.postTaskCode) ?? 0) + 1);
      next.set(r.preTaskCode, [...(next.get(r.preTaskCode) ?? []), r.postTaskCode]);
    }
    const nodes = new Set(
      rel.flatMap((r) => [r.preTaskCode, r.postTaskCode]).filter((c) => c !== 0n),
    );
    const queue = [...nodes].filter((c) => !indeg.get(c));
    let seen = 0;
    while (queue.length > 0) {
      const c = queue.pop() as bigint;
      seen += 1;
      for (const d of next.get(c) ?? []) {
        const left = (indeg.get(d) ?? 0) - 1;
        indeg.set(d, left);
        if (left === 0) queue.push(d);
      }
    }
    if (seen < nodes.size) throw new ApiError(50019, 'process node has cycle');
    return rel;
  }

  protected checkTenant(p: Params, n: DolphinNames): string | null {
    if (!n.tenantOnDefinition) return null;
    const t = p['tenantCode'] ?? '';
    if (!this.state.tenants.includes(t)) throw new ApiError(10017, `tenant ${t} not exists`);
    return t;
  }

  protected createWorkflow({ m, p, n }: Ctx): unknown {
    const project = this.project(m[1]);
    const tenant = this.checkTenant(p, n);
    const tasks = this.parseTasks(p, project.code, null);
    const relations = this.parseRelations(p, tasks);
    const name = p['name'] ?? '';
    if (this.state.workflows.some((w) => w.projectCode === project.code && w.name === name)) {
      throw new ApiError(10168, `process definition name ${name} already exists`);
    }
    const now = this.now();
    const w: FakeWorkflow = {
      id: this.id(),
      code: this.code(),
      projectCode: project.code,
      name,
      description: p['description'] ?? '',
      version: 1,
      releaseState: 'OFFLINE',
      tenantCode: tenant,
      tasks,
      relations,
      locations: p['locations'] ?? '[]',
      timeout: num(p['timeout']),
      executionType: p['executionType'] ?? 'PARALLEL',
      warningGroupId: null,
      createTime: now,
      updateTime: now,
    };
    this.state.workflows.push(w);
    if (n.line === '3.1') {
      // 3.1.1 answers the entity before it is saved: no id, version 0, releaseState null, the
      // joined names null (measured, reference §12); a GET shows version 1, OFFLINE.
      return {
        ...this.definitionJson(w, n),
        id: null,
        version: 0,
        releaseState: null,
        userName: null,
        projectName: null,
        modifyBy: null,
        tenantCode: null,
        scheduleReleaseState: null,
      };
    }
    return this.definitionJson(w, n);
  }

  protected updateWorkflow({ m, p, n }: Ctx): unknown {
    const project = this.project(m[1]);
    const w = this.workflow(project.code, m[2]);
    if (w.releaseState === 'ONLINE') {
      throw new ApiError(50008, `online process definition ${w.name} is not allowed to edit`);
    }
    const tenant = this.checkTenant(p, n);
    const tasks = this.parseTasks(p, project.code, w);
    const relations = this.parseRelations(p, tasks);
    const name = p['name'] ?? '';
    if (
      this.state.workflows.some((x) => x !== w && x.projectCode === project.code && x.name === name)
    ) {
      throw new ApiError(10168, `process definition name ${name} already exists`);
    }
    const before = stringifyJson([
      w.name,
      w.description,
      w.tasks,
      w.relations,
      w.timeout,
      w.executionType,
    ]);
    const after = stringifyJson([
      name,
      p['description'] ?? '',
      tasks,
      relations,
      num(p['timeout']),
      p['executionType'] ?? 'PARALLEL',
    ]);
    if (before !== after) {
      w.version += 1;
      w.updateTime = this.now();
    }
    Object.assign(w, {
      name,
      description: p['description'] ?? '',
      tasks,
      relations,
      timeout: num(p['timeout']),
      executionType: p['executionType'] ?? 'PARALLEL',
      locations: p['locations'] ?? w.locations,
      tenantCode: tenant ?? w.tenantCode,
    });
    if (p['releaseState'] === 'ONLINE') {
      this.release(w, 'ONLINE', n);
      // 3.1.1 answers with the release it performed: `data: null` (measured, reference §12).
      if (n.line === '3.1') return null;
    }
    return this.definitionJson(w, n);
  }

  protected release(w: FakeWorkflow, state: string, n: DolphinNames): void {
    if (state === 'ONLINE') {
      if (w.relations.length === 0) throw new ApiError(50035, 'process dag is empty');
      w.releaseState = 'ONLINE';
    } else if (state === 'OFFLINE') {
      w.releaseState = 'OFFLINE';
      for (const s of this.state.schedules)
        if (s.workflowCode === w.code) s.releaseState = 'OFFLINE';
    } else {
      throw new ApiError(10001, 'request parameter releaseState is not valid');
    }
    void n;
  }

  protected deleteWorkflow({ m }: Ctx): unknown {
    const project = this.project(m[1]);
    const w = this.workflow(project.code, m[2]);
    if (w.releaseState === 'ONLINE')
      throw new ApiError(50021, `process definition ${w.name} is online`);
    if (
      this.state.schedules.some((s) => s.workflowCode === w.code && s.releaseState === 'ONLINE')
    ) {
      throw new ApiError(50023, 'the status of schedule is online');
    }
    if (this.state.instances.some((i) => i.workflowCode === w.code && !TERMINAL.has(i.state))) {
      throw new ApiError(10163, 'delete process definition executing fail');
    }
    this.state.workflows = this.state.workflows.filter((x) => x !== w);
    this.state.schedules = this.state.schedules.filter((s) => s.workflowCode !== w.code);
    return null;
  }

  /** The workflows endpoints. */
  protected workflowsRoutes(n: DolphinNames): Route[] {
    const { D } = routePaths(n);
    return [
      r('POST', D, 10105, (c) => this.createWorkflow(c), {
        created: true,
        required: [
          'name',
          'taskDefinitionJson',
          'taskRelationJson',
          ...(n.tenantOnDefinition ? ['tenantCode'] : []),
        ],
      }),
      r(
        'GET',
        `${D}/query-by-name`,
        10109,
        ({ m, p }) => {
          const project = this.project(m[1]);
          // 3.1's query joins the calling user's own tenant: without one, nothing is found.
          const visible = n.line !== '3.1' || Boolean(this.state.userTenant);
          const w = this.state.workflows.find(
            (x) => visible && x.projectCode === project.code && x.name === p['name'],
          );
          if (!w) throw new ApiError(50003, `process definition ${p['name']} does not exist`);
          return this.dagJson(w, n);
        },
        { required: ['name'] },
      ),
      r(
        'GET',
        `${D}/verify-name`,
        10167,
        ({ m, p }) => {
          const project = this.project(m[1]);
          const self = toCode(p[n.verifyNameCodeParam]);
          if (
            this.state.workflows.some(
              (x) => x.projectCode === project.code && x.name === p['name'] && x.code !== self,
            )
          ) {
            throw new ApiError(10168, `process definition name ${p['name']} already exists`);
          }
          return null;
        },
        { required: ['name'] },
      ),
      r('GET', `${D}/simple-list`, 10110, ({ m }) => {
        const project = this.project(m[1]);
        return this.state.workflows
          .filter((w) => w.projectCode === project.code)
          .map((w) => ({ id: w.id, code: w.code, name: w.name, projectCode: w.projectCode }));
      }),
      r('GET', `${D}/(\\d+)`, 10109, ({ m }) =>
        this.dagJson(this.workflow(this.project(m[1]).code, m[2]), n),
      ),
      r('PUT', `${D}/(\\d+)`, 10107, (c) => this.updateWorkflow(c), {
        required: [
          'name',
          'taskDefinitionJson',
          'taskRelationJson',
          ...(n.tenantOnDefinition ? ['tenantCode'] : []),
        ],
      }),
      r(
        'POST',
        `${D}/(\\d+)/release`,
        10108,
        ({ m, p }) => {
          const w = this.workflow(this.project(m[1]).code, m[2]);
          this.release(w, p['releaseState'] ?? '', n);
          return n.line === '3.1' ? null : true;
        },
        { required: ['releaseState'] },
      ),
      r('DELETE', `${D}/(\\d+)`, 50022, (c) => this.deleteWorkflow(c)),
    ];
  }
}
