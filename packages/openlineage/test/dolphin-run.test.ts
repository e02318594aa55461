import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDolphinEngine } from '@dataportal/adapters-dolphin';
import {
  createFakeDolphinScheduler,
  type FakeDolphinScheduler,
} from '@dataportal/adapters-dolphin/testing';
import { createSqlAnalyzer } from '@dataportal/lineage';
import { openStore, PortalService, type Store } from '@dataportal/sdk';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpTransport, OPENLINEAGE_SPEC_VERSION, OpenLineageEmitter } from '../src/index';
import { Receiver } from './support/receiver';
import { createSpecValidator } from './support/spec-validator';

const validator = createSpecValidator();

beforeAll(async () => {
  await createSqlAnalyzer();
}, 60_000);

let ds: FakeDolphinScheduler | undefined;
let store: Store | undefined;
let receiver: Receiver | undefined;
let dir: string | undefined;
afterEach(async () => {
  await ds?.close();
  await store?.close();
  await receiver?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  ds = store = receiver = dir = undefined;
});

describe('a run on the simulated DolphinScheduler', () => {
  it(`emits START and COMPLETE events valid against OpenLineage ${OPENLINEAGE_SPEC_VERSION} to a loopback receiver, through an outage`, async () => {
    ds = await createFakeDolphinScheduler({ version: '3.3' });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const engine = createDolphinEngine({
      baseUrl: ds.url,
      token: ds.token,
      project: 'dataportal',
      sleep: async () => undefined,
      retryBackoffMs: 1,
    });
    store = await openStore({ url: 'sqlite::memory:', migrate: true });
    const portal = new PortalService({ store, batchEngines: { dolphin: engine } });
    await portal.createDatasource({ name: 'warehouse', kind: 'doris', host: 'fe1', port: 9030 });
    await portal.registerTable({
      qualifiedName: 'ods.orders',
      layer: 'ODS',
      datasource: 'warehouse',
    });
    await portal.registerTable({
      qualifiedName: 'dwd.orders',
      layer: 'DWD',
      datasource: 'warehouse',
    });
    await portal.setFields('ods.orders', [
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'DECIMAL(10,2)' },
    ]);
    await portal.setFields('dwd.orders', [
      { name: 'id', type: 'BIGINT' },
      { name: 'cents', type: 'BIGINT' },
    ]);
    const created = await portal.createTask({
      name: 'dwd_orders',
      sql: `CREATE TEMPORARY TABLE tmp.o AS SELECT id, amount FROM ods.orders WHERE amount > 0;
INSERT INTO dwd.orders SELECT id, amount * 100 AS cents FROM tmp.o;`,
      taskType: 'batch',
      engine: 'dolphin',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
      datasource: 'warehouse',
    });
    await portal.publishTask(created.id);

    receiver = new Receiver();
    await receiver.start();
    dir = await mkdtemp(join(tmpdir(), 'ol-e2e-'));
    const transport = new HttpTransport({
      url: receiver.url,
      apiKey: 'secret-key',
      queueDir: join(dir, 'queue'),
      retries: 1,
      maxBackoffMs: 5,
      retryIntervalMs: 60_000,
    });
    const emitter = new OpenLineageEmitter({ portal, namespace: 'dataportal', transport });
    const pending: Array<Promise<unknown>> = [];
    portal.onExecutionChange((c) => {
      pending.push(emitter.executionChanged(c.execution, c.previousStatus));
    });

    // The catalog is down when the run starts: START waits in the on-disk queue.
    receiver.up = false;
    ds.setRunPlan({ outcome: 'SUCCESS', durationMs: 3_000 });
    const exec = await portal.triggerTask(created.id);
    expect(exec.status).toBe('SUBMITTED');
    await Promise.all(pending);
    expect(await transport.pending()).toBe(1);
    expect(receiver.received).toEqual([]);

    // It is back when the run ends: START and COMPLETE arrive, in order.
    receiver.up = true;
    await ds.settleRuns();
    const done = await portal.refreshExecution(exec.id);
    expect(done.status).toBe('SUCCESS');
    await vi.waitFor(async () => {
      await Promise.all(pending);
      expect(receiver?.received).toHaveLength(2);
    });
    await transport.close();
    const events = receiver.received.map((r) => r.body);
    expect(events.map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
    for (const e of events) expect(validator.validate(e)).toEqual([]);
    expect(receiver.received.every((r) => r.auth === 'Bearer secret-key')).toBe(true);
    expect(await transport.pending()).toBe(0);

    const [start, complete] = events;
    expect(start?.run.runId).toBe(complete?.run.runId);
    expect(complete?.job).toMatchObject({ namespace: 'dataportal', name: 'dwd_orders' });
    expect(complete?.job.facets?.['jobType']).toMatchObject({
      processingType: 'BATCH',
      integration: 'DOLPHINSCHEDULER',
    });
    expect(complete?.inputs?.map((d) => `${d.namespace}/${d.name}`)).toEqual([
      'doris://fe1:9030/ods.orders',
    ]);
    const lineage = complete?.outputs?.[0]?.facets?.['columnLineage'] as unknown as {
      fields: Record<string, { inputFields: Array<{ name: string; field: string }> }>;
    };
    // Column lineage composed through the temp table of the script.
    expect(lineage.fields['cents']?.inputFields.map((f) => `${f.name}.${f.field}`)).toContain(
      'ods.orders.amount',
    );

    // A backfill of the same run yields the same run id (deterministic UUIDv7).
    const replay = await emitter.eventsFor(done, ['START', 'COMPLETE']);
    expect(replay.map((e) => e.run.runId)).toEqual([start?.run.runId, start?.run.runId]);
  }, 60_000);
});
