// Metadata sync benchmark: 2,000 tables × 20 columns on the real MariaDB, synced into a
// PortalService store, against a bare mysql2 read of the same information_schema rows in the
// same process. Run: BENCH_ONLY=metadata-sync npm run bench -w @dataportal/sdk
// Knobs: BENCH_TABLES (2000), BENCH_DATABASES (10), BENCH_STORE (sqlite | mysql).
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { type Datasource, PortalService } from '../src/index.js';
import { readWarehouse, syncMetadata } from '../src/metadata/index.js';
import { createTestStore, mysqlTestUrl } from '../src/testing/index.js';

const TABLES = Number(process.env['BENCH_TABLES'] ?? 2000);
const DATABASES = Number(process.env['BENCH_DATABASES'] ?? 10);
const COLUMNS = 20;
const STORE = process.env['BENCH_STORE'] === 'mysql' ? 'mysql' : 'sqlite';
const url = mysqlTestUrl(process.env['DATAPORTAL_TEST_MYSQL_URL']);

const prefix = `dp_bench_${randomBytes(3).toString('hex')}`;
const dbs = Array.from({ length: DATABASES }, (_, i) => `${prefix}_${i}`);
const TYPES = [
  'INT',
  'BIGINT',
  'VARCHAR(64)',
  'DECIMAL(12,2)',
  'DATETIME',
  'DATE',
  'TINYINT(1)',
  'TEXT',
];

function ddl(db: string, table: string): string {
  const cols = ['id BIGINT NOT NULL PRIMARY KEY'];
  for (let c = 1; c < COLUMNS; c++) {
    cols.push(`c${c} ${TYPES[c % TYPES.length]} NULL COMMENT 'column ${c}'`);
  }
  return `CREATE TABLE \`${db}\`.\`${table}\` (${cols.join(', ')}) COMMENT='bench table'`;
}

async function median(runs: number, fn: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

const admin = await mysql.createConnection({ uri: url, multipleStatements: true });
const store = await createTestStore({ dialect: STORE, serverUrl: url });
try {
  for (const db of dbs) await admin.query(`CREATE DATABASE \`${db}\``);
  const statements: string[] = [];
  for (let t = 0; t < TABLES; t++) {
    const db = dbs[t % DATABASES] ?? '';
    statements.push(ddl(db, `${['ods', 'dwd', 'dim', 'dws', 'ads'][t % 5]}_table_${t}`));
  }
  const setupStart = performance.now();
  for (let i = 0; i < statements.length; i += 100) {
    await admin.query(statements.slice(i, i + 100).join(';\n'));
  }
  const setupMs = performance.now() - setupStart;

  const connection = await mysql.createConnection({ uri: url });
  const inList = dbs.map(() => '?').join(', ');

  // Bare reference: the same three information_schema reads, rows left as mysql2 returns them.
  let bareRows = 0;
  const bareMs = await median(3, async () => {
    const [t] = await connection.query(
      `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, DATA_LENGTH, CREATE_TIME, UPDATE_TIME, TABLE_COMMENT FROM information_schema.tables WHERE TABLE_SCHEMA IN (${inList})`,
      dbs,
    );
    const [c] = await connection.query(
      `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_KEY, EXTRA, COLUMN_COMMENT FROM information_schema.columns WHERE TABLE_SCHEMA IN (${inList})`,
      dbs,
    );
    const [p] = await connection.query(
      `SELECT TABLE_SCHEMA, TABLE_NAME, PARTITION_NAME, TABLE_ROWS, DATA_LENGTH, UPDATE_TIME FROM information_schema.partitions WHERE TABLE_SCHEMA IN (${inList}) AND PARTITION_NAME IS NOT NULL`,
      dbs,
    );
    bareRows = (t as unknown[]).length + (c as unknown[]).length + (p as unknown[]).length;
  });

  let readQueries = 0;
  let readColumns = 0;
  const readMs = await median(3, async () => {
    const s = await readWarehouse(connection, { databases: dbs });
    readQueries = s.queries;
    readColumns = s.tables.reduce((n, t) => n + t.columns.length, 0);
  });
  await connection.end();

  const portal = new PortalService({ store });
  const datasource: Datasource = {
    id: 1,
    name: 'bench',
    kind: 'mariadb',
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
  const connect = () => mysql.createConnection({ uri: url });
  let t0 = performance.now();
  const first = await syncMetadata(portal, datasource, {
    databases: dbs,
    registerUnknown: true,
    connect,
  });
  const firstMs = performance.now() - t0;
  t0 = performance.now();
  const steady = await syncMetadata(portal, datasource, { databases: dbs, connect });
  const steadyMs = performance.now() - t0;
  if (
    first.counts.newlyRegistered !== TABLES ||
    steady.counts.inSync !== TABLES ||
    steady.errors.length > 0
  ) {
    throw new Error(`bench: unexpected sync result ${JSON.stringify(steady.counts)}`);
  }

  const ms = (v: number) => `${Math.round(v)} ms`;
  console.log(
    `metadata-sync: ${TABLES} tables × ${COLUMNS} columns in ${DATABASES} databases (MariaDB, ${readColumns} columns): ` +
      `readWarehouse ${ms(readMs)} in ${readQueries} statements vs bare mysql2 ${ms(bareMs)} for ${bareRows} rows in 3 (ratio ${(readMs / bareMs).toFixed(2)}); ` +
      `syncMetadata into ${STORE} first ${ms(firstMs)} (${first.counts.newlyRegistered} registered), ` +
      `steady ${ms(steadyMs)} in ${steady.queries} statements (ratio ${(steadyMs / bareMs).toFixed(1)}); setup ${ms(setupMs)}`,
  );
} finally {
  for (const db of dbs) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
  await admin.end();
  await store.drop();
}
