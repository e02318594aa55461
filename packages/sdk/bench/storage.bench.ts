// Storage benchmark: callback ingestion through PortalService.recordExecution against bare
// single-row mysql2 inserts into the same MariaDB, in the same process (DESIGN.md §8: at least
// half the bare throughput). Run: npm run bench -w @dataportal/sdk
import mysql from 'mysql2/promise';
import { PortalService } from '../src/index.js';
import { createTestStore, mysqlTestUrl } from '../src/testing/index.js';

const N = Number(process.env['BENCH_EXECUTIONS'] ?? 2000);
const url = mysqlTestUrl(process.env['DATAPORTAL_TEST_MYSQL_URL']);

const store = await createTestStore({ dialect: 'mysql', serverUrl: url });
try {
  const portal = new PortalService({ store });
  await portal.registerTable({ qualifiedName: 'ods.a', layer: 'ODS' });
  await portal.registerTable({ qualifiedName: 'dwd.b', layer: 'DWD' });
  const task = await portal.createTask({
    name: 'bench',
    taskType: 'batch',
    engine: 'dolphin',
    sql: 'insert into dwd.b select * from ods.a',
    inputs: ['ods.a'],
    outputs: ['dwd.b'],
  });

  // Bare reference: the same row shape, one INSERT per callback, on a plain connection.
  const bare = await mysql.createConnection({ uri: store.url });
  await bare.query(
    'CREATE TABLE bare_exec (id BIGINT AUTO_INCREMENT PRIMARY KEY, task_id BIGINT, engine VARCHAR(16), external_run_id VARCHAR(128), status VARCHAR(16), start_time BIGINT, end_time BIGINT, duration_ms BIGINT, rows_output BIGINT, created_at BIGINT, updated_at BIGINT, UNIQUE KEY (task_id, engine, external_run_id))',
  );
  let t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const now = Date.now();
    await bare.query(
      'INSERT INTO bare_exec (task_id, engine, external_run_id, status, start_time, end_time, duration_ms, rows_output, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)',
      [task.id, 'dolphin', `r${i}`, 'SUCCESS', now - 1000, now, 1000, 10, now, now],
    );
  }
  const bareMs = performance.now() - t0;
  await bare.end();

  t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const now = Date.now();
    await portal.recordExecution({
      taskId: task.id,
      engine: 'dolphin',
      externalRunId: `r${i}`,
      status: 'SUCCESS',
      startTime: new Date(now - 1000),
      endTime: new Date(now),
      rowsOutput: 10,
    });
  }
  const portalMs = performance.now() - t0;

  t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await portal.recordExecution({
      taskId: task.id,
      engine: 'dolphin',
      externalRunId: `r${i}`,
      status: 'RUNNING',
    });
  }
  const dupMs = performance.now() - t0;

  const rate = (ms: number) => Math.round((N / ms) * 1000);
  console.log(
    `storage: recordExecution ${rate(portalMs)}/s vs bare mysql2 insert ${rate(bareMs)}/s ` +
      `(ratio ${(bareMs / portalMs).toFixed(2)}, budget ≥ 0.50); duplicate callbacks ${rate(dupMs)}/s; n=${N}`,
  );
} finally {
  await store.drop();
}
