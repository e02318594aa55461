import {
  type BatchEngine,
  createLocalEngine,
  type LocalEngine,
  openSqliteWarehouse,
  PortalService,
  type SqliteWarehouse,
  type StreamEngine,
} from '@dataportal/sdk';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type BuildAppOptions, buildApp } from '../../src/app';
import { DEMO_SCHEMAS, loadDemo } from '../../src/demo/load-demo';
import { openTestStore } from './dialects';

/** An app on a throwaway store with the local engine on an in-memory SQLite warehouse. */
export interface Harness {
  readonly app: FastifyInstance;
  readonly portal: PortalService;
  readonly engine: LocalEngine;
  readonly warehouse: SqliteWarehouse;
  /** `app.inject` returning status and parsed JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests assert response bodies by shape
  call(opts: InjectOptions): Promise<{ status: number; body: any; res: LightMyRequestResponse }>;
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
  /** Extra app options. */
  readonly app?: Partial<BuildAppOptions>;
  /** Store column pairs from task SQL on edges (as the runtime does). */
  readonly columnLineage?: boolean;
}

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
  const app = await buildApp({ portal, ...options.app });
  await app.ready();
  const p = portal;
  return {
    app,
    portal: p,
    engine,
    warehouse,
    async call(opts) {
      const res = await app.inject(opts);
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
