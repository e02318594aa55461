import { openStore, PortalService, type Store } from '@dataportal/sdk';
import { afterEach, expect, it, vi } from 'vitest';
import { startPeriodicSync } from '../src/datasource-sync';

let store: Store | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await store?.close();
});

it('syncs every syncable datasource each interval and reports failures without stopping', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  store = await openStore({ url: 'sqlite::memory:', migrate: true });
  const portal = new PortalService({ store });
  // Port 1 on loopback refuses connections: both MySQL-protocol sources fail fast.
  await portal.createDatasource({ name: 'a', kind: 'mysql', host: '127.0.0.1', port: 1 });
  await portal.createDatasource({ name: 'b', kind: 'doris', host: '127.0.0.1', port: 1 });
  await portal.createDatasource({ name: 'local', kind: 'sqlite', path: ':memory:' });
  const results: { name: string; failed: boolean }[] = [];
  let done: () => void = () => undefined;
  const twoResults = new Promise<void>((r) => {
    done = r;
  });
  const sync = startPeriodicSync(portal, {
    intervalMs: 60_000,
    resolvePassword: () => undefined,
    onResult: (name, r) => {
      results.push({ name, failed: r.error !== undefined });
      if (results.length === 2) done();
    },
  });
  expect(results).toEqual([]);
  vi.advanceTimersByTime(60_000);
  await twoResults;
  await sync.stop();
  expect(results).toEqual([
    { name: 'a', failed: true },
    { name: 'b', failed: true },
  ]);
});
