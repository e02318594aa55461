import { flushPromises, mount } from '@vue/test-utils';
import { NDialogProvider, NMessageProvider } from 'naive-ui';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { i18n } from '../src/i18n';
import TaskEditPage from '../src/pages/TaskEditPage.vue';
import { emptyTaskForm, toNewTask } from '../src/pages/task-form';
import { eventually, fakeApi } from './fake-api';

afterEach(() => {
  vi.unstubAllGlobals();
});

// CodeMirror needs a real layout engine; the form is tested through a textarea stand-in that
// speaks the same v-model.
const SqlEditorStub = defineComponent({
  props: { modelValue: { type: String, default: '' } },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    return () =>
      h('textarea', {
        'data-testid': 'sql',
        value: props.modelValue,
        onInput: (e: Event) => emit('update:modelValue', (e.target as HTMLTextAreaElement).value),
      });
  },
});

const task = {
  id: 7,
  name: 'load_dwd_user',
  description: null,
  kind: 'sql',
  sql: 'insert into dwd_user select * from ods_user',
  task_type: 'batch',
  engine: 'dolphin',
  schedule: '0 3 * * *',
  inputs: ['ods_user'],
  outputs: ['dwd_user'],
  owner: null,
  datasource: null,
  retries: 0,
  timeout_seconds: 0,
  pre_statements: [],
  post_statements: [],
  status: 'draft',
  engine_ref: null,
  last_error: null,
  version: 1,
  created_at: '2025-10-17T03:00:00.000Z',
  updated_at: '2025-10-17T03:00:00.000Z',
};

async function mountForm() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/tasks/new', component: TaskEditPage },
      { path: '/tasks/:id', component: TaskEditPage, props: true },
      { path: '/:p(.*)*', component: { render: () => null } },
    ],
  });
  await router.push('/tasks/new');
  const Root = defineComponent(
    () => () => h(NMessageProvider, null, () => h(NDialogProvider, null, () => h(TaskEditPage))),
  );
  const wrapper = mount(Root, {
    global: { plugins: [i18n, router], stubs: { SqlEditor: SqlEditorStub } },
    attachTo: document.body,
  });
  return { wrapper, router };
}

describe('task form', () => {
  it('sends the design’s example as the create request', () => {
    const body = toNewTask({
      ...emptyTaskForm(),
      name: ' load_dwd_user ',
      sql: 'insert into dwd_user select * from ods_user',
      schedule: '0 3 * * *',
      inputs: ['ods_user'],
      outputs: ['dwd_user'],
    });
    expect(body).toMatchObject({
      name: 'load_dwd_user',
      sql: 'insert into dwd_user select * from ods_user',
      task_type: 'batch',
      engine: 'dolphin',
      schedule: '0 3 * * *',
      inputs: ['ods_user'],
      outputs: ['dwd_user'],
    });
    expect(body).not.toHaveProperty('owner');
  });

  it('creates a task from what was typed, then shows it with its status', async () => {
    const api = fakeApi({
      'GET /healthz': () => ({
        body: { status: 'ok', engines: { local: 'embedded', dolphin: 'simulated' } },
      }),
      'GET /api/v1/tables': () => ({ body: { items: [], next_cursor: null } }),
      'POST /api/v1/sql/lineage': () => ({
        body: {
          dialect: 'doris',
          inputs: ['ods_user'],
          outputs: ['dwd_user'],
          unregistered_tables: [],
          confidence: 1,
        },
      }),
      'POST /api/v1/tasks': (_r, body) => ({ status: 201, body: { ...task, ...(body as object) } }),
      'GET /api/v1/tasks/7': () => ({ body: task }),
    });
    const { wrapper, router } = await mountForm();
    await flushPromises();
    await wrapper.find('#task-name').setValue('load_dwd_user');
    await wrapper.find('#task-schedule').setValue('0 3 * * *');
    await wrapper
      .find('[data-testid="sql"]')
      .setValue('insert into dwd_user select * from ods_user');
    await eventually(() => expect(wrapper.find('[data-testid="use-parsed"]').exists()).toBe(true));
    await wrapper.find('[data-testid="use-parsed"]').trigger('click');
    await eventually(() =>
      expect(wrapper.find('[data-testid="preview-consistent"]').exists()).toBe(true),
    );
    await wrapper.find('form').trigger('submit');
    await eventually(() =>
      expect(api.calls.some((c) => c.method === 'POST' && c.path === '/api/v1/tasks')).toBe(true),
    );
    const create = api.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/tasks');
    expect(create?.body).toMatchObject({
      name: 'load_dwd_user',
      sql: 'insert into dwd_user select * from ods_user',
      schedule: '0 3 * * *',
      inputs: ['ods_user'],
      outputs: ['dwd_user'],
      task_type: 'batch',
      engine: 'dolphin',
    });
    await eventually(() => expect(router.currentRoute.value.path).toBe('/tasks/7'));
    wrapper.unmount();
  }, 30_000);

  it('names the field the API refused', async () => {
    fakeApi({
      'GET /api/v1/tables': () => ({ body: { items: [], next_cursor: null } }),
      'POST /api/v1/sql/lineage': () => ({
        body: { dialect: 'doris', inputs: [], outputs: [], unregistered_tables: [], confidence: 1 },
      }),
      'POST /api/v1/tasks': () => ({
        status: 400,
        body: {
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          error: 'Bad Request',
          message: 'invalid body: schedule: not a 5-field cron expression',
          details: {
            issues: [{ in: 'body', field: 'schedule', message: 'not a 5-field cron expression' }],
          },
        },
      }),
    });
    const { wrapper } = await mountForm();
    await flushPromises();
    await wrapper.find('#task-name').setValue('bad_cron');
    await wrapper.find('#task-schedule').setValue('every day');
    await wrapper.find('form').trigger('submit');
    await eventually(() =>
      expect(wrapper.find('[data-testid="form-error"]').text()).toContain(
        'schedule: not a 5-field cron expression',
      ),
    );
    expect(wrapper.text()).toContain('not a 5-field cron expression');
    wrapper.unmount();
  }, 30_000);
});
