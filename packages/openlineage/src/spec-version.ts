/**
 * The OpenLineage specification versions this package writes: the core schema and one version
 * per facet. The tests validate every emitted event against the vendored schemas of exactly these
 * versions (`test/fixtures/openlineage-spec`).
 *
 * @module
 */

/**
 * Version of the core OpenLineage schema (`OpenLineage.json`) the events follow.
 *
 * @example
 * ```ts
 * import { OPENLINEAGE_SPEC_VERSION } from '@dataportal/openlineage';
 * OPENLINEAGE_SPEC_VERSION; // '2-0-2'
 * ```
 */
export const OPENLINEAGE_SPEC_VERSION = '2-0-2';

/**
 * `schemaURL` of every RunEvent this package builds.
 *
 * @example
 * ```ts
 * import { RUN_EVENT_SCHEMA_URL } from '@dataportal/openlineage';
 * RUN_EVENT_SCHEMA_URL.endsWith('#/$defs/RunEvent'); // true
 * ```
 */
export const RUN_EVENT_SCHEMA_URL = `https://openlineage.io/spec/${OPENLINEAGE_SPEC_VERSION}/OpenLineage.json#/$defs/RunEvent`;

/**
 * The facets this package writes, by facet key: the facet schema's file name and version.
 *
 * @example
 * ```ts
 * import { FACET_VERSIONS } from '@dataportal/openlineage';
 * FACET_VERSIONS.columnLineage.version; // '1-2-0'
 * ```
 */
export const FACET_VERSIONS = {
  sql: { schema: 'SQLJobFacet', version: '1-1-0' },
  jobType: { schema: 'JobTypeJobFacet', version: '2-0-4' },
  sourceCode: { schema: 'SourceCodeJobFacet', version: '1-0-1' },
  schema: { schema: 'SchemaDatasetFacet', version: '1-2-0' },
  dataSource: { schema: 'DatasourceDatasetFacet', version: '1-0-1' },
  symlinks: { schema: 'SymlinksDatasetFacet', version: '1-0-1' },
  columnLineage: { schema: 'ColumnLineageDatasetFacet', version: '1-2-0' },
  outputStatistics: { schema: 'OutputStatisticsOutputDatasetFacet', version: '1-0-2' },
  errorMessage: { schema: 'ErrorMessageRunFacet', version: '1-0-1' },
  nominalTime: { schema: 'NominalTimeRunFacet', version: '1-0-1' },
  processing_engine: { schema: 'ProcessingEngineRunFacet', version: '1-1-1' },
} as const;

/**
 * A facet key this package writes, see {@link FACET_VERSIONS}.
 *
 * @example
 * ```ts
 * import type { FacetKey } from '@dataportal/openlineage';
 * const k: FacetKey = 'sql';
 * ```
 */
export type FacetKey = keyof typeof FACET_VERSIONS;

/**
 * The `_schemaURL` of a facet this package writes.
 *
 * @param key - the facet key (`sql`, `columnLineage`, …)
 * @returns the URL of the facet's definition in its versioned schema
 * @example
 * ```ts
 * import { facetSchemaUrl } from '@dataportal/openlineage';
 * facetSchemaUrl('sql'); // 'https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet'
 * ```
 */
export function facetSchemaUrl(key: FacetKey): string {
  const f = FACET_VERSIONS[key];
  return `https://openlineage.io/spec/facets/${f.version}/${f.schema}.json#/$defs/${f.schema}`;
}
