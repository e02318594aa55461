import { afterAll, beforeAll, beforeEach } from 'vitest';
import { isSdkError, PortalService, type SdkError, type TaskInput } from '../../src/index.js';
import type { TestStore } from '../../src/testing/index.js';
import { openTestStore } from './dialects.js';

/** Awaits `p` and returns the SdkError it rejects with (fails the test on success). */
export async function caught(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    if (isSdkError(err)) return err;
    throw err;
  }
  throw new Error('expected an SdkError, got success');
}

/** A local batch task reading `inputs` and writing `outputs`. */
export function task(
  name: string,
  inputs: string[],
  outputs: string[],
  extra: Partial<TaskInput> = {},
): TaskInput {
  return {
    name,
    taskType: 'batch',
    engine: 'local',
    sql: `INSERT INTO ${outputs[0] ?? 'x.y'} SELECT * FROM ${inputs[0] ?? 'x.z'}`,
    inputs,
    outputs,
    ...extra,
  };
}

/** What {@link portalSuite} gives a describe block: a fresh portal per test over one store. */
export interface PortalSuite {
  readonly store: TestStore;
  readonly portal: PortalService;
  /** Registers tables named `layer.table` with the layer taken from the database name. */
  tables(...names: string[]): Promise<void>;
}

/**
 * Opens a throwaway store of `dialect` for the enclosing describe block, empties it before each
 * test and builds a new portal with a ticking clock. Call inside `describe`.
 */
export function portalSuite(dialect: 'sqlite' | 'mysql'): PortalSuite {
  let store: TestStore | undefined;
  let portal: PortalService | undefined;
  let clock = 1_700_000_000_000;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store?.drop();
  });
  beforeEach(async () => {
    const s = store as TestStore;
    for (const t of [
      'task_execution_log',
      'data_lineage',
      'data_lineage_history',
      'stream_sample',
      'data_task',
      'data_field',
      'data_table',
    ] as const) {
      await s.db.deleteFrom(t).execute();
    }
    portal = new PortalService({ store: s, now: () => clock++ });
  });
  const suite: PortalSuite = {
    get store() {
      return store as TestStore;
    },
    get portal() {
      return portal as PortalService;
    },
    async tables(...names) {
      for (const n of names) {
        const layer = n.split('.')[0]?.toUpperCase() as 'ODS';
        await suite.portal.registerTable({ qualifiedName: n, layer });
      }
    },
  };
  return suite;
}
