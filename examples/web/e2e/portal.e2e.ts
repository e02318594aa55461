import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, launchChromium, type PortalServer, screenshot, startPortal } from './support';

// The portal in a real Chromium against the real server (`dataportal serve` from the built
// bundle, as `npm start` runs it) on a fresh SQLite file: the design's example task from the
// form to the graph, a run turning green, a stream started and stopped, every page captured.
describe('the portal in Chromium', () => {
  let server: PortalServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let engines: Record<string, string> = {};
  const shots: string[] = [];
  const pageErrors: string[] = [];

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Opens a page path, signing in with the admin token when the server asks for one. */
  async function open(path: string) {
    await page.goto(`${server.url}${path}`);
    const token = page.locator('#sign-in-token');
    const signIn = await token
      .waitFor({ timeout: 1500 })
      .then(() => true)
      .catch(() => false);
    if (signIn) {
      await token.fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await token.waitFor({ state: 'detached' });
    }
  }

  beforeAll(async () => {
    server = await startPortal();
    const health = await (await fetch(`${server.url}/healthz`)).json();
    engines = (health as { engines?: Record<string, string> }).engines ?? {};
    browser = await launchChromium({ width: 1280, height: 800 });
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (shots.length) process.stdout.write(`screenshots:\n  ${shots.join('\n  ')}\n`);
  });

  it('opens / on the demo warehouse', async () => {
    await open('/');
    await page.waitForURL(/\/tables$/);
    await page.getByRole('heading', { name: 'Tables' }).waitFor();
    await page.locator('[data-testid="tables-list"] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid="tables-list"] tbody tr').count()).toBeGreaterThan(3);
    shots.push(await screenshot(page, '01-tables'));
  });

  let taskId = 0;
  it('creates the design’s example task in the form and sees ods_user → dwd_user', async () => {
    await open('/tasks/new');
    await page.locator('#task-name').fill('load_dwd_user');
    await page.locator('#task-schedule').fill('0 3 * * *');
    // The form picks DolphinScheduler when the server has one (simulated by `npm start`).
    const batchEngine = engines['dolphin'] ? 'dolphin' : 'local';
    await page.locator('.cm-content').click();
    await page.keyboard.type('insert into dwd_user select * from ods_user', { delay: 5 });
    const edge = page.locator('[data-testid="preview-edge"]').first();
    await edge.waitFor();
    expect((await edge.innerText()).replace(/\s+/g, ' ')).toMatch(/ods_user ODS → dwd_user DWD/);
    await page.locator('[data-testid="use-parsed"]').click();
    await page.locator('[data-testid="preview-consistent"]').waitFor();
    shots.push(await screenshot(page, '02-task-form'));
    await page.locator('[data-testid="save-task"]').click();
    await page.waitForURL(/\/tasks\/\d+$/);
    taskId = Number(page.url().split('/').pop());
    const task = await api<{ inputs: string[]; outputs: string[]; engine: string }>(
      'GET',
      `/api/v1/tasks/${taskId}`,
    );
    expect(task).toMatchObject({
      inputs: ['ods_user'],
      outputs: ['dwd_user'],
      engine: batchEngine,
    });
  });

  it('shows the two tables and their edge in the lineage graph', async () => {
    await open('/lineage?table=dwd_user');
    await page.locator('.vue-flow__node[data-id="ods_user"]').waitFor({ timeout: 60_000 });
    await page.locator('.vue-flow__node[data-id="dwd_user"]').waitFor();
    await page
      .locator('.vue-flow__edge[data-id="ods_user>dwd_user"]')
      .waitFor({ state: 'attached' });
    await page.locator('.vue-flow__node[data-id="ods_user"]').click();
    await page.locator('[data-testid="impact-panel"]').waitFor();
    expect(await page.locator('[data-testid="impact-panel"]').innerText()).toContain('dwd_user');
    await expect
      .poll(async () => page.locator('.vue-flow__node[data-id="dwd_user"]').getAttribute('class'))
      .toContain('state-impacted');
    shots.push(await screenshot(page, '03-lineage'));
    await open('/lineage');
    await page.locator('.vue-flow__node').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="layout-time"]').waitFor();
    shots.push(await screenshot(page, '04-lineage-whole'));
  });

  it('publishes the task, runs it and sees the run turn green with its duration', async () => {
    await open(`/tasks/${taskId}`);
    await page.locator('[data-testid="publish"]').click();
    await expect
      .poll(
        async () => page.locator('h1 + .n-tag, [data-status]').first().getAttribute('data-status'),
        {
          timeout: 30_000,
        },
      )
      .not.toBe('draft');
    await page.locator('[data-testid="run-now"]').click();
    await open(`/runs?task=${taskId}`);
    const status = page
      .locator('[data-testid="runs-list"] tbody tr')
      .first()
      .locator('[data-status]');
    await expect
      .poll(async () => status.getAttribute('data-status'), { timeout: 90_000, interval: 1000 })
      .toBe('SUCCESS');
    const duration = await page.locator('[data-testid="run-duration"]').first().innerText();
    expect(duration).toMatch(/\d+(\.\d+)? (ms|s|min)/);
    await page.locator('[data-testid="runs-chart"]').waitFor();
    shots.push(await screenshot(page, '05-runs'));
  });

  it('starts and stops a stream task', async () => {
    const stream = await api<{ id: number; name: string }>('POST', '/api/v1/tasks', {
      name: 'rt_dws_gmv_e2e',
      sql: 'insert into dws_gmv_rt select * from ods_order_events',
      task_type: 'stream',
      engine: 'dinky',
      inputs: ['ods_order_events'],
      outputs: ['dws_gmv_rt'],
      register_missing_tables: true,
    });
    await open('/streams');
    const row = page.locator('[data-testid="streams-list"] tbody tr', { hasText: stream.name });
    await row.waitFor();
    if (!engines['dinky']) {
      // Without a Dinky (real or simulated) the task cannot be published: the page says why.
      await page.goto(`${server.url}/tasks/${stream.id}`);
      await page.locator('[data-testid="publish"]').click();
      await page.locator('[data-testid="form-error"]').waitFor();
      expect(await page.locator('[data-testid="form-error"]').innerText()).toMatch(/dinky/i);
      shots.push(await screenshot(page, '06-streams'));
      return;
    }
    await api('POST', `/api/v1/tasks/${stream.id}/publish`, {});
    await open('/streams');
    await page.locator(`[data-testid="start-${stream.name}"]`).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator(`[data-testid="stop-${stream.name}"]`).waitFor({ timeout: 30_000 });
    expect(await row.locator('[data-status]').getAttribute('data-status')).toMatch(
      /RUNNING|STARTING/,
    );
    shots.push(await screenshot(page, '06-streams'));
    await page.locator(`[data-testid="stop-${stream.name}"]`).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator(`[data-testid="start-${stream.name}"]`).waitFor({ timeout: 30_000 });
  });

  it('shows a table’s detail, speaks Chinese, and fits a narrow window', async () => {
    await open('/tables/dwd_user');
    await page.getByRole('heading', { name: 'dwd_user' }).waitFor();
    await page.getByText('load_dwd_user').first().waitFor();
    shots.push(await screenshot(page, '07-table-detail'));
    const zh = await launchChromium({ width: 390, height: 844, locale: 'zh-CN' });
    try {
      const p = await zh.context.newPage();
      await p.goto(`${server.url}/tasks`);
      const token = p.locator('#sign-in-token');
      if (
        await token.waitFor({ timeout: 1500 }).then(
          () => true,
          () => false,
        )
      ) {
        await token.fill(ADMIN_TOKEN);
        await p.getByRole('button', { name: '登录' }).click();
      }
      await p.getByRole('heading', { name: '任务' }).waitFor();
      await p.locator('[data-testid="tasks-list"] tbody tr').first().waitFor();
      shots.push(await screenshot(p, '08-tasks-zh-narrow'));
    } finally {
      await zh.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
