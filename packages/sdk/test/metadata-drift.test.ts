import { describe, expect, it } from 'vitest';
import {
  computeDrift,
  type WarehouseColumn,
  type WarehouseScope,
  type WarehouseTable,
} from '../src/metadata/index.js';
import { portableType } from '../src/metadata/portable-type.js';

function column(name: string, columnType: string): WarehouseColumn {
  return {
    name,
    ordinal: 1,
    dataType: columnType.replace(/\(.*$/, ''),
    columnType,
    portableType: portableType(columnType),
    nullable: true,
    key: 'none',
    rawKey: '',
    defaultValue: null,
    extra: '',
    comment: null,
  };
}

function table(
  qn: string,
  columns: WarehouseColumn[],
  kind: WarehouseTable['kind'] = 'table',
): WarehouseTable {
  const parts = qn.split('.');
  return {
    catalog: null,
    database: parts[parts.length - 2] ?? '',
    name: parts[parts.length - 1] ?? '',
    qualifiedName: qn,
    kind,
    tableType: 'BASE TABLE',
    engine: 'InnoDB',
    rowCount: 1,
    rowCountExact: false,
    dataSize: 1,
    dataSizeIncludesReplicas: false,
    createdAt: null,
    updatedAt: null,
    comment: null,
    columns,
    partitions: [],
  };
}

const all: WarehouseScope = { databases: null, tables: [], catalog: null };

describe('computeDrift', () => {
  it('finds added, removed and retyped columns, matching names case-insensitively', () => {
    const report = computeDrift(
      [
        {
          id: 1,
          qualifiedName: 'ODS.Orders',
          fields: [
            { name: 'ID', type: 'int' },
            { name: 'amount', type: 'decimal(10,2)' },
            { name: 'note', type: 'text' },
          ],
        },
      ],
      {
        scope: all,
        tables: [
          table('ods.orders', [
            column('id', 'int(11)'),
            column('amount', 'decimalv3(12, 2)'),
            column('paid', 'tinyint(1)'),
          ]),
        ],
      },
    );
    expect(report.tables).toEqual([
      {
        qualifiedName: 'ods.orders',
        tableId: 1,
        status: 'drifted',
        columnsAdded: ['paid'],
        columnsRemoved: ['note'],
        typeChanged: [{ name: 'amount', from: 'decimal(10,2)', to: 'decimalv3(12, 2)' }],
        missingInWarehouse: false,
      },
    ]);
  });

  it('treats display widths and Doris spellings as the same type', () => {
    const report = computeDrift(
      [
        {
          qualifiedName: 'ods.t',
          fields: [
            { name: 'a', type: 'INT(11)' },
            { name: 'b', type: 'decimal(9,2)' },
          ],
        },
      ],
      {
        scope: all,
        tables: [table('ods.t', [column('a', 'int'), column('b', 'decimalv3(9, 2)')])],
      },
    );
    expect(report.tables[0]?.status).toBe('in-sync');
  });

  it('matches a registered type clipped to the registry limit on its prefix', () => {
    const long = `struct<${Array.from({ length: 30 }, (_, i) => `field_${i}:varchar(10)`).join(',')}>`;
    const clipped = `${portableType(long).slice(0, 127)}…`;
    const report = computeDrift(
      [{ qualifiedName: 'ods.t', fields: [{ name: 's', type: clipped }] }],
      { scope: all, tables: [table('ods.t', [column('s', long)])] },
    );
    expect(report.tables[0]?.status).toBe('in-sync');
  });

  it('reports missing tables only inside the scope', () => {
    const registered = [
      { qualifiedName: 'ods.gone', fields: [] },
      { qualifiedName: 'dwd.elsewhere', fields: [] },
      { qualifiedName: 'dwd.picked', fields: [] },
    ];
    const scoped = computeDrift(registered, {
      scope: { databases: ['ods'], tables: ['dwd.picked'], catalog: null },
      tables: [],
    });
    expect(scoped.missingInWarehouse).toEqual(['dwd.picked', 'ods.gone']);
    expect(scoped.outOfScope).toEqual(['dwd.elsewhere']);
    const unscoped = computeDrift(registered, { scope: all, tables: [] });
    expect(unscoped.missingInWarehouse).toEqual(['dwd.elsewhere', 'dwd.picked', 'ods.gone']);
  });

  it('keeps Doris catalogs apart', () => {
    const report = computeDrift(
      [
        { qualifiedName: 'hive.sales.gone', fields: [] },
        { qualifiedName: 'sales.internal_table', fields: [] },
      ],
      { scope: { databases: null, tables: [], catalog: 'hive' }, tables: [] },
    );
    expect(report.missingInWarehouse).toEqual(['hive.sales.gone']);
    expect(report.outOfScope).toEqual(['sales.internal_table']);
  });

  it('guesses layers of unregistered tables from prefixes and schema names, skipping system views', () => {
    const report = computeDrift([], {
      scope: all,
      tables: [
        table('warehouse.dwd_orders', []),
        table('warehouse.dim_region', []),
        table('ads.report', []),
        table('dw_ods.raw_events', []),
        table('misc.t1', []),
        table('misc.sys_view', [], 'system'),
      ],
    });
    expect(report.unregistered.map((u) => [u.qualifiedName, u.layerGuess])).toEqual([
      ['ads.report', 'ADS'],
      ['dw_ods.raw_events', 'ODS'],
      ['misc.t1', null],
      ['warehouse.dim_region', 'DIM'],
      ['warehouse.dwd_orders', 'DWD'],
    ]);
  });
});
