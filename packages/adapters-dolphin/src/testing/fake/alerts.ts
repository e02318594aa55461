import { stringifyJson } from '../../internal/json';
import { type DolphinNames, dolphinNames } from '../../version';
import type { FakeDolphinState, FakeInstance } from '../fake-state';
import {
  ApiError,
  METHOD_NOT_ALLOWED,
  MSG_PLACEHOLDER,
  num,
  type Params,
  pluginParams,
  type Route,
  r,
  safeObject,
} from './core';
import { FakeLogs } from './logs';

/**
 * The fake's data sources, UI plugins, alert plugin instances, alert groups and alert delivery.
 */
export class FakeAlerts extends FakeLogs {
  protected alertContent(i: FakeInstance, n: DolphinNames): { title: string; content: string } {
    const w = this.state.workflows.find((x) => x.code === i.workflowCode);
    const project = this.state.projects.find((x) => x.code === i.projectCode);
    const three = n.line === '3.3';
    const cmd =
      i.commandType === 'SCHEDULER' ? 'scheduler' : three ? 'start workflow' : 'start process';
    const common = {
      projectCode: i.projectCode,
      projectName: project?.name,
      owner: 'admin',
      [three ? 'workflowInstanceId' : 'processId']: i.id,
      [three ? 'workflowDefinitionCode' : 'processDefinitionCode']: i.workflowCode,
      [three ? 'workflowInstanceName' : 'processName']: i.name,
    };
    if (i.state === 'SUCCESS') {
      return {
        title: `${cmd} success`,
        content: stringifyJson([
          {
            ...common,
            [three ? 'commandType' : 'processType']: i.commandType,
            [three ? 'workflowExecutionStatus' : 'processState']: 'SUCCESS',
            modifyBy: 'admin',
            recovery: 'NO',
            runTimes: 1,
            [three ? 'workflowStartTime' : 'processStartTime']: i.startTime,
            [three ? 'workflowEndTime' : 'processEndTime']: i.endTime,
            [three ? 'workflowHost' : 'processHost']: '127.0.0.1:5678',
          },
        ]),
      };
    }
    if (i.state === 'FAILURE') {
      return {
        title: `${cmd} failed`,
        content: stringifyJson(
          i.tasks
            .filter((t) => t.state !== 'SUCCESS')
            .map((t) => ({
              ...common,
              modifyBy: 'admin',
              taskCode: t.taskCode,
              taskName: t.name,
              taskType: t.taskType,
              taskState: t.state,
              taskStartTime: t.startTime,
              taskEndTime: t.endTime,
              taskHost: t.host,
              taskPriority: 'MEDIUM',
              logPath: `/opt/ds/logs/${i.id}/${t.id}.log`,
            })),
        ),
      };
    }
    void w;
    return { title: `${cmd} failed`, content: '' };
  }

  protected async sendAlerts(i: FakeInstance): Promise<void> {
    if (!this.finishAlerts) return;
    const wants =
      i.warningType === 'ALL' ||
      (i.warningType === 'SUCCESS' && i.state === 'SUCCESS') ||
      (i.warningType === 'FAILURE' && i.state !== 'SUCCESS');
    if (!wants) return;
    const group = this.state.alertGroups.find((g) => g.id === i.warningGroupId);
    if (!group) return;
    const n = dolphinNames(this.version);
    const { title, content } = this.alertContent(i, n);
    const ids = group.alertInstanceIds.split(',').filter(Boolean).map(Number);
    for (const inst of this.state.alertInstances.filter((a) => ids.includes(a.id))) {
      await this.deliver(inst.params, title, content, n);
    }
  }

  protected async deliver(
    params: Record<string, string>,
    title: string,
    content: string,
    n: DolphinNames,
  ): Promise<void> {
    const headers = safeObject(params['headerParams']);
    const body = safeObject(params['bodyParams']);
    const method = (
      params['requestType'] ?? (n.httpAlertMsgPlaceholder ? 'GET' : 'POST')
    ).toUpperCase();
    let url = params['url'] ?? '';
    let payload = '';
    let contentType: string;
    if (n.httpAlertMsgPlaceholder) {
      const sub = (v: string) => v.split(MSG_PLACEHOLDER).join(content);
      url = url.split(MSG_PLACEHOLDER).join(encodeURIComponent(content));
      for (const k of Object.keys(headers)) headers[k] = sub(headers[k] ?? '');
      for (const k of Object.keys(body)) body[k] = sub(body[k] ?? '');
      contentType = params['contentType'] ?? 'application/json';
      payload = method === 'GET' ? '' : JSON.stringify(body);
    } else {
      const field = params['contentField'] ?? 'content';
      if (method === 'GET') {
        url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(field)}=${encodeURIComponent(content)}`;
      } else {
        payload = JSON.stringify({ ...body, [field]: content });
      }
      contentType = 'text/plain; charset=UTF-8';
    }
    const headerCt = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type');
    if (headerCt) contentType = headerCt[1];
    let ok = false;
    try {
      const res = await fetch(url, {
        method,
        headers: { ...headers, 'content-type': contentType },
        ...(method === 'GET' ? {} : { body: payload }),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      ok = n.httpAlertMsgPlaceholder ? res.status === 200 : true;
    } catch {
      ok = false;
    }
    this.alerts.push({ url, method, contentType, body: payload, title, ok });
  }

  protected alertInstanceJson(
    a: FakeDolphinState['alertInstances'][number],
  ): Record<string, unknown> {
    return {
      id: a.id,
      pluginDefineId: a.pluginDefineId,
      instanceName: a.instanceName,
      pluginInstanceParams: JSON.stringify(
        Object.entries(a.params).map(([field, value]) => ({ field, value })),
      ),
      ...(a.instanceType ? { instanceType: a.instanceType, warningType: a.warningType } : {}),
      createTime: this.now(),
      updateTime: this.now(),
      alertPluginName: 'Http',
    };
  }

  protected createAlertInstance(p: Params, n: DolphinNames): unknown {
    if (this.state.alertInstances.some((a) => a.instanceName === p['instanceName'])) {
      throw new ApiError(110010, 'plugin instance already exists');
    }
    const params = pluginParams(p['pluginInstanceParams']);
    const a = {
      id: this.id(),
      pluginDefineId: num(p['pluginDefineId']),
      instanceName: p['instanceName'] ?? '',
      params,
      instanceType: n.alertInstanceTypeRequired ? (p['instanceType'] ?? null) : null,
      warningType: n.alertInstanceTypeRequired ? (p['warningType'] ?? null) : null,
    };
    this.state.alertInstances.push(a);
    return this.alertInstanceJson(a);
  }

  /** The alerts endpoints. */
  protected alertsRoutes(n: DolphinNames): Route[] {
    const routes: Route[] = [
      r(
        'GET',
        '/datasources',
        10035,
        ({ p }) =>
          this.page(
            p,
            this.state.datasources
              .filter((d) => !p['searchVal'] || d.name.includes(p['searchVal']))
              .map((d) => ({
                ...d,
                userId: 1,
                userName: 'admin',
                connectionParams: '{}',
                createTime: this.now(),
                updateTime: this.now(),
              })),
          ),
        { required: ['pageNo', 'pageSize'] },
      ),
      r(
        'GET',
        '/datasources/list',
        10069,
        ({ p }) => this.state.datasources.filter((d) => d.type === p['type']),
        { required: ['type'] },
      ),
      r(
        'GET',
        '/ui-plugins/query-by-type',
        10000,
        ({ p }) =>
          p['pluginType'] === 'ALERT'
            ? [
                { id: 1, pluginName: 'Email', pluginType: 'ALERT', pluginParams: '[]' },
                { id: 6, pluginName: 'Http', pluginType: 'ALERT', pluginParams: '[]' },
              ]
            : [],
        // UiPluginController answers this query with HTTP 201 (reference §2.11)
        { created: true, required: ['pluginType'] },
      ),
      r('GET', '/alert-plugin-instances/list', 110010, () =>
        // 3.1.1 answers `data: null` while there is no instance (measured, reference §12).
        n.line === '3.1' && this.state.alertInstances.length === 0
          ? null
          : this.state.alertInstances.map((a) => this.alertInstanceJson(a)),
      ),
      r('POST', '/alert-plugin-instances', 110008, ({ p }) => this.createAlertInstance(p, n), {
        created: true,
        required: [
          'pluginDefineId',
          'instanceName',
          'pluginInstanceParams',
          ...(n.alertInstanceTypeRequired ? ['instanceType', 'warningType'] : []),
        ],
      }),
      r(
        'PUT',
        '/alert-plugin-instances/(\\d+)',
        110009,
        ({ m, p }) => {
          const a = this.state.alertInstances.find((x) => x.id === num(m[1]));
          if (!a) throw new ApiError(110007, 'alert plugin instance not exist');
          a.instanceName = p['instanceName'] ?? a.instanceName;
          a.params = pluginParams(p['pluginInstanceParams']);
          return this.alertInstanceJson(a);
        },
        {
          required: [
            'instanceName',
            'pluginInstanceParams',
            ...(n.alertInstanceTypeRequired ? ['warningType'] : []),
          ],
        },
      ),
      r('GET', '/alert-groups/list', 10029, () => this.state.alertGroups),
      r(
        'POST',
        '/alert-groups',
        10027,
        ({ p }) => {
          if (this.state.alertGroups.some((g) => g.groupName === p['groupName'])) {
            throw new ApiError(10012, 'alarm group already exists');
          }
          const g = {
            id: this.id(),
            groupName: p['groupName'] ?? '',
            description: p['description'] ?? '',
            alertInstanceIds: p['alertInstanceIds'] ?? '',
          };
          this.state.alertGroups.push(g);
          return g;
        },
        { created: true, required: ['groupName'] },
      ),
    ];
    if (n.line === '3.1') {
      // 3.1 maps only PUT/DELETE on /alert-groups/{id}: a GET there is "method not supported",
      // Spring answers HTTP 405 with its "Whitelabel Error Page" (text/html), e.g. the 3.2 probe
      // GET /alert-groups/normal-list (measured on 3.1.1, reference §12).
      routes.push(r('GET', '/alert-groups/[^/]+', 10000, () => METHOD_NOT_ALLOWED));
    }
    if (n.line !== '3.1') {
      routes.push(r('GET', '/alert-groups/normal-list', 10029, () => this.state.alertGroups));
    }
    if (n.line === '3.3') {
      routes.push(
        r('GET', '/ui-plugins/query-product-info', 10000, () => ({ id: 1, version: '3.3.1' })),
      );
    } else {
      // Before 3.3 the path is caught by GET /ui-plugins/{id}: engine code 110003 in HTTP 200
      // (measured on 3.1.1, reference §12; 3.2 has the same mapping).
      routes.push(
        r('GET', '/ui-plugins/query-product-info', 110003, () => {
          throw new ApiError(110003, 'query plugins error');
        }),
      );
    }
    return routes;
  }
}
