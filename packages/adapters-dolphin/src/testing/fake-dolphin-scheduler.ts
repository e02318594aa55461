import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringifyJson } from '../internal/json';
import { type DolphinNames, type DolphinVersionLine, dolphinNames } from '../version';
import {
  ApiError,
  HTML,
  MapError,
  NOT_FOUND,
  type Params,
  RawReply,
  type Route,
} from './fake/core';
import { FakeExecutors } from './fake/executors';
import type { FakeDolphinState, FakeRunPlan } from './fake-state';

/**
 * Options of {@link createFakeDolphinScheduler}.
 *
 * @example
 * ```ts
 * const ds = await createFakeDolphinScheduler({ version: '3.1', largeCodes: true } satisfies FakeDolphinSchedulerOptions);
 * ```
 */
export interface FakeDolphinSchedulerOptions {
  /** Version line to emulate (default `3.2`). */
  readonly version?: DolphinVersionLine;
  /** The access token the fake accepts (default `fake-token`). */
  readonly token?: string;
  /** State to start from (copied), e.g. another fake's {@link FakeDolphinScheduler.snapshot}. */
  readonly state?: FakeDolphinState;
  /** Generate codes above 2^53 to prove clients carry them exactly (default false). */
  readonly largeCodes?: boolean;
  /** Zone of dates in responses (Jackson zone; default `UTC`). */
  readonly timeZone?: string;
  /** How many `/trigger` queries answer empty after a 3.2 start (default 1). */
  readonly triggerLag?: number;
  /**
   * Whether finished workflows send alerts (default true). `false` emulates 3.3.0-alpha, which
   * lost workflow finish alerts (apache/dolphinscheduler#17308).
   */
  readonly finishAlerts?: boolean;
}

/**
 * A request the fake received (for call counting and assertions).
 *
 * @example
 * ```ts
 * const starts: FakeRequestRecord[] = ds.requests.filter((r) => r.path.includes('/executors/'));
 * ```
 */
export interface FakeRequestRecord {
  /** HTTP method. */
  readonly method: string;
  /** Path below the context path, e.g. `/projects`. */
  readonly path: string;
  /** Query and form parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** HTTP status answered. */
  readonly status: number;
  /** Envelope code answered (null for HTML, 401 or injected faults). */
  readonly code: number | null;
}

/**
 * An HTTP alert the fake's alert server sent.
 *
 * @example
 * ```ts
 * const delivered: FakeAlertDelivery | undefined = ds.alerts[0];
 * ```
 */
export interface FakeAlertDelivery {
  /** Target URL (after `${msg}` substitution on 3.3). */
  readonly url: string;
  /** HTTP method. */
  readonly method: string;
  /** Content-Type header sent. */
  readonly contentType: string;
  /** Body sent (empty for GET). */
  readonly body: string;
  /** Alert title (not sent by the HTTP plugin; kept for assertions). */
  readonly title: string;
  /** Whether the plugin counted it as delivered. */
  readonly ok: boolean;
}

/**
 * A fault injected into the next matching requests.
 *
 * @example
 * ```ts
 * ds.injectFault({ method: 'POST', path: '/release', kind: 'reset' } satisfies FakeFault);
 * ```
 */
export interface FakeFault {
  /** Only requests with this method (default any). */
  readonly method?: string;
  /** Only requests whose path contains this text (default any). */
  readonly path?: string;
  /** `http500` answers HTTP 500, `reset` destroys the socket, `hang` never answers, `html` answers the UI page. */
  readonly kind: 'http500' | 'reset' | 'hang' | 'html';
  /** How many matching requests fail (default 1). */
  readonly times?: number;
}

/**
 * Decides the plan of each new run.
 *
 * @example
 * ```ts
 * const planner: FakeRunPlanner = ({ workflowName }) => ({ outcome: workflowName.startsWith('bad') ? 'FAILURE' : 'SUCCESS', durationMs: 1000 });
 * ds.setRunPlan(planner);
 * ```
 */
export type FakeRunPlanner = (run: {
  readonly workflowName: string;
  readonly instanceId: number;
}) => FakeRunPlan;

/**
 * A running fake DolphinScheduler.
 *
 * @example
 * ```ts
 * const ds: FakeDolphinScheduler = await createFakeDolphinScheduler({ version: '3.3' });
 * await ds.close();
 * ```
 */
export interface FakeDolphinScheduler {
  /** Base URL including the context path, e.g. `http://127.0.0.1:41234/dolphinscheduler`. */
  readonly url: string;
  /** Token to send in the `token` header. */
  readonly token: string;
  /** The line currently emulated. */
  readonly version: DolphinVersionLine;
  /** Every request received, in order. */
  readonly requests: readonly FakeRequestRecord[];
  /** Every HTTP alert sent, in order. */
  readonly alerts: readonly FakeAlertDelivery[];
  /** Switches the emulated line in place (an upgrade keeping all metadata and runs). */
  setVersion(line: DolphinVersionLine): void;
  /** A deep copy of the state, to start another fake from. */
  snapshot(): FakeDolphinState;
  /** Registers a data source; returns its id. */
  addDatasource(input: {
    readonly name: string;
    readonly type: string;
    readonly note?: string;
  }): number;
  /** Registers a tenant (3.1 definitions and 3.2+ runs may name it). */
  addTenant(code: string): void;
  /** Sets what new runs do (a fixed plan or a function per run). Default: success in 1 s. */
  setRunPlan(plan: FakeRunPlan | FakeRunPlanner): void;
  /** Moves every unfinished run one step (submitted → running → final) and awaits its alerts. */
  advanceRuns(): Promise<void>;
  /** Advances until every run is final. */
  settleRuns(): Promise<void>;
  /** Starts a run as the scheduler would (command type SCHEDULER); returns the instance id. */
  fireSchedule(workflowCode: string): number;
  /** Fails the next matching requests. */
  injectFault(fault: FakeFault): void;
  /** Clears the request log. */
  clearRequests(): void;
  /** Read access to the state (workflows, schedules, instances) for assertions. */
  readonly state: FakeDolphinState;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts an in-memory DolphinScheduler on a random loopback port that enforces the REST rules of
 * the chosen version line (paths, parameter names, form encoding, `token`, the envelope and its
 * HTTP quirks, release-state rules, schedules, relations, runs, logs and HTTP alerts).
 *
 * @param options - version line, token, initial state, code size, time zone
 * @returns the running fake; `close()` it when done
 * @example
 * ```ts
 * const ds = await createFakeDolphinScheduler({ version: '3.3' });
 * ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
 * const engine = createDolphinEngine({ baseUrl: ds.url, token: ds.token, project: 'portal' });
 * // … publish, trigger, then:
 * await ds.settleRuns();
 * await ds.close();
 * ```
 */
export async function createFakeDolphinScheduler(
  options: FakeDolphinSchedulerOptions = {},
): Promise<FakeDolphinScheduler> {
  const fake = new FakeServer(options);
  await fake.listen();
  return fake;
}

class FakeServer extends FakeExecutors implements FakeDolphinScheduler {
  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  readonly #hanging = new Set<ServerResponse>();

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/dolphinscheduler`;
  }

  async close(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #routes(n: DolphinNames): Route[] {
    return [
      ...this.projectsRoutes(n),
      ...this.workflowsRoutes(n),
      ...this.schedulesRoutes(n),
      ...this.executorsRoutes(n),
      ...this.instancesRoutes(n),
      ...this.logsRoutes(n),
      ...this.alertsRoutes(n),
    ];
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const params: Params = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
    }
    const method = req.method ?? 'GET';
    const prefix = '/dolphinscheduler';
    const path = url.pathname.startsWith(prefix)
      ? url.pathname.slice(prefix.length) || '/'
      : url.pathname;
    const record = (status: number, code: number | null) =>
      this.requests.push({ method, path, params, status, code });

    const fault = this.faults.find(
      (f) =>
        f.left > 0 &&
        (!f.fault.method || f.fault.method === method) &&
        (!f.fault.path || path.includes(f.fault.path)),
    );
    if (fault) {
      fault.left -= 1;
      this.faults = this.faults.filter((f) => f.left > 0);
      record(fault.fault.kind === 'http500' ? 500 : 0, null);
      if (fault.fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.fault.kind === 'hang') {
        this.#hanging.add(res);
        return;
      }
      if (fault.fault.kind === 'html') {
        res.writeHead(200, { 'content-type': 'text/html;charset=UTF-8' }).end(HTML);
        return;
      }
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"timestamp":"now","status":500,"error":"Internal Server Error"}');
      return;
    }

    const n = dolphinNames(this.version);
    const routes = this.#routes(n);
    let route: Route | undefined;
    let m: RegExpExecArray | null = null;
    for (const candidate of routes) {
      if (candidate.method !== method) continue;
      m = candidate.pattern.exec(path);
      if (m) {
        route = candidate;
        break;
      }
    }
    if (!route || !m) {
      if (n.line === '3.1') {
        // 3.1.1 checks the token first (401, empty body); a valid token then gets Jetty's 404
        // page in a build without the UI bundle (measured, reference §12 and §11.4).
        const status = req.headers['token'] === this.token ? 404 : 401;
        record(status, null);
        if (status === 401) res.writeHead(401).end();
        else res.writeHead(404, { 'content-type': 'text/html;charset=iso-8859-1' }).end(NOT_FOUND);
        return;
      }
      record(200, null);
      res.writeHead(200, { 'content-type': 'text/html;charset=UTF-8' }).end(HTML);
      return;
    }
    if (req.headers['token'] !== this.token) {
      record(401, null);
      res.writeHead(401).end();
      return;
    }
    let status = route.created ? 201 : 200;
    let code = 0;
    let msg = 'success';
    let data: unknown = null;
    const missing = (route.required ?? []).filter((k) => params[k] === undefined);
    try {
      if (missing.length > 0) {
        throw new ApiError(
          route.generic,
          `Required request parameter '${missing[0]}' is not present`,
        );
      }
      const result = route.handle({ m, p: params, n });
      if (result instanceof RawReply) {
        record(result.status, null);
        res.writeHead(result.status, { 'content-type': result.contentType }).end(result.body);
        return;
      }
      if (result instanceof MapError) {
        code = result.code;
        msg = result.message;
      } else {
        data = result;
      }
    } catch (err) {
      status = 200;
      if (err instanceof ApiError) {
        code = err.code;
        msg = err.message;
      } else {
        code = route.generic;
        msg = `${String(err)}`;
      }
      data = null;
    }
    record(status, code);
    const body = stringifyJson({ code, msg, data, success: code === 0, failed: code !== 0 });
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  }
}
