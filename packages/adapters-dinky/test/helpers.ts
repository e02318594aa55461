import type { Task } from '@dataportal/sdk';

/** A stored portal stream task with defaults, for engine tests. */
export function streamTask(overrides: Partial<Task> = {}): Task {
  const at = new Date('2024-07-29T00:00:00Z');
  return {
    id: 1,
    name: 'orders_agg',
    description: null,
    kind: 'sql',
    sql: 'INSERT INTO dws.orders_agg SELECT id, count(*) FROM ods.orders GROUP BY id',
    taskType: 'stream',
    engine: 'dinky',
    schedule: null,
    inputs: ['ods.orders'],
    outputs: ['dws.orders_agg'],
    owner: null,
    datasource: null,
    retries: 0,
    timeoutSeconds: 0,
    preStatements: [],
    postStatements: [],
    status: 'published',
    engineRef: null,
    lastError: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
