import { z } from 'zod';
import { DinkyError } from '../errors';
import {
  type DinkyCatalogue,
  DinkyCatalogueSchema,
  type DinkyTask,
  DinkyTaskSchema,
} from '../schemas';
import type { DinkyTransport } from './transport';
import type {
  DinkyCallOptions,
  DinkyLifeCycle,
  DinkyTaskSqlInput,
  DinkyTaskSqlResult,
} from './types';

// Creating and editing tasks through the login-based `/api`: `TaskController.java`
// (`GET/PUT /api/task`, `changeTaskLife`) and `CatalogueController.java`.
// The fake's side is `../testing/fake/task-editing.ts`.

export async function getTask(
  t: DinkyTransport,
  taskId: number,
  options: DinkyCallOptions = {},
): Promise<DinkyTask> {
  return t.call({
    op: 'getTask',
    method: 'GET',
    path: 'api/task',
    query: { id: taskId },
    schema: DinkyTaskSchema,
    api: true,
    retry: true,
    context: { task: taskId },
    signal: options.signal,
  });
}

export async function setTaskLifeCycle(
  t: DinkyTransport,
  taskId: number,
  lifeCycle: DinkyLifeCycle,
  options: DinkyCallOptions = {},
): Promise<void> {
  await t.call({
    op: 'changeTaskLife',
    method: 'GET',
    path: 'api/task/changeTaskLife',
    query: { taskId, lifeCycle: lifeCycle === 'publish' ? 2 : 1 },
    schema: z.unknown(),
    api: true,
    context: { task: taskId, lifeCycle },
    signal: options.signal,
  });
}

export async function findTaskByName(
  t: DinkyTransport,
  name: string,
  options: DinkyCallOptions = {},
): Promise<DinkyCatalogue | null> {
  const tree = await t.call({
    op: 'getCatalogueTreeData',
    method: 'POST',
    path: 'api/catalogue/getCatalogueTreeData',
    json: { sortValue: '', sortType: '' },
    schema: z.array(DinkyCatalogueSchema).nullish(),
    api: true,
    retry: true,
    signal: options.signal,
  });
  const stack: DinkyCatalogue[] = [...((tree as DinkyCatalogue[] | null | undefined) ?? [])];
  while (stack.length > 0) {
    const node = stack.pop() as DinkyCatalogue;
    if (node.name === name && typeof node.taskId === 'number') return node;
    if (node.children) stack.push(...node.children);
  }
  return null;
}

export async function saveTaskSql(
  t: DinkyTransport,
  input: DinkyTaskSqlInput,
  options: DinkyCallOptions = {},
): Promise<DinkyTaskSqlResult> {
  const settings: Record<string, unknown> = {};
  if (input.runMode !== undefined) settings['type'] = input.runMode;
  if (input.clusterId !== undefined) settings['clusterId'] = input.clusterId;
  if (input.clusterConfigurationId !== undefined) {
    settings['clusterConfigurationId'] = input.clusterConfigurationId;
  }
  if (input.parallelism !== undefined) settings['parallelism'] = input.parallelism;
  if (input.envId !== undefined) settings['envId'] = input.envId;
  if (input.fragment !== undefined) settings['fragment'] = input.fragment;

  if (input.id === undefined) {
    const node = await t.call({
      op: 'saveOrUpdateCatalogueAndTask',
      method: 'PUT',
      path: 'api/catalogue/saveOrUpdateCatalogueAndTask',
      json: {
        name: input.name,
        type: input.dialect ?? 'FlinkSql',
        parentId: input.parentId ?? 0,
        note: input.note ?? '',
        task: { statement: input.statement, ...settings },
      },
      schema: DinkyCatalogueSchema,
      api: true,
      context: { name: input.name },
      signal: options.signal,
    });
    const taskId = node.taskId;
    if (typeof taskId !== 'number') {
      throw new DinkyError(
        'INVALID_RESPONSE',
        `dinky: saveOrUpdateCatalogueAndTask returned no task id (name ${input.name})`,
        { path: 'api/catalogue/saveOrUpdateCatalogueAndTask', method: 'PUT' },
      );
    }
    // The catalogue call ignores the nested statement on some versions; save it explicitly.
    await putTask(
      t,
      { id: taskId, name: input.name, statement: input.statement, ...settings },
      options,
    );
    if (input.publish) await setTaskLifeCycle(t, taskId, 'publish', options);
    return { taskId, catalogueId: node.id, created: true, published: input.publish === true };
  }

  const current = await getTask(t, input.id, options);
  const wasPublished = current.step === 2;
  if (wasPublished) await setTaskLifeCycle(t, input.id, 'develop', options);
  await putTask(
    t,
    { id: input.id, name: current.name, statement: input.statement, ...settings },
    options,
  );
  const publish = input.publish ?? wasPublished;
  if (publish) await setTaskLifeCycle(t, input.id, 'publish', options);
  return { taskId: input.id, catalogueId: null, created: false, published: publish };
}

async function putTask(
  t: DinkyTransport,
  body: Record<string, unknown>,
  options: DinkyCallOptions,
): Promise<void> {
  await t.call({
    op: 'saveTask',
    method: 'PUT',
    path: 'api/task',
    json: { enabled: true, ...body },
    schema: z.unknown(),
    api: true,
    context: { task: body['id'] },
    signal: options.signal,
  });
}
