/**
 * Builders of the facets this package writes. Each returns a facet with `_producer` and the
 * `_schemaURL` of the facet version in {@link FACET_VERSIONS}.
 *
 * @module
 */
import type { ScriptColumnLineage } from '@dataportal/lineage';
import type { Facet } from './model';
import type { DatasetIdentity } from './naming';
import { type FacetKey, facetSchemaUrl } from './spec-version';

function facet(key: FacetKey, producer: string, body: Record<string, unknown>): Facet {
  return { _producer: producer, _schemaURL: facetSchemaUrl(key), ...body };
}

/**
 * A field of a `schema` dataset facet.
 *
 * @example
 * ```ts
 * import type { SchemaField } from '@dataportal/openlineage';
 * const f: SchemaField = { name: 'id', type: 'BIGINT', description: 'order id' };
 * ```
 */
export interface SchemaField {
  readonly name: string;
  readonly type?: string | undefined;
  readonly description?: string | null | undefined;
}

/**
 * The `schema` dataset facet from registered fields.
 *
 * @param producer - the producer URI
 * @param fields - the table's fields in order
 * @returns the facet
 * @example
 * ```ts
 * import { schemaFacet } from '@dataportal/openlineage';
 * schemaFacet('https://example.invalid/p', [{ name: 'id', type: 'BIGINT' }]);
 * ```
 */
export function schemaFacet(producer: string, fields: ReadonlyArray<SchemaField>): Facet {
  return facet('schema', producer, {
    fields: fields.map((f) => ({
      name: f.name,
      ...(f.type === undefined ? {} : { type: f.type }),
      ...(f.description == null ? {} : { description: f.description }),
    })),
  });
}

/**
 * The `sql` job facet.
 *
 * @param producer - the producer URI
 * @param query - the task's SQL
 * @param dialect - the SQL dialect (`doris`, `hive`, `flink`, `mysql`)
 * @returns the facet
 * @example
 * ```ts
 * import { sqlFacet } from '@dataportal/openlineage';
 * sqlFacet('https://example.invalid/p', 'insert into b select * from a', 'doris');
 * ```
 */
export function sqlFacet(producer: string, query: string, dialect?: string): Facet {
  return facet('sql', producer, dialect === undefined ? { query } : { query, dialect });
}

/**
 * The `sourceCode` job facet.
 *
 * @param producer - the producer URI
 * @param language - the language (`SQL`)
 * @param sourceCode - the code
 * @returns the facet
 * @example
 * ```ts
 * import { sourceCodeFacet } from '@dataportal/openlineage';
 * sourceCodeFacet('https://example.invalid/p', 'SQL', 'select 1');
 * ```
 */
export function sourceCodeFacet(producer: string, language: string, sourceCode: string): Facet {
  return facet('sourceCode', producer, { language, sourceCode });
}

/**
 * The `jobType` job facet.
 *
 * @param producer - the producer URI
 * @param processingType - `BATCH` or `STREAMING`
 * @param integration - `DOLPHINSCHEDULER`, `DINKY` or `DATAPORTAL` (the local engine)
 * @returns the facet (jobType `TASK`)
 * @example
 * ```ts
 * import { jobTypeFacet } from '@dataportal/openlineage';
 * jobTypeFacet('https://example.invalid/p', 'BATCH', 'DOLPHINSCHEDULER');
 * ```
 */
export function jobTypeFacet(
  producer: string,
  processingType: 'BATCH' | 'STREAMING',
  integration: string,
): Facet {
  return facet('jobType', producer, { processingType, integration, jobType: 'TASK' });
}

/**
 * The `outputStatistics` output-dataset facet.
 *
 * @param producer - the producer URI
 * @param rowCount - rows written
 * @returns the facet
 * @example
 * ```ts
 * import { outputStatisticsFacet } from '@dataportal/openlineage';
 * outputStatisticsFacet('https://example.invalid/p', 15890);
 * ```
 */
export function outputStatisticsFacet(producer: string, rowCount: number): Facet {
  return facet('outputStatistics', producer, { rowCount });
}

/**
 * The `errorMessage` run facet.
 *
 * @param producer - the producer URI
 * @param message - the engine's failure message
 * @returns the facet (programmingLanguage `SQL`)
 * @example
 * ```ts
 * import { errorMessageFacet } from '@dataportal/openlineage';
 * errorMessageFacet('https://example.invalid/p', 'table not found');
 * ```
 */
export function errorMessageFacet(producer: string, message: string): Facet {
  return facet('errorMessage', producer, { message, programmingLanguage: 'SQL' });
}

/**
 * The `nominalTime` run facet.
 *
 * @param producer - the producer URI
 * @param start - the scheduled start
 * @returns the facet
 * @example
 * ```ts
 * import { nominalTimeFacet } from '@dataportal/openlineage';
 * nominalTimeFacet('https://example.invalid/p', new Date());
 * ```
 */
export function nominalTimeFacet(producer: string, start: Date): Facet {
  return facet('nominalTime', producer, { nominalStartTime: start.toISOString() });
}

/**
 * The `processing_engine` run facet.
 *
 * @param producer - the producer URI
 * @param name - the engine (`DolphinScheduler`, `Dinky`, `DataPortal local engine`)
 * @param version - its version, when known
 * @returns the facet
 * @example
 * ```ts
 * import { processingEngineFacet } from '@dataportal/openlineage';
 * processingEngineFacet('https://example.invalid/p', 'DolphinScheduler', '3.2.0');
 * ```
 */
export function processingEngineFacet(producer: string, name: string, version: string): Facet {
  return facet('processing_engine', producer, { name, version });
}

/**
 * The `symlinks` dataset facet: other identities of the same table.
 *
 * @param producer - the producer URI
 * @param aliases - the other identities
 * @returns the facet
 * @example
 * ```ts
 * import { symlinksFacet } from '@dataportal/openlineage';
 * symlinksFacet('https://example.invalid/p', [{ namespace: 'mysql://fe:9030', name: 'dwd.a' }]);
 * ```
 */
export function symlinksFacet(producer: string, aliases: ReadonlyArray<DatasetIdentity>): Facet {
  return facet('symlinks', producer, {
    identifiers: aliases.map((a) => ({ namespace: a.namespace, name: a.name, type: 'TABLE' })),
  });
}

/**
 * The `dataSource` dataset facet.
 *
 * @param producer - the producer URI
 * @param name - the datasource's name in the portal
 * @param uri - the namespace URI
 * @returns the facet
 * @example
 * ```ts
 * import { dataSourceFacet } from '@dataportal/openlineage';
 * dataSourceFacet('https://example.invalid/p', 'warehouse', 'doris://fe:9030');
 * ```
 */
export function dataSourceFacet(producer: string, name: string, uri: string): Facet {
  return facet('dataSource', producer, { name, uri });
}

/**
 * The `columnLineage` facet of one output dataset, from composed script column lineage: DIRECT
 * sources per field, with INDIRECT ones (filters, joins, grouping) both per field and, when they
 * affect every field of the dataset, in the dataset-wide `dataset` list.
 *
 * @param producer - the producer URI
 * @param output - the output table (portal name) whose fields are described
 * @param columns - composed column lineage of the script (other outputs are skipped)
 * @param identify - OpenLineage identity of a source table
 * @returns the facet, or undefined when no column of `output` has lineage
 * @example
 * ```ts
 * import { columnLineageFacet } from '@dataportal/openlineage';
 * columnLineageFacet('https://example.invalid/p', 'dwd.b', [
 *   { target: { table: 'dwd.b', column: 'id' }, sources: [{ table: 'ods.a', column: 'id', type: 'DIRECT', subtype: 'IDENTITY' }] },
 * ], (t) => ({ namespace: 'mysql://db:3306', name: t }));
 * ```
 */
export function columnLineageFacet(
  producer: string,
  output: string,
  columns: ReadonlyArray<ScriptColumnLineage>,
  identify: (table: string) => DatasetIdentity,
): Facet | undefined {
  const mine = columns.filter((c) => c.target.table === output);
  if (mine.length === 0) return undefined;
  const fields: Record<string, unknown> = {};
  for (const c of mine) {
    const byField = new Map<string, { id: DatasetIdentity; column: string; t: unknown[] }>();
    for (const s of c.sources) {
      const id = identify(s.table);
      const k = `${id.namespace}\u0000${id.name}\u0000${s.column}`;
      let entry = byField.get(k);
      if (entry === undefined) {
        entry = { id, column: s.column, t: [] };
        byField.set(k, entry);
      }
      entry.t.push({ type: s.type, subtype: s.subtype, masking: false });
    }
    fields[c.target.column] = {
      inputFields: [...byField.values()].map((e) => ({
        namespace: e.id.namespace,
        name: e.id.name,
        field: e.column,
        transformations: e.t,
      })),
    };
  }
  return facet('columnLineage', producer, { fields });
}
