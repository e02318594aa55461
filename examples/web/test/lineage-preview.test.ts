import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import LineagePreview from '../src/components/LineagePreview.vue';
import { i18n } from '../src/i18n';
import { comparePreview, layerOf } from '../src/lineage/preview';
import { eventually, fakeApi } from './fake-api';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('comparePreview', () => {
  const layers = new Map<string, string | null>([
    ['ods_user', 'ODS'],
    ['dwd_user', 'DWD'],
    ['ads_report', 'ADS'],
  ]);

  it('finds ods_user → dwd_user and agrees with matching declarations', () => {
    const r = comparePreview(
      { inputs: ['ods_user'], outputs: ['dwd_user'] },
      { inputs: ['ods_user'], outputs: ['dwd_user'] },
      layers,
    );
    expect(r.edges).toEqual([{ source: 'ods_user', target: 'dwd_user' }]);
    expect(r.consistent).toBe(true);
    expect(r.layerWarnings).toEqual([]);
  });

  it('names every difference between the SQL and the declarations', () => {
    const r = comparePreview(
      { inputs: ['ods_user', 'ods_order'], outputs: ['dwd_user'] },
      { inputs: ['ods_user', 'dim_city'], outputs: ['dwd_user', 'dwd_extra'] },
      layers,
    );
    expect(r.undeclaredInputs).toEqual(['ods_order']);
    expect(r.unusedInputs).toEqual(['dim_city']);
    expect(r.unwrittenOutputs).toEqual(['dwd_extra']);
    expect(r.undeclaredOutputs).toEqual([]);
    expect(r.consistent).toBe(false);
  });

  it('warns when data flows backward or straight from ODS to ADS', () => {
    const back = comparePreview(
      { inputs: ['dwd_user'], outputs: ['ods_user'] },
      { inputs: [], outputs: [] },
      layers,
    );
    expect(back.layerWarnings[0]).toContain('backward');
    const skip = comparePreview(
      { inputs: ['ods_user'], outputs: ['ads_report'] },
      { inputs: [], outputs: [] },
      layers,
    );
    expect(skip.layerWarnings[0]).toContain('ADS must be built from cleaned data');
  });

  it('takes an unregistered table’s layer from its name', () => {
    expect(layerOf('dws_sales_1d', new Map())).toBe('DWS');
    expect(layerOf('ods.ods_user', new Map())).toBe('ODS');
    expect(layerOf('misc', new Map())).toBeUndefined();
  });
});

describe('LineagePreview', () => {
  it('asks the server about the SQL as it is typed and highlights the differences', async () => {
    const api = fakeApi({
      'POST /api/v1/sql/lineage': (_req, body) => {
        const sql = (body as { sql: string }).sql;
        const m = /insert into (\w+) select \* from (\w+)/i.exec(sql);
        return {
          body: {
            dialect: 'doris',
            inputs: m ? [m[2]] : [],
            outputs: m ? [m[1]] : [],
            unregistered_tables: ['dwd_user'],
            confidence: 1,
          },
        };
      },
    });
    const wrapper = mount(LineagePreview, {
      global: { plugins: [i18n] },
      props: {
        sql: 'insert into dwd_user select * from ods_user',
        dialect: 'doris',
        inputs: [],
        outputs: ['dwd_user'],
        layers: new Map([['ods_user', 'ODS']]),
        debounceMs: 5,
      },
    });
    await eventually(() =>
      expect(wrapper.find('[data-testid="preview-edge"]').exists()).toBe(true),
    );
    expect(wrapper.find('[data-testid="preview-edge"]').text()).toMatch(
      /ods_user\s*ODS\s*→\s*dwd_user\s*DWD/,
    );
    expect(wrapper.find('[data-testid="preview-differences"]').text()).toContain('ods_user');
    expect(wrapper.text()).toContain('read by the SQL but not declared');
    expect(api.calls[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/sql/lineage',
      body: { sql: 'insert into dwd_user select * from ods_user', dialect: 'doris' },
    });

    await wrapper.find('[data-testid="use-parsed"]').trigger('click');
    expect(wrapper.emitted('useParsed')?.[0]).toEqual([['ods_user'], ['dwd_user']]);

    await wrapper.setProps({ inputs: ['ods_user'] });
    await eventually(() =>
      expect(wrapper.find('[data-testid="preview-consistent"]').exists()).toBe(true),
    );

    await wrapper.setProps({ sql: 'insert into dwd_order select * from ods_order' });
    await eventually(() =>
      expect(wrapper.find('[data-testid="preview-edges"]').text()).toContain('ods_order'),
    );
    expect(api.calls.length).toBe(2);
  });

  it('shows the API’s message when the analysis fails', async () => {
    fakeApi({
      'POST /api/v1/sql/lineage': () => ({
        status: 422,
        body: {
          statusCode: 422,
          code: 'SQL_PARSE_FAILED',
          error: 'Unprocessable Entity',
          message: 'cannot parse SQL near "selec"',
        },
      }),
    });
    const wrapper = mount(LineagePreview, {
      global: { plugins: [i18n] },
      props: {
        sql: 'selec',
        dialect: 'doris',
        inputs: [],
        outputs: [],
        layers: new Map(),
        debounceMs: 1,
      },
    });
    await eventually(() => expect(wrapper.text()).toContain('cannot parse SQL near "selec"'));
  });
});
