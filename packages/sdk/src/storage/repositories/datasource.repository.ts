import type { Datasource, DatasourceInput } from '../../models/datasource.js';
import type { DatasourceRow, DatasourceTable } from '../database.js';
import { parseJson, toDate } from './json.js';

/** @internal */
export function datasourceFromRow(r: DatasourceRow): Datasource {
  const d: Datasource = {
    id: Number(r.id),
    name: r.name,
    kind: r.kind as Datasource['kind'],
    version: Number(r.version),
    createdAt: toDate(r.created_at) ?? new Date(0),
    updatedAt: toDate(r.updated_at) ?? new Date(0),
  };
  if (r.host !== null) d.host = r.host;
  if (r.port !== null) d.port = Number(r.port);
  if (r.user_name !== null) d.user = r.user_name;
  if (r.password_ref !== null) d.passwordRef = r.password_ref;
  if (r.database_name !== null) d.database = r.database_name;
  if (r.path !== null) d.path = r.path;
  if (r.dolphin_datasource !== null) d.dolphinDatasource = r.dolphin_datasource;
  if (r.description !== null) d.description = r.description;
  const options = parseJson<Datasource['options'] | null>(r.options_json, null);
  if (options && Object.keys(options).length > 0) d.options = options;
  return d;
}

/** @internal The stored columns of a datasource input (everything but id, version and times). */
export function datasourceColumns(
  d: DatasourceInput,
): Omit<DatasourceTable, 'id' | 'version' | 'created_at' | 'updated_at'> {
  return {
    name: d.name,
    kind: d.kind,
    host: d.host ?? null,
    port: d.port ?? null,
    user_name: d.user ?? null,
    password_ref: d.passwordRef ?? null,
    database_name: d.database ?? null,
    path: d.path ?? null,
    dolphin_datasource: d.dolphinDatasource ?? null,
    description: d.description ?? null,
    options_json: JSON.stringify(d.options ?? {}),
  };
}
