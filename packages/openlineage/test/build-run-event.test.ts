import { analyzeSql, createSqlAnalyzer } from '@dataportal/lineage';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildRunEvent,
  datasetAliases,
  datasetIdentity,
  deterministicRunId,
  eventTypesForTransition,
  FACET_VERSIONS,
  facetSchemaUrl,
  OPENLINEAGE_SPEC_VERSION,
  type RunEventInput,
  type RunEventType,
} from '../src/index';
import { createSpecValidator, vendoredSpecVersion } from './support/spec-validator';

const validator = createSpecValidator();

// Loading the WASM SQL parser takes seconds on a busy machine; load it once outside the tests.
beforeAll(async () => {
  await createSqlAnalyzer();
}, 60_000);
const warehouse = { kind: 'doris', host: 'fe1', port: 9030 };

async function input(eventType: RunEventType): Promise<RunEventInput> {
  const sql = `CREATE TEMPORARY TABLE tmp.t AS SELECT id, amount FROM ods.orders WHERE dt = '2026-01-01';
INSERT INTO dwd.orders SELECT id, amount * 100 AS cents FROM tmp.t;`;
  const lineage = await analyzeSql(sql, {
    dialect: 'doris',
    schema: { 'dwd.orders': ['id', 'cents'] },
  });
  return {
    eventType,
    eventTime: new Date('2026-01-01T03:04:00Z'),
    producer: 'https://example.invalid/dataportal/0.1.0',
    job: {
      namespace: 'dataportal',
      name: 'load_dwd_orders',
      processingType: 'BATCH',
      integration: 'DOLPHINSCHEDULER',
      sql,
      dialect: 'doris',
    },
    run: {
      engine: 'dolphin',
      externalRunId: '1042',
      nominalTime: new Date('2026-01-01T03:00:00Z'),
      scheduledTime: new Date('2026-01-01T03:00:00Z'),
      errorMessage: 'Table ods.orders not found',
      processingEngine: { name: 'DolphinScheduler', version: '3.2.2' },
    },
    inputs: [
      {
        table: 'ods.orders',
        identity: datasetIdentity(warehouse, 'ods.orders'),
        aliases: datasetAliases(warehouse, 'ods.orders'),
        fields: [
          { name: 'id', type: 'BIGINT', description: 'order id' },
          { name: 'amount', type: 'DECIMAL(10,2)' },
        ],
        datasource: 'warehouse',
      },
    ],
    outputs: [
      {
        table: 'dwd.orders',
        identity: datasetIdentity(warehouse, 'dwd.orders'),
        fields: [{ name: 'id', type: 'BIGINT' }, { name: 'cents' }],
      },
    ],
    columns: lineage.scriptColumns,
    rowsOutput: 15890,
  };
}

describe('buildRunEvent', () => {
  it('validates against the vendored spec of the version the package writes', () => {
    expect(vendoredSpecVersion()).toBe(OPENLINEAGE_SPEC_VERSION);
  });

  for (const type of ['START', 'RUNNING', 'COMPLETE', 'FAIL', 'ABORT'] as const) {
    it(`builds a ${type} event that validates against OpenLineage ${OPENLINEAGE_SPEC_VERSION}`, async () => {
      const event = buildRunEvent(await input(type));
      expect(validator.validate(event)).toEqual([]);
      expect(event.eventType).toBe(type);
    });
  }

  it('rejects what the spec rejects (the validator is not a no-op)', async () => {
    const event = buildRunEvent(await input('START'));
    const broken = { ...event, run: { ...event.run, runId: 'not-a-uuid' }, eventType: 'DONE' };
    expect(validator.validate(broken).length).toBeGreaterThanOrEqual(2);
    const badFacet = {
      ...event,
      job: { ...event.job, facets: { sql: { ...event.job.facets?.['sql'], query: undefined } } },
    };
    expect(validator.validate(badFacet).join()).toContain('job.facets.sql');
  });

  it('writes every facet with a schema URL the vendored spec knows', () => {
    for (const key of Object.keys(FACET_VERSIONS) as Array<keyof typeof FACET_VERSIONS>) {
      const probe = { _producer: 'p', _schemaURL: facetSchemaUrl(key) };
      const errors = validator.validate({
        eventTime: '2026-01-01T00:00:00Z',
        producer: 'https://example.invalid/p',
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        run: { runId: '0190b7e0-0000-7000-8000-000000000000', facets: { [key]: probe } },
        job: { namespace: 'n', name: 'j' },
      });
      expect(errors.filter((e) => e.includes('no vendored schema'))).toEqual([]);
    }
  });

  it('names datasets by the naming conventions and carries the facets', async () => {
    const event = buildRunEvent(await input('COMPLETE'));
    expect(event.inputs?.[0]).toMatchObject({ namespace: 'doris://fe1:9030', name: 'ods.orders' });
    expect(event.inputs?.[0]?.facets?.['symlinks']).toMatchObject({
      identifiers: [{ namespace: 'mysql://fe1:9030', name: 'ods.orders', type: 'TABLE' }],
    });
    expect(event.job.facets?.['jobType']).toMatchObject({
      processingType: 'BATCH',
      integration: 'DOLPHINSCHEDULER',
    });
    expect(event.job.facets?.['sql']).toMatchObject({ dialect: 'doris' });
    expect(event.outputs?.[0]?.outputFacets?.['outputStatistics']).toMatchObject({
      rowCount: 15890,
    });
    const cl = event.outputs?.[0]?.facets?.['columnLineage'] as unknown as {
      fields: Record<string, { inputFields: Array<Record<string, unknown>> }>;
    };
    // Composed through the temp table: ods.orders.amount -> dwd.orders.cents.
    expect(cl.fields['cents']?.inputFields).toContainEqual({
      namespace: 'doris://fe1:9030',
      name: 'ods.orders',
      field: 'amount',
      transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: false }],
    });
    expect(event.run.facets?.['errorMessage']).toBeUndefined();
  });

  it('adds errorMessage to FAIL events only', async () => {
    const fail = buildRunEvent(await input('FAIL'));
    expect(fail.run.facets?.['errorMessage']).toMatchObject({
      message: 'Table ods.orders not found',
    });
    expect(fail.outputs?.[0]?.outputFacets?.['outputStatistics']).toBeUndefined();
  });

  it('gives every event of a run the same deterministic UUIDv7 run id', async () => {
    const a = buildRunEvent(await input('START'));
    const b = buildRunEvent(await input('COMPLETE'));
    expect(a.run.runId).toBe(b.run.runId);
    expect(a.run.runId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    // The time prefix is the nominal time.
    const ms = Number.parseInt(a.run.runId.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBe(Date.parse('2026-01-01T03:00:00Z'));
  });
});

describe('deterministicRunId', () => {
  it('differs for another run and repeats for the same one', () => {
    const base = {
      engine: 'dolphin',
      externalRunId: '7',
      nominalTime: new Date(1_700_000_000_000),
    };
    expect(deterministicRunId(base)).toBe(deterministicRunId({ ...base }));
    expect(deterministicRunId(base)).not.toBe(deterministicRunId({ ...base, externalRunId: '8' }));
    expect(deterministicRunId(base)).not.toBe(deterministicRunId({ ...base, engine: 'dinky' }));
  });
});

describe('eventTypesForTransition', () => {
  it.each([
    [null, 'SUBMITTED', false, ['START']],
    [null, 'SUCCESS', false, ['START', 'COMPLETE']],
    ['RUNNING', 'FAILED', false, ['FAIL']],
    ['SUBMITTED', 'KILLED', false, ['ABORT']],
    ['SUBMITTED', 'RUNNING', false, []],
    ['SUBMITTED', 'RUNNING', true, ['RUNNING']],
    ['SUCCESS', 'SUCCESS', false, []],
    ['SUCCESS', 'FAILED', false, []],
  ] as const)('%s -> %s (stream %s) emits %j', (prev, cur, stream, expected) => {
    expect(eventTypesForTransition(prev, cur, stream)).toEqual(expected);
  });
});
