import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import LineageGraph from '../src/components/LineageGraph.vue';
import { buildView, type GraphData } from '../src/lineage/graph-model';

const graph: GraphData = {
  nodes: [
    { id: 'ods_user', layer: 'ODS' },
    { id: 'ods_order', layer: 'ODS' },
    { id: 'dwd_user', layer: 'DWD' },
    { id: 'dws_user_1d', layer: 'DWS' },
    { id: 'ads_report', layer: 'ADS' },
  ],
  edges: [
    { source: 'ods_user', target: 'dwd_user' },
    { source: 'dwd_user', target: 'dws_user_1d' },
    { source: 'dws_user_1d', target: 'ads_report' },
    { source: 'ods_order', target: 'ads_report' },
  ],
};

describe('impact highlight', () => {
  it('lights the clicked table and everything downstream, dims the rest', () => {
    const v = buildView(graph, {
      selected: 'dwd_user',
      impacted: new Set(['dws_user_1d', 'ads_report']),
    });
    const state = Object.fromEntries(v.nodes.map((n) => [n.id, n.state]));
    expect(state).toEqual({
      ods_user: 'dim',
      ods_order: 'dim',
      dwd_user: 'selected',
      dws_user_1d: 'impacted',
      ads_report: 'impacted',
    });
    const edges = Object.fromEntries(v.edges.map((e) => [e.id, e.state]));
    expect(edges['dwd_user>dws_user_1d']).toBe('impacted');
    expect(edges['dws_user_1d>ads_report']).toBe('impacted');
    expect(edges['ods_user>dwd_user']).toBe('dim');
    expect(edges['ods_order>ads_report']).toBe('dim');
  });

  it('collapses a large graph into layer/database groups, keeping the selection visible', () => {
    const big: GraphData = {
      nodes: Array.from({ length: 30 }, (_, i) => ({
        id: `dw.t${i}`,
        layer: i < 15 ? 'ODS' : 'DWD',
      })),
      edges: Array.from({ length: 15 }, (_, i) => ({
        source: `dw.t${i}`,
        target: `dw.t${i + 15}`,
      })),
    };
    const v = buildView(big, { selected: 'dw.t3' }, { collapseAt: 10 });
    expect(v.collapsed).toBe(true);
    expect(v.nodes.map((n) => n.id).sort()).toEqual(['dw.t3', 'group:DWD:dw', 'group:ODS:dw']);
    const group = v.edges.find((e) => e.source === 'group:ODS:dw');
    expect(group?.count).toBe(14);
    const expanded = buildView(big, {}, { collapseAt: 10, expanded: new Set(['group:DWD:dw']) });
    expect(expanded.nodes.filter((n) => !n.group)).toHaveLength(15);
  });

  it('renders the lit states on the graph and reports the clicked table', async () => {
    const v = buildView(graph, {
      selected: 'dwd_user',
      impacted: new Set(['dws_user_1d', 'ads_report']),
    });
    const positions = Object.fromEntries(v.nodes.map((n, i) => [n.id, { x: i * 200, y: 0 }]));
    const wrapper = mount(LineageGraph, {
      props: { nodes: v.nodes, edges: v.edges, positions },
      attachTo: document.body,
    });
    await new Promise((r) => setTimeout(r, 50));
    const node = (id: string) => wrapper.find(`[data-id="${id}"]`);
    expect(node('dwd_user').classes()).toContain('state-selected');
    expect(node('ads_report').classes()).toContain('state-impacted');
    expect(node('ods_user').classes()).toContain('state-dim');
    await node('ods_user').trigger('click');
    expect(wrapper.emitted('select')?.[0]).toEqual(['ods_user', false]);
    wrapper.unmount();
  });
});
