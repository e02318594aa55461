import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createDinkyEngine } from '@dataportal/adapters-dinky';
import {
  createDolphinEngine,
  DolphinClient,
  type DolphinEngine,
  provisionDolphinAlerts,
} from '@dataportal/adapters-dolphin';
import { createSqlAnalyzer } from '@dataportal/lineage';
import type { OpenLineageEmitter } from '@dataportal/openlineage';
import {
  createLocalEngine,
  createRunPoller,
  createStreamPoller,
  type LocalEngine,
  type LocalWarehouse,
  openMysqlWarehouse,
  openSqliteWarehouse,
  openStore,
  PortalService,
  type Store,
  type StreamEngine,
  type Task,
} from '@dataportal/sdk';
import type { ServerConfig } from './config';
import { DEMO_SCHEMAS, type DemoProgress, type DemoResult, loadDemo } from './demo/load-demo';
import { createOpenLineageEmitter } from './openlineage';
import {
  type EngineMode,
  SIMULATED_TIME_ZONE,
  type SimulatedEngines,
  startSimulatedEngines,
} from './simulated-engines';

/** Where the runtime reports what it does. */
export interface RuntimeLogger {
  /** Informational message. */
  info(obj: Record<string, unknown>, msg: string): void;
  /** Something went wrong but the runtime carries on. */
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** The portal with everything it owns: store, engines, warehouse. */
export interface Runtime {
  /** The portal. */
  readonly portal: PortalService;
  /** The open store. */
  readonly store: Store;
  /** The local engine, when enabled. */
  readonly localEngine: LocalEngine | null;
  /** The local engine's warehouse, when enabled. */
  readonly warehouse: LocalWarehouse | null;
  /** What the first-start demo load did, or null when it did not run. */
  readonly demo: DemoResult | null;
  /** The DolphinScheduler engine, when `DOLPHIN_URL` is set. */
  readonly dolphin: DolphinEngine | null;
  /** The OpenLineage emitter, when `OPENLINEAGE_URL` or `OPENLINEAGE_TRANSPORT` is set. */
  readonly openlineage: OpenLineageEmitter | null;
  /** How each configured engine is provided: embedded (local), simulated, or external. */
  readonly engineModes: Readonly<Partial<Record<'local' | 'dolphin' | 'dinky', EngineMode>>>;
  /** The simulated engines, when any runs (tests drive them with `step()`). */
  readonly simulated: SimulatedEngines | null;
  /** Stops the local scheduler and engines, then closes the warehouse and the store. */
  close(): Promise<void>;
}

/** Options of {@link createRuntime}. */
export interface CreateRuntimeOptions {
  /** Logger (pino's, or anything with `info`/`warn`). */
  readonly logger?: RuntimeLogger;
  /** Load the demo into an empty store (defaults to `config.demo`). */
  readonly demo?: boolean;
  /** Run the demo tasks once after loading them. Defaults to true. */
  readonly runDemo?: boolean;
  /** Receives demo-load progress. */
  readonly onDemoProgress?: (p: DemoProgress) => void;
}

/**
 * Creates the folders the configuration writes to: the SQLite store's folder and the local
 * warehouse's data folder.
 *
 * @param config - the server configuration
 * @example
 * ```ts
 * ensureDataDirs(loadConfig());
 * ```
 */
export function ensureDataDirs(config: ServerConfig): void {
  const sqlite = /^sqlite:(.+)$/i.exec(config.databaseUrl)?.[1];
  if (sqlite && sqlite !== ':memory:') mkdirSync(dirname(sqlite), { recursive: true });
  if (config.localEngine && !config.warehouseUrl) mkdirSync(config.dataDir, { recursive: true });
}

/**
 * Points a DolphinScheduler HTTP alert plugin instance (and an alert group) at the portal's
 * `/api/v1/callbacks/dolphin`, with the callback secret as a header, so finished runs come back
 * by callback. Needs `DATAPORTAL_PUBLIC_URL` (the address DolphinScheduler can reach); without
 * it, or when provisioning fails, runs come back through the poller only.
 *
 * @param config - the server configuration
 * @param log - where to report
 * @returns the alert group id, or null
 */
async function provisionAlerts(config: ServerConfig, log: RuntimeLogger): Promise<number | null> {
  const d = config.dolphin;
  if (!d || !config.publicUrl) return null;
  try {
    const client = new DolphinClient({ baseUrl: d.url, token: d.token });
    const p = await provisionDolphinAlerts(client, {
      callbackUrl: `${config.publicUrl.replace(/\/+$/, '')}/api/v1/callbacks/dolphin`,
      ...(config.callbackSecret && { callbackSecret: config.callbackSecret }),
    });
    log.info({ alertGroupId: p.alertGroupId }, 'DolphinScheduler alerts point at the portal');
    return p.alertGroupId;
  } catch (err) {
    log.warn({ err }, 'could not provision DolphinScheduler alerts; runs come back by polling');
    return null;
  }
}

const silent: RuntimeLogger = { info: () => undefined, warn: () => undefined };

async function allTasks(portal: PortalService, engine: Task['engine']): Promise<Task[]> {
  const out: Task[] = [];
  let cursor: string | undefined;
  do {
    const page = await portal.listTasks({ engine, limit: 500, ...(cursor && { cursor }) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * Opens the store, starts the configured engines (local engine on its warehouse,
 * DolphinScheduler, Dinky; simulated ones where none is configured and the configuration asks
 * for them), re-arms the local engine's published tasks, and on first start
 * loads the demo warehouse.
 *
 * @param config - the server configuration
 * @param options - logger and demo switches
 * @returns the runtime; close it on shutdown
 * @example
 * ```ts
 * const runtime = await createRuntime(loadConfig());
 * const app = await buildApp({ portal: runtime.portal, onClose: () => runtime.close() });
 * ```
 */
export async function createRuntime(
  config: ServerConfig,
  options: CreateRuntimeOptions = {},
): Promise<Runtime> {
  const log = options.logger ?? silent;
  ensureDataDirs(config);
  const store = await openStore({ url: config.databaseUrl, migrate: true });
  let warehouse: LocalWarehouse | null = null;
  let localEngine: LocalEngine | null = null;
  let dolphin: DolphinEngine | null = null;
  let dinky: StreamEngine | null = null;
  let simulated: SimulatedEngines | null = null;
  // The engine reports runs to the portal, which needs the engine: tie them with a late binding.
  let portalRef: PortalService | null = null;
  try {
    if (config.localEngine) {
      warehouse = config.warehouseUrl
        ? await openMysqlWarehouse(config.warehouseUrl)
        : await openSqliteWarehouse({
            dir: join(config.dataDir, 'warehouse'),
            schemas: DEMO_SCHEMAS,
          });
      localEngine = createLocalEngine({
        warehouse,
        ...(config.timezone && { timezone: config.timezone }),
        onRun: async (taskId, run) => {
          await portalRef?.recordExecution({ taskId, engine: 'local', ...run });
        },
      });
    }
    if (config.simulatedEngines && (!config.dolphin || !config.dinky)) {
      simulated = await startSimulatedEngines({
        dolphin: !config.dolphin,
        dinky: !config.dinky,
        stepMs: config.simulationStepSeconds * 1000,
      });
      log.info(
        {
          ...(simulated.dolphin && { dolphin: simulated.dolphin.url }),
          ...(simulated.dinky && { dinky: simulated.dinky.url }),
        },
        'simulated engines: set DOLPHIN_URL / DINKY_URL to use real ones',
      );
    }
    if (simulated?.dolphin) {
      dolphin = createDolphinEngine({
        baseUrl: simulated.dolphin.url,
        token: simulated.dolphin.token,
        project: 'dataportal',
        timeZone: config.timezone ?? SIMULATED_TIME_ZONE,
        serverTimeZone: SIMULATED_TIME_ZONE,
        defaultDatasource: 'warehouse',
      });
    }
    if (simulated?.dinky) {
      dinky = createDinkyEngine({
        url: simulated.dinky.url,
        timeZone: SIMULATED_TIME_ZONE,
        login: simulated.dinkyLogin,
        // The engine reads the simulated server's clock, as it reads a real Dinky's.
        now: simulated.dinky.now,
      });
    }
    if (config.dolphin) {
      const d = config.dolphin;
      const alertGroupId = await provisionAlerts(config, log);
      dolphin = createDolphinEngine({
        ...(alertGroupId !== null && { alertGroupId }),
        baseUrl: d.url,
        token: d.token,
        project: d.project,
        timeZone: d.timezone,
        serverTimeZone: d.serverTimezone,
        ...(d.datasource && { defaultDatasource: d.datasource }),
        ...(d.tenant && { tenantCode: d.tenant }),
        ...(d.workerGroup && { workerGroup: d.workerGroup }),
      });
    }
    if (config.dinky) {
      const k = config.dinky;
      dinky = createDinkyEngine({
        url: k.url,
        timeZone: k.timezone,
        ...(k.token && { token: k.token }),
        ...(k.login && { login: k.login }),
      });
    }
  } catch (err) {
    await simulated?.close();
    await localEngine?.close();
    await warehouse?.close?.();
    await store.close();
    throw err;
  }
  // Task writes read column lineage from the SQL: load the parser (WASM) now rather than on the
  // first request. Without it tasks are still stored, only without column pairs.
  await createSqlAnalyzer().catch((err: unknown) =>
    log.warn({ err }, 'SQL parser unavailable; edges are stored without column pairs'),
  );
  const portal = new PortalService({
    store,
    // Declared edges carry the column pairs read from each task's SQL (`?level=column`).
    columnLineage: true,
    batchEngines: {
      ...(localEngine && { local: localEngine }),
      ...(dolphin && { dolphin }),
    },
    ...(dinky && { streamEngines: { dinky } }),
  });
  portalRef = portal;

  // OpenLineage out: every stored change of a run becomes its events (START, COMPLETE, …). The
  // emitter never throws; pending emissions are awaited on close so none is cut off.
  const openlineage = config.openlineage
    ? createOpenLineageEmitter(config.openlineage, portal, log)
    : null;
  const emitting = new Set<Promise<unknown>>();
  if (openlineage) {
    portal.onExecutionChange(({ execution, previousStatus }) => {
      const p = openlineage.executionChanged(execution, previousStatus);
      emitting.add(p);
      void p.finally(() => emitting.delete(p));
    });
  }

  // Results come back by callback and by polling, so a lost callback never loses a run: the
  // pollers reconcile DolphinScheduler runs and Dinky jobs (the local engine reports itself).
  const pollInterval = config.pollIntervalSeconds * 1000;
  const runPoller = dolphin
    ? createRunPoller({
        portal,
        engines: { dolphin },
        intervalMs: pollInterval,
        onError: (err, ctx) => log.warn({ err, ...ctx }, 'run poller: reading the engine failed'),
      })
    : null;
  const streamPoller = dinky
    ? createStreamPoller({
        portal,
        engine: dinky,
        intervalMs: pollInterval,
        onError: (err, ctx) => log.warn({ err, ...ctx }, 'stream poller: reading Dinky failed'),
      })
    : null;

  if (localEngine) {
    // The local engine keeps its units in memory: publish again what the store says is published.
    let restored = 0;
    for (const t of await allTasks(portal, 'local')) {
      if (!t.engineRef || t.taskType !== 'batch' || t.status === 'draft') continue;
      try {
        await portal.publishTask(t.id, { online: t.status !== 'offline' });
        restored++;
      } catch (err) {
        log.warn({ task: t.name, err }, 'could not restore a published task on the local engine');
      }
    }
    if (restored > 0) log.info({ tasks: restored }, 'local engine: restored published tasks');
  }

  let demo: DemoResult | null = null;
  if (options.demo ?? config.demo) {
    const empty =
      (await portal.listTables({ limit: 1 })).items.length === 0 &&
      (await portal.listTasks({ limit: 1 })).items.length === 0;
    if (empty) {
      demo = await loadDemo({
        portal,
        warehouse: config.warehouseUrl ? null : warehouse,
        publish: true,
        runNow: options.runDemo ?? true,
        ...(options.onDemoProgress && { onProgress: options.onDemoProgress }),
      });
      log.info({ ...demo }, 'loaded the demo warehouse');
    }
  }

  runPoller?.start();
  streamPoller?.start();
  let closed = false;
  const mode = (external: boolean): EngineMode => (external ? 'external' : 'simulated');
  const engineModes = {
    ...(localEngine && { local: 'embedded' as const }),
    ...(dolphin && { dolphin: mode(config.dolphin !== null) }),
    ...(dinky && { dinky: mode(config.dinky !== null) }),
  };
  return {
    portal,
    store,
    localEngine,
    warehouse,
    demo,
    dolphin,
    openlineage,
    engineModes,
    simulated,
    async close() {
      if (closed) return;
      closed = true;
      await runPoller?.stop();
      await streamPoller?.stop();
      await localEngine?.close();
      await Promise.allSettled([...emitting]);
      await openlineage?.transport.close();
      await dolphin?.close?.();
      await dinky?.close?.();
      await simulated?.close();
      await warehouse?.close?.();
      await store.close();
    },
  };
}
