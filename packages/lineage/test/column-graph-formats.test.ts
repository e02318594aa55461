import { describe, expect, it } from 'vitest';
import { toColumnDot, toColumnMermaid } from '../src/index';

const edges = [
  {
    source: 'ods.a',
    target: 'dwd.b',
    columns: [
      { source: 'x', target: 'y' },
      { source: 'id', target: 'id' },
    ],
  },
  { source: 'dwd.b', target: 'ads.c', columns: [] },
];

describe('toColumnDot', () => {
  it('draws tables as records with column ports and pairs as port edges', () => {
    const dot = toColumnDot(edges);
    expect(dot).toContain('"ods.a" [label="{ods.a | <id> id | <x> x}"];');
    expect(dot).toContain('"ods.a":"x" -> "dwd.b":"y";');
    expect(dot).toContain('"ods.a":"id" -> "dwd.b":"id";');
    expect(dot).toContain('"dwd.b" -> "ads.c" [style=dashed];');
  });

  it('draws an empty graph', () => {
    expect(toColumnDot([])).toBe(
      'digraph "column_lineage" {\n  rankdir=LR;\n  node [shape=record];\n}',
    );
  });
});

describe('toColumnMermaid', () => {
  it('draws tables as subgraphs of column nodes', () => {
    const m = toColumnMermaid(edges);
    expect(m.split('\n')[0]).toBe('flowchart LR');
    expect(m).toContain('subgraph n0["ads.c"]');
    expect(m).toMatch(/n\d+\["x"\]/);
    expect(m.match(/-->/g)?.length).toBe(3);
  });
});
