import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Task } from '@dataportal/sdk';
import type { FakeDolphinScheduler } from '../src/testing/index';

export interface RawAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly code: number | null;
  readonly data: unknown;
}

/** Sends a raw request to the fake (form-encoded by default) and reads the envelope. */
export async function raw(
  ds: FakeDolphinScheduler,
  method: string,
  path: string,
  params: Record<string, string | number> = {},
  opts: { token?: string | null; json?: boolean } = {},
): Promise<RawAnswer> {
  const form = new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
  );
  const query = method === 'GET' || method === 'DELETE';
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers['token'] = opts.token ?? ds.token;
  let body: string | undefined;
  if (!query) {
    if (opts.json) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(params);
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = form.toString();
    }
  }
  const url = `${ds.url}${path}${query && form.size > 0 ? `?${form}` : ''}`;
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let code: number | null = null;
  let data: unknown = null;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    const parsed = JSON.parse(text) as { code: number; data: unknown };
    code = parsed.code;
    data = parsed.data;
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text,
    code,
    data,
  };
}

export const LINES = ['3.1', '3.2', '3.3'] as const;

export function defPath(line: string): string {
  return line === '3.3' ? 'workflow-definition' : 'process-definition';
}

export function wfParam(line: string): string {
  return line === '3.3' ? 'workflowDefinitionCode' : 'processDefinitionCode';
}

/** A SHELL task JSON and relation JSON for the given codes (A → B → …). */
export function chain(codes: readonly string[]): { tasks: string; relations: string } {
  const tasks = codes.map(
    (c, i) =>
      `{"code":${c},"version":0,"name":"t${i}","taskType":"SHELL","taskParams":{"rawScript":"echo ${i}"},"flag":"YES"}`,
  );
  const rel = codes.map(
    (c, i) =>
      `{"preTaskCode":${i === 0 ? 0 : codes[i - 1]},"postTaskCode":${c},"preTaskVersion":0,"postTaskVersion":0}`,
  );
  return { tasks: `[${tasks.join(',')}]`, relations: `[${rel.join(',')}]` };
}

/** Extracts a raw numeric field from JSON text without losing precision. */
export function rawField(text: string, key: string): string {
  const at = text.indexOf('"data":');
  const m = new RegExp(`"${key}":(-?\\d+)`).exec(at >= 0 ? text.slice(at) : text);
  if (!m?.[1]) throw new Error(`no ${key} in ${text.slice(0, 200)}`);
  return m[1];
}

let nextTaskId = 1;

/** A stored portal task with sensible defaults. */
export function makeTask(over: Partial<Task> & { name: string }): Task {
  const now = new Date('2025-01-01T00:00:00Z');
  return {
    id: nextTaskId++,
    description: null,
    kind: 'sql',
    sql: `insert into dw.${over.name} select * from ods.src`,
    taskType: 'batch',
    engine: 'dolphin',
    schedule: null,
    inputs: ['ods.src'],
    outputs: [`dw.${over.name}`],
    owner: null,
    datasource: 'warehouse',
    retries: 0,
    timeoutSeconds: 0,
    preStatements: [],
    postStatements: [],
    status: 'draft',
    engineRef: null,
    lastError: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

/** Instant sleep for trigger polling. */
export const noSleep = async (): Promise<void> => {};

export interface Receiver {
  readonly url: string;
  readonly bodies: string[];
  readonly contentTypes: string[];
  status: number;
  close(): Promise<void>;
}

/** A loopback HTTP endpoint that records alert callbacks and answers `status` (default 200). */
export async function startReceiver(): Promise<Receiver> {
  const bodies: string[] = [];
  const contentTypes: string[] = [];
  const state = { status: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      contentTypes.push(req.headers['content-type'] ?? '');
      res.statusCode = state.status;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    bodies,
    contentTypes,
    get status() {
      return state.status;
    },
    set status(v: number) {
      state.status = v;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
