import { afterEach, describe, expect, it } from 'vitest';
import {
  createDolphinEngine,
  DolphinClient,
  type DolphinError,
  isDolphinError,
  readDolphinRef,
} from '../src/index';
import { createFakeDolphinScheduler, type FakeDolphinScheduler } from '../src/testing/index';
import { LINES, makeTask } from './helpers';

let ds: FakeDolphinScheduler | undefined;
afterEach(async () => {
  await ds?.close();
  ds = undefined;
});

function clientFor(
  fake: FakeDolphinScheduler,
  extra: Partial<ConstructorParameters<typeof DolphinClient>[0]> = {},
) {
  return new DolphinClient({ baseUrl: fake.url, token: fake.token, retryBackoffMs: 1, ...extra });
}

async function caught(p: Promise<unknown>): Promise<DolphinError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isDolphinError(err)) throw new Error(`expected a DolphinError, got ${String(err)}`);
  return err;
}

function stubFetch(body: string, init: ResponseInit = {}): typeof fetch {
  return async () =>
    new Response(body, { status: 200, headers: { 'content-type': 'application/json' }, ...init });
}

describe.each(LINES)('DolphinClient on %s', (line) => {
  it('detects the version line and speaks its paths and parameter names', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const client = clientFor(ds);
    expect(await client.versionLine()).toBe(line);
    const project = await client.createProject('p');
    const [code = ''] = await client.genTaskCodes(project.code, 1);
    const wf = await client.createWorkflow(project.code, {
      name: 'wf',
      tasks: [
        { code, version: 0, name: 'a', taskType: 'SHELL', taskParams: { rawScript: 'echo' } },
      ],
      relations: [{ preTaskCode: '0', postTaskCode: code }],
    });
    const definitionPath = line === '3.3' ? 'workflow-definition' : 'process-definition';
    const create = ds.requests.find((r) => r.method === 'POST' && r.path.endsWith(definitionPath));
    expect(create?.params['tenantCode']).toBe(line === '3.1' ? 'default' : undefined);
    await client.releaseWorkflow(project.code, wf.code, 'ONLINE');
    const started = await client.startWorkflow(project.code, { workflowCode: wf.code });
    expect(started.kind).toBe(
      line === '3.1' ? 'none' : line === '3.2' ? 'triggerCode' : 'instanceIds',
    );
    const start = ds.requests.find((r) => r.path.includes('/executors/'));
    expect(Object.keys(start?.params ?? {})).toContain(
      line === '3.3' ? 'workflowDefinitionCode' : 'processDefinitionCode',
    );
    expect(
      start?.path.endsWith(line === '3.3' ? 'start-workflow-instance' : 'start-process-instance'),
    ).toBe(true);
    const dag = await client.getWorkflowByName(project.code, 'wf');
    expect(dag?.definition.code).toBe(wf.code);
    expect(dag?.tasks[0]?.code).toBe(code);
    expect(await client.getWorkflowByName(project.code, 'missing')).toBeNull();
  });

  it('sends form-encoded parameters and the token header', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const seen: Array<{ ct: string | null; token: string | null }> = [];
    const client = clientFor(ds, {
      fetch: async (input, init) => {
        const req = new Request(input, init);
        seen.push({ ct: req.headers.get('content-type'), token: req.headers.get('token') });
        return fetch(req);
      },
      version: line,
    });
    await client.createProject('form');
    expect(seen[0]?.ct).toContain('application/x-www-form-urlencoded');
    expect(seen[0]?.token).toBe(ds.token);
  });

  it('maps failures to typed errors: engine codes, 201-with-error, 401, HTML', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const client = clientFor(ds, { version: line });
    await client.createProject('dup');
    const dup = await caught(client.createProject('dup'));
    expect(dup).toMatchObject({
      code: 'NAME_EXISTS',
      engineCode: 10019,
      httpStatus: 201,
      method: 'POST',
      path: '/projects',
    });
    const missing = await caught(client.getProject('123'));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', engineCode: 10018 });
    const bad = await caught(
      new DolphinClient({ baseUrl: ds.url, token: 'nope', version: line }).listProjects(),
    );
    expect(bad).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    const wrong = new DolphinClient({
      baseUrl: ds.url,
      token: ds.token,
      version: line === '3.3' ? '3.2' : '3.3',
    });
    const mismatch = await caught(wrong.getWorkflowByName('1', 'x'));
    expect(mismatch.code).toBe('VERSION_MISMATCH');
    expect(mismatch.message).toContain('version mismatch or wrong base URL');
  });

  it('retries reads on 500 and resets, never writes', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const client = clientFor(ds, { version: line, retries: 2 });
    ds.injectFault({ method: 'GET', path: '/projects', kind: 'http500', times: 2 });
    expect((await client.listProjects()).total).toBe(0);
    ds.injectFault({ method: 'GET', path: '/projects', kind: 'reset', times: 1 });
    expect((await client.listProjects()).total).toBe(0);
    ds.clearRequests();
    ds.injectFault({ method: 'POST', path: '/projects', kind: 'http500', times: 1 });
    const err = await caught(client.createProject('once'));
    expect(err).toMatchObject({ code: 'HTTP_ERROR', httpStatus: 500 });
    expect(ds.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    ds.injectFault({ method: 'GET', path: '/projects', kind: 'http500', times: 3 });
    expect(await caught(client.listProjects())).toMatchObject({
      code: 'HTTP_ERROR',
      httpStatus: 500,
    });
  });

  it('times out a call that never answers', async () => {
    ds = await createFakeDolphinScheduler({ version: line });
    const client = clientFor(ds, { version: line, timeoutMs: 150, retries: 0 });
    ds.injectFault({ method: 'POST', path: '/projects', kind: 'hang' });
    expect((await caught(client.createProject('slow'))).code).toBe('TIMEOUT');
  });
});

describe('DolphinClient envelope', () => {
  it('accepts code 0 only and validates data with zod', async () => {
    const client = new DolphinClient({
      baseUrl: 'http://ds.invalid/dolphinscheduler',
      token: 't',
      version: '3.2',
      fetch: stubFetch('{"code":0,"msg":"success","data":{"totalList":[{"id":"x"}],"total":1}}'),
    });
    const err = await caught(client.listProjects());
    expect(err).toMatchObject({ code: 'INVALID_RESPONSE', engineCode: 0 });
    expect(err.cause).toBeDefined();
    const notJson = new DolphinClient({
      baseUrl: 'http://ds.invalid/ds',
      token: 't',
      version: '3.2',
      fetch: stubFetch('oops'),
    });
    expect((await caught(notJson.listProjects())).code).toBe('INVALID_RESPONSE');
    const noEnvelope = new DolphinClient({
      baseUrl: 'http://ds.invalid/ds',
      token: 't',
      version: '3.2',
      fetch: stubFetch('{"status":1}'),
    });
    expect((await caught(noEnvelope.listProjects())).code).toBe('INVALID_RESPONSE');
    const failure = new DolphinClient({
      baseUrl: 'http://ds.invalid/ds',
      token: 't',
      version: '3.2',
      fetch: stubFetch('{"code":10000,"msg":"no master server available","data":null}'),
    });
    expect((await caught(failure.listProjects())).code).toBe('NO_MASTER');
  });

  it('keeps codes above 2^53 exact', async () => {
    const big = '1152921504606859999';
    const client = new DolphinClient({
      baseUrl: 'http://ds.invalid/ds',
      token: 't',
      version: '3.3',
      fetch: stubFetch(`{"code":0,"msg":"success","data":[${big}]}`),
    });
    expect(await client.genTaskCodes('1', 1)).toEqual([big]);
  });

  it('reports a refused connection as NETWORK_ERROR', async () => {
    const client = new DolphinClient({
      baseUrl: 'http://127.0.0.1:9/ds',
      token: 't',
      version: '3.2',
      retries: 0,
    });
    expect((await caught(client.createProject('x'))).code).toBe('NETWORK_ERROR');
  });
});

describe('DolphinClient.readLog', () => {
  it('pages a log to the end across the worker’s 64 KiB page cut', async () => {
    ds = await createFakeDolphinScheduler({ version: '3.3' });
    const big = (n: number) => `${n}:${'x'.repeat(30_000)}`;
    ds.setRunPlan({ outcome: 'SUCCESS', durationMs: 10, log: [0, 1, 2, 3, 4].map(big) });
    const engine = createDolphinEngine({ baseUrl: ds.url, token: ds.token, project: 'p' });
    const task = makeTask({ name: 'logs', kind: 'shell', sql: 'echo', datasource: null });
    const ref = (
      await engine.publish({
        unitName: 'logs',
        tasks: [task],
        dependencies: [],
        external: [],
        schedule: null,
        online: true,
      })
    ).refs.get(task.id);
    const run = await engine.trigger({ ...task, engineRef: ref ?? null });
    await ds.settleRuns();
    const projectCode = readDolphinRef(ref)?.projectCode ?? '';
    const [ti] = (await engine.client.getInstanceTasks(projectCode, Number(run.externalRunId)))
      .taskList;
    ds.clearRequests();
    const text = await engine.client.readLog(ti?.id ?? 0, { pageLines: 1000 });
    expect(text.split('\n').slice(1, -1)).toEqual([0, 1, 2, 3, 4].map(big));
    expect(text.startsWith('[LOG-PATH]: ')).toBe(true);
    expect(ds.requests.length).toBeGreaterThan(1);
  });
});
