import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'openlineage-spec');

/** The core schema version of the vendored spec (read from its `$id`). */
export function vendoredSpecVersion(): string {
  const core = JSON.parse(readFileSync(join(DIR, 'OpenLineage.json'), 'utf8')) as { $id: string };
  return /spec\/([\d-]+)\/OpenLineage\.json$/.exec(core.$id)?.[1] ?? 'unknown';
}

/**
 * An ajv (JSON Schema 2020-12) loaded with the vendored OpenLineage core schema and every facet
 * schema; `validate(event)` checks the event against `RunEvent` and each facet against the schema
 * its `_schemaURL` names, so a facet URL pointing at a version we did not vendor fails too.
 */
export function createSpecValidator(): { validate(event: unknown): string[] } {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema(JSON.parse(readFileSync(join(DIR, 'OpenLineage.json'), 'utf8')));
  for (const f of readdirSync(join(DIR, 'facets'))) {
    if (f.endsWith('.json'))
      ajv.addSchema(JSON.parse(readFileSync(join(DIR, 'facets', f), 'utf8')));
  }
  const core = JSON.parse(readFileSync(join(DIR, 'OpenLineage.json'), 'utf8')) as { $id: string };
  return {
    validate(event) {
      const errors: string[] = [];
      const run = ajv.getSchema(`${core.$id}#/$defs/RunEvent`);
      if (run === undefined) throw new Error('RunEvent schema missing');
      if (!run(event))
        errors.push(...(run.errors ?? []).map((e) => `event${e.instancePath} ${e.message}`));
      const visit = (where: string, facets: unknown) => {
        if (typeof facets !== 'object' || facets === null) return;
        for (const [key, facet] of Object.entries(facets)) {
          const url = (facet as { _schemaURL?: string })._schemaURL ?? '';
          const v = ajv.getSchema(url);
          if (v === undefined) {
            errors.push(`${where}.${key}: no vendored schema for ${url}`);
            continue;
          }
          if (!v(facet))
            errors.push(
              ...(v.errors ?? []).map((e) => `${where}.${key}${e.instancePath} ${e.message}`),
            );
        }
      };
      type Facets = { facets?: unknown; inputFacets?: unknown; outputFacets?: unknown };
      const e = event as {
        run?: Facets;
        job?: Facets;
        inputs?: Facets[];
        outputs?: Facets[];
      };
      visit('run.facets', e.run?.facets);
      visit('job.facets', e.job?.facets);
      for (const [i, d] of (e.inputs ?? []).entries()) {
        visit(`inputs[${i}].facets`, d.facets);
        visit(`inputs[${i}].inputFacets`, d.inputFacets);
      }
      for (const [i, d] of (e.outputs ?? []).entries()) {
        visit(`outputs[${i}].facets`, d.facets);
        visit(`outputs[${i}].outputFacets`, d.outputFacets);
      }
      return errors;
    },
  };
}
