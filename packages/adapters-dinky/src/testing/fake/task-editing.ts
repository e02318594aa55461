import { addTask, bodyOf, bus, Fail, type FakeState, MSG, needParam, num, taskOf } from './state';
import type { FakeDinkyTask } from './types';

// Task editing through the login-based `/api`: `controller/TaskController.java`
// (`GET/PUT /api/task`, `changeTaskLife`; `TaskServiceImpl.saveOrUpdateTask`) and
// `controller/CatalogueController.java`. Mirrors ../../client/task-editing.ts.

function taskJson(task: FakeDinkyTask): unknown {
  return {
    id: task.id,
    name: task.name,
    dialect: task.dialect,
    type: task.type,
    statement: task.statement,
    step: task.step,
    enabled: task.enabled,
    fragment: task.fragment,
    jobInstanceId: task.jobInstanceId,
    parallelism: task.parallelism,
    clusterId: null,
    envId: -1,
  };
}

function catalogueJson(task: FakeDinkyTask): unknown {
  return {
    id: task.catalogueId,
    name: task.name,
    taskId: task.id,
    parentId: task.parentId,
    isLeaf: true,
    type: task.dialect,
    children: [],
  };
}

/** The `/api` task and catalogue routes (1.x). */
export function registerTaskEditingRoutes(s: FakeState): void {
  if (s.legacy) return;
  s.route('GET', '/api/task', (req) =>
    s.ok(taskJson(taskOf(s, num(needParam(req.query['id'], 'id')))), MSG.query),
  );
  s.route('PUT', '/api/task', (req) => {
    const b = bodyOf(req);
    // 1.1 added `@Validated({Save.class})` to `TaskController.saveOrUpdateTask`: `TaskSaveDTO`'s
    // `@NotNull` name and enabled → MethodArgumentNotValidException → HTTP 400, code 6. 1.0 has
    // no validation and MyBatis-Plus `updateById` skips the null columns.
    const validated = s.major > 1 || s.minor >= 1;
    const name = typeof b['name'] === 'string' ? b['name'] : null;
    const enabled = typeof b['enabled'] === 'boolean' ? b['enabled'] : null;
    if (validated && (name === null || enabled === null)) {
      const field = name === null ? 'name' : 'enabled';
      const text = `${field[0]?.toUpperCase()}${field.slice(1)} cannot be null`;
      throw new Fail('params', `Field: ${field}, ${text}`, `字段: ${field}, ${text}`);
    }
    if (typeof b['id'] !== 'number') {
      addTask(s, { name: name ?? `task_${s.nextTask}`, statement: String(b['statement'] ?? '') });
      return s.ok(null);
    }
    const task = taskOf(s, b['id']);
    if (task.step === 2) throw bus(MSG.online);
    if (name !== null) task.name = name;
    if (enabled !== null) task.enabled = enabled;
    if (typeof b['statement'] === 'string') task.statement = b['statement'];
    if (typeof b['fragment'] === 'boolean') task.fragment = b['fragment'];
    if (typeof b['type'] === 'string') task.type = b['type'];
    if (typeof b['parallelism'] === 'number') task.parallelism = b['parallelism'];
    return s.ok(null);
  });
  s.route('GET', '/api/task/changeTaskLife', (req) => {
    const task = taskOf(s, num(needParam(req.query['taskId'], 'taskId')));
    const life = num(needParam(req.query['lifeCycle'], 'lifeCycle'));
    task.step = life === 2 ? 2 : 1;
    return s.ok(true);
  });
  s.route('PUT', '/api/catalogue/saveOrUpdateCatalogueAndTask', (req) => {
    const b = bodyOf(req);
    if (typeof b['name'] !== 'string' || b['name'] === '') {
      throw new Fail('params', 'name must not be empty', 'name 不能为空');
    }
    const nested =
      b['task'] !== null && typeof b['task'] === 'object'
        ? (b['task'] as Record<string, unknown>)
        : {};
    const task = addTask(s, {
      name: b['name'],
      dialect: typeof b['type'] === 'string' ? b['type'] : 'FlinkSql',
      statement: typeof nested['statement'] === 'string' ? nested['statement'] : '',
      fragment: nested['fragment'] === true,
    });
    if (typeof b['parentId'] === 'number') task.parentId = b['parentId'];
    return s.ok(catalogueJson(task));
  });
  s.route('POST', '/api/catalogue/getCatalogueTreeData', () =>
    s.ok([...s.tasks.values()].map(catalogueJson), MSG.query),
  );
}
