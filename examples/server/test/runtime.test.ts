import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createFakeDolphinScheduler,
  type FakeDolphinScheduler,
} from '@dataportal/adapters-dolphin/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { createRuntime } from '../src/runtime';
import { openTestStore, storeDialects } from './support/dialects';

const dialects = await storeDialects();

// Each runtime loads the demo and the SQL parser (WASM): seconds on a busy machine.
describe('createRuntime', () => {
  let dir: string;
  let ds: FakeDolphinScheduler;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dataportal-runtime-'));
    ds = await createFakeDolphinScheduler({ version: '3.2' });
  });
  afterAll(async () => {
    await ds?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('wires the engines the environment names, and loads the demo once', async () => {
    const config = loadConfig(
      {
        DATAPORTAL_DATA_DIR: join(dir, 'a'),
        DOLPHIN_URL: ds.url,
        DOLPHIN_TOKEN: ds.token,
        DATAPORTAL_POLL_INTERVAL_SECONDS: '3600',
        DATAPORTAL_PUBLIC_URL: 'http://portal.example:8080',
        DATAPORTAL_CALLBACK_SECRET: 's3cret',
      },
      dir,
    );
    const first = await createRuntime(config, { runDemo: false });
    try {
      // DOLPHIN_URL replaces the simulated DolphinScheduler; Dinky, not configured, is simulated.
      expect(first.portal.engines.sort()).toEqual(['dinky', 'dolphin', 'local']);
      expect(first.engineModes).toEqual({
        local: 'embedded',
        dolphin: 'external',
        dinky: 'simulated',
      });
      expect(first.simulated?.dolphin).toBeNull();
      expect(first.demo).toMatchObject({ tables: 14, tasks: 9, published: 8, runs: 0 });
      await first.portal.batchEngine('dolphin')?.ping?.();
      // DolphinScheduler's HTTP alert plugin now posts finished runs to the portal.
      expect(ds.state.alertInstances).toHaveLength(1);
      expect(JSON.stringify(ds.state.alertInstances[0])).toContain(
        'http://portal.example:8080/api/v1/callbacks/dolphin',
      );
    } finally {
      await first.close();
    }
    const again = await createRuntime(config);
    try {
      expect(again.demo).toBeNull();
      const online = await again.portal.listTasks({ status: 'online', engine: 'local' });
      expect(online.items).toHaveLength(8);
    } finally {
      await again.close();
    }
  }, 60_000);

  it.each(dialects)(
    'opens the %s store from DATAPORTAL_DATABASE_URL',
    async (dialect) => {
      const store = await openTestStore(dialect);
      const url = dialect === 'mysql' ? store.url : `sqlite:${join(dir, 'b.db')}`;
      await store.close();
      try {
        const runtime = await createRuntime(
          loadConfig(
            {
              DATAPORTAL_DATA_DIR: join(dir, `c-${dialect}`),
              DATAPORTAL_DATABASE_URL: url,
              DATAPORTAL_LOCAL_ENGINE: 'false',
            },
            dir,
          ),
        );
        try {
          expect(runtime.store.dialect).toBe(dialect);
          expect(runtime.localEngine).toBeNull();
          // Without the local engine the demo is registered but not published.
          expect(runtime.demo).toMatchObject({ tables: 14, published: 0 });
        } finally {
          await runtime.close();
        }
      } finally {
        await store.drop();
      }
    },
    60_000,
  );
});
