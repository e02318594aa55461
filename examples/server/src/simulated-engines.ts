import { createFakeDinky, type FakeDinky } from '@dataportal/adapters-dinky/testing';
import {
  createFakeDolphinScheduler,
  type FakeDolphinScheduler,
} from '@dataportal/adapters-dolphin/testing';

// On the embedded default the portal has no DolphinScheduler and no Dinky behind `engine:
// "dolphin"` / `"dinky"`. To let a newcomer try the design's publish, callback and stream flows
// on a fresh `npm start`, the runtime starts the adapters' fakes (the same in-memory servers the
// adapters' contract tests run against, so they refuse what the real engines refuse) in-process
// on loopback and points the real adapters at them. DOLPHIN_URL / DINKY_URL replace them.

/** How an engine of the running portal is provided. */
export type EngineMode = 'embedded' | 'simulated' | 'external';

/** Options of {@link startSimulatedEngines}. */
export interface SimulatedEnginesOptions {
  /** Start a simulated DolphinScheduler. */
  readonly dolphin: boolean;
  /** Start a simulated Dinky. */
  readonly dinky: boolean;
  /**
   * Real milliseconds between two steps of the simulation: each step moves every unfinished
   * DolphinScheduler run one state on (submitted → running → finished); running Dinky jobs get
   * their records every second. 0 stops both timers: runs stay where they are until a callback
   * or {@link SimulatedEngines.step} moves them.
   */
  readonly stepMs: number;
}

/** The simulated engines, running on loopback. */
export interface SimulatedEngines {
  /** The simulated DolphinScheduler, or null. */
  readonly dolphin: FakeDolphinScheduler | null;
  /** The simulated Dinky, or null. */
  readonly dinky: FakeDinky | null;
  /** Login the simulated Dinky accepts. */
  readonly dinkyLogin: { readonly username: string; readonly password: string };
  /** Moves the simulation one step (what the timer does every `stepMs`). */
  step(): Promise<void>;
  /** Stops the timer and both servers. */
  close(): Promise<void>;
}

/** Zone both simulated engines print their wall clock in. */
export const SIMULATED_TIME_ZONE = 'UTC';

/**
 * Source records per second a simulated Flink job reports (`numRecordsOutPerSecond` of its
 * source vertex, per subtask).
 */
export const SIMULATED_RECORDS_PER_SECOND = 12_500;

/** How long a simulated DolphinScheduler run takes from its start to its end (4 minutes). */
export const SIMULATED_RUN_MS = 4 * 60_000;

/** How long a simulated Flink job takes to come up after its submit. */
export const SIMULATED_JOB_START_MS = 3000;

const DINKY_LOGIN = { username: 'admin', password: 'admin' } as const;

/**
 * Starts the simulated DolphinScheduler (3.2 line) and Dinky (1.1) on 127.0.0.1 with random
 * ports. DolphinScheduler runs succeed after {@link SIMULATED_RUN_MS} of engine time and log
 * what they ran; Dinky jobs report {@link SIMULATED_RECORDS_PER_SECOND}.
 *
 * @param options - which engines, and the step of the simulation
 * @returns the running engines; close them on shutdown
 * @example
 * ```ts
 * const sim = await startSimulatedEngines({ dolphin: true, dinky: true, stepMs: 20_000 });
 * console.log(sim.dolphin?.url, sim.dinky?.url);
 * await sim.close();
 * ```
 */
export async function startSimulatedEngines(
  options: SimulatedEnginesOptions,
): Promise<SimulatedEngines> {
  let dolphin: FakeDolphinScheduler | null = null;
  let dinky: FakeDinky | null = null;
  try {
    if (options.dolphin) {
      dolphin = await createFakeDolphinScheduler({ version: '3.2', timeZone: SIMULATED_TIME_ZONE });
      dolphin.addDatasource({ name: 'warehouse', type: 'MYSQL' });
      dolphin.setRunPlan(({ workflowName }) => ({
        outcome: 'SUCCESS',
        durationMs: SIMULATED_RUN_MS,
        log: [`simulated DolphinScheduler: ran ${workflowName}`],
      }));
    }
    if (options.dinky) {
      dinky = await createFakeDinky({
        version: '1.1.0',
        timeZone: SIMULATED_TIME_ZONE,
        language: 'en',
        users: [DINKY_LOGIN],
      });
    }
  } catch (err) {
    await dolphin?.close();
    throw err;
  }
  const d = dolphin;
  const k = dinky;
  let stepping: Promise<void> | null = null;
  // Dinky jobs are fed every second, so a job's throughput shows as soon as it runs.
  const feedJobs = (ms: number, startAll: boolean): void => {
    if (!k) return;
    for (const inst of k.instances()) {
      // A submitted job comes up (INITIALIZING → RUNNING) within Dinky's ≈5 s refresh.
      if (
        inst.status === 'INITIALIZING' &&
        (startAll || k.now() - inst.startTime >= SIMULATED_JOB_START_MS)
      ) {
        k.setJobState(inst.id, 'RUNNING');
      }
      if (inst.status !== 'RUNNING') continue;
      if (inst.rate === null) k.setRecordRate(inst.id, SIMULATED_RECORDS_PER_SECOND);
      k.addRecords(inst.id, Math.round((SIMULATED_RECORDS_PER_SECOND * ms) / 1000));
    }
  };
  const step = async (): Promise<void> => {
    if (stepping) return stepping;
    stepping = (async () => {
      await d?.advanceRuns();
      // Dinky's own refresh loop (≈5 s) would get there too; a step applies it at once.
      k?.refreshJobs();
      feedJobs(0, true);
    })();
    try {
      await stepping;
    } finally {
      stepping = null;
    }
  };
  const timers = [
    options.stepMs > 0 && d
      ? setInterval(() => {
          step().catch(() => undefined);
        }, options.stepMs)
      : null,
    options.stepMs > 0 && k ? setInterval(() => feedJobs(1000, false), 1000) : null,
  ];
  for (const t of timers) t?.unref();
  return {
    dolphin: d,
    dinky: k,
    dinkyLogin: DINKY_LOGIN,
    step,
    async close() {
      for (const t of timers) if (t) clearInterval(t);
      await stepping?.catch(() => undefined);
      await d?.close();
      await k?.close();
    },
  };
}
