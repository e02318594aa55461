import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PortalService } from '../src/index.js';
import type { TestStore } from '../src/testing/index.js';
import { storeDialects } from './support/dialects.js';
import { caught, portalSuite, task } from './support/portal-suite.js';

const dialects = await storeDialects();

describe.each(dialects)('runs (executions, stats) on %s', (dialect) => {
  const suite = portalSuite(dialect);
  const { tables } = suite;
  let store: TestStore;
  let portal: PortalService;
  beforeEach(() => {
    ({ store, portal } = suite);
  });

  describe('executions', () => {
    let taskId: number;
    beforeEach(async () => {
      await tables('ods.a', 'dwd.b');
      taskId = (await portal.createTask(task('run_me', ['ods.a'], ['dwd.b']))).id;
    });

    it('is idempotent and forward-only', async () => {
      const base = { taskId, engine: 'local' as const, externalRunId: 'r1' };
      const a = await portal.recordExecution({
        ...base,
        status: 'RUNNING',
        startTime: '2026-01-01T00:00:00Z',
      });
      expect(a.changed).toBe(true);
      const b = await portal.recordExecution({
        ...base,
        status: 'SUCCESS',
        endTime: '2026-01-01T00:01:30Z',
        rowsOutput: 10,
      });
      expect(b.execution.status).toBe('SUCCESS');
      expect(b.execution.durationMs).toBe(90_000);
      const late = await portal.recordExecution({ ...base, status: 'RUNNING' });
      expect(late.changed).toBe(false);
      expect(late.execution.status).toBe('SUCCESS');
      const dup = await portal.recordExecution({ ...base, status: 'FAILED' });
      expect(dup.execution.status).toBe('SUCCESS');
      expect((await portal.listExecutions({ taskId })).items).toHaveLength(1);
    });

    it('converges to one row with the final status whatever the order', async () => {
      const reports: {
        status: 'SUBMITTED' | 'RUNNING' | 'FAILED';
        startTime?: string;
        endTime?: string;
        message?: string;
      }[] = [
        { status: 'SUBMITTED' as const },
        { status: 'RUNNING' as const, startTime: '2026-01-01T00:00:00Z' },
        { status: 'FAILED' as const, endTime: '2026-01-01T00:00:05Z', message: 'boom' },
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray([0, 1, 2, 2, 1, 0], { minLength: 6, maxLength: 6 }),
          async (order) => {
            await store.db.deleteFrom('task_execution_log').execute();
            for (const i of order) {
              await portal.recordExecution({
                taskId,
                engine: 'local',
                externalRunId: 'x',
                ...(reports[i] as (typeof reports)[number]),
              });
            }
            const rows = (await portal.listExecutions({ taskId })).items;
            expect(rows).toHaveLength(1);
            expect(rows[0]?.status).toBe('FAILED');
            expect(rows[0]?.message).toBe('boom');
            expect(rows[0]?.durationMs).toBe(5000);
          },
        ),
        { numRuns: dialect === 'mysql' ? 5 : 20 },
      );
    });

    it("takes the engine's real start over the submit time", async () => {
      const base = { taskId, engine: 'local' as const, externalRunId: 'q' };
      await portal.recordExecution({
        ...base,
        status: 'SUBMITTED',
        startTime: '2026-01-01T00:00:00Z',
      });
      await portal.recordExecution({
        ...base,
        status: 'RUNNING',
        startTime: '2026-01-01T00:10:00Z',
      });
      const done = await portal.recordExecution({
        ...base,
        status: 'SUCCESS',
        startTime: '2026-01-01T00:20:00Z',
        endTime: '2026-01-01T00:11:00Z',
      });
      expect(done.execution.startTime?.toISOString()).toBe('2026-01-01T00:10:00.000Z');
      expect(done.execution.durationMs).toBe(60_000);
    });

    it('survives concurrent duplicate reports', async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          portal.recordExecution({
            taskId,
            engine: 'local',
            externalRunId: 'same',
            status: i % 2 ? 'SUCCESS' : 'RUNNING',
          }),
        ),
      );
      const rows = (await portal.listExecutions({ taskId })).items;
      expect(rows).toHaveLength(1);
      expect(rows[0]?.status).toBe('SUCCESS');
    });

    it('rejects unknown tasks and bad statuses', async () => {
      expect(
        (
          await caught(
            portal.recordExecution({
              taskId: 999999,
              engine: 'local',
              externalRunId: 'a',
              status: 'SUCCESS',
            }),
          )
        ).code,
      ).toBe('NOT_FOUND');
      const err = await caught(
        portal.recordExecution({
          taskId,
          engine: 'local',
          externalRunId: 'a',
          status: 'DONE' as 'SUCCESS',
        }),
      );
      expect(err.issues[0]?.path).toEqual(['status']);
    });

    it('filters, paginates and computes statistics', async () => {
      const t0 = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < 10; i++) {
        await portal.recordExecution({
          taskId,
          engine: 'local',
          externalRunId: `run${i}`,
          status: i === 3 ? 'FAILED' : 'SUCCESS',
          startTime: new Date(t0 + i * 60_000),
          endTime: new Date(t0 + i * 60_000 + (i + 1) * 1000),
          rowsOutput: i === 3 ? null : 100,
        });
      }
      const failed = await portal.listExecutions({ taskId, status: 'FAILED' });
      expect(failed.items.map((e) => e.externalRunId)).toEqual(['run3']);
      const p1 = await portal.listExecutions({ taskId, limit: 4 });
      expect(p1.items.map((e) => e.externalRunId)).toEqual(['run9', 'run8', 'run7', 'run6']);
      const p2 = await portal.listExecutions({ taskId, limit: 4, cursor: p1.nextCursor ?? '' });
      expect(p2.items[0]?.externalRunId).toBe('run5');
      const stats = await portal.executionStats(taskId);
      expect(stats.runs).toBe(10);
      expect(stats.successes).toBe(9);
      expect(stats.successRate).toBeCloseTo(0.9);
      expect(stats.p50DurationMs).toBe(5000);
      expect(stats.p95DurationMs).toBe(10000);
      expect(stats.lastSuccessAt?.getTime()).toBe(t0 + 9 * 60_000 + 10_000);
      expect(stats.avgRowsOutput).toBe(100);
    });
  });
});
