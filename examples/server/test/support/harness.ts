import {
  type BatchEngine,
  createLocalEngine,
  IdentityService,
  type LocalEngine,
  openSqliteWarehouse,
  PortalService,
  type Role,
  type SqliteWarehouse,
  type StreamEngine,
  SYSTEM_ACTOR,
} from '@dataportal/sdk';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type BuildAppOptions, buildApp } from '../../src/app';
import { DEMO_SCHEMAS, loadDemo } from '../../src/demo/load-demo';
import { openTestStore } from './dialects';

/** Who a harness request acts as: a role's test user, or nobody. */
export type As = Role | 'anonymous';

/** `app.inject` options plus who to act as (default: the harness's `as`, itself `admin`). */
export type CallOptions = InjectOptions & { readonly as?: As };

/**
 * An app on a throwaway store with the local engine on an in-memory SQLite warehouse. Auth is
 * on, as in production: the harness makes a user and a token per role (`test-admin`,
 * `test-developer`, `test-viewer`), and `call` sends the admin's token unless told
 * `as: 'viewer'`, `as: 'developer'` or `as: 'anonymous'` (no credentials), or given its own
 * `authorization`/`cookie` header.
 */
export interface Harness {
  readonly app: FastifyInstance;
  readonly portal: PortalService;
  readonly engine: LocalEngine;
  readonly warehouse: SqliteWarehouse;
  /** `app.inject` returning status and parsed JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests assert response bodies by shape
  call(opts: CallOptions): Promise<{ status: number; body: any; res: LightMyRequestResponse }>;
  /** The token of each role's test user. */
  readonly tokens: Readonly<Record<Role, string>>;
  /** The `authorization` header acting as a role (`{}` for anonymous). */
  headersFor(as: As): Record<string, string>;
  /** Users and tokens of the harness's store. */
  readonly identity: IdentityService;
  close(): Promise<void>;
}

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /** Load the demo warehouse (tables, tasks published to the local engine; no runs). */
  readonly demo?: boolean;
  /** A DolphinScheduler engine to configure. */
  readonly dolphin?: BatchEngine;
  /** A stream engine to configure. */
  readonly streamEngine?: StreamEngine;
  /** Extra app options (rate limits are off unless given here). */
  readonly app?: Partial<BuildAppOptions>;
  /** Who `call` acts as by default. Defaults to `admin`. */
  readonly as?: As;
  /** Store column pairs from task SQL on edges (as the runtime does). */
  readonly columnLineage?: boolean;
}

/** User names of the harness's test users, by role. */
export const TEST_USERS: Readonly<Record<Role, string>> = {
  viewer: 'test-viewer',
  developer: 'test-developer',
  admin: 'test-admin',
};

export async function createHarness(
  dialect: 'sqlite' | 'mysql',
  options: HarnessOptions = {},
): Promise<Harness> {
  const store = await openTestStore(dialect);
  const warehouse = await openSqliteWarehouse({ schemas: DEMO_SCHEMAS });
  let portal: PortalService | null = null;
  const engine = createLocalEngine({
    warehouse,
    onRun: async (taskId, run) => {
      await portal?.recordExecution({ taskId, engine: 'local', ...run });
    },
  });
  portal = new PortalService({
    store,
    batchEngines: { local: engine, ...(options.dolphin && { dolphin: options.dolphin }) },
    ...(options.streamEngine && { streamEngines: { dinky: options.streamEngine } }),
    ...(options.columnLineage && { columnLineage: true }),
  });
  if (options.demo) await loadDemo({ portal, warehouse, publish: true, runNow: false });
  const app = await buildApp({ portal, rateLimit: false, ...options.app });
  await app.ready();
  const identity = new IdentityService({ store });
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'developer', 'admin'] as const) {
    await identity.saveUser({ name: TEST_USERS[role], role }, SYSTEM_ACTOR);
    tokens[role] = (
      await identity.createToken({ userName: TEST_USERS[role], name: 'harness' }, SYSTEM_ACTOR)
    ).token;
  }
  const headersFor = (as: As): Record<string, string> =>
    as === 'anonymous' ? {} : { authorization: `Bearer ${tokens[as]}` };
  const p = portal;
  return {
    app,
    portal: p,
    engine,
    warehouse,
    tokens,
    identity,
    headersFor,
    async call(opts) {
      const { as, ...inject } = opts;
      const given = (inject.headers ?? {}) as Record<string, unknown>;
      const own = 'authorization' in given || 'cookie' in given;
      const res = await app.inject({
        ...inject,
        headers: { ...(own ? {} : headersFor(as ?? options.as ?? 'admin')), ...given },
      } as InjectOptions);
      let body: unknown = res.body;
      if ((res.headers['content-type'] ?? '').toString().includes('json') && res.body !== '') {
        body = res.json();
      }
      return { status: res.statusCode, body, res };
    },
    async close() {
      await app.close();
      await engine.close();
      await warehouse.close();
      await store.drop();
    },
  };
}
