import { z } from 'zod';
import {
  AlertGroupSchema,
  AlertPluginInstanceSchema,
  DatasourceSchema,
  type DolphinAlertGroup,
  type DolphinAlertPluginInstance,
  type DolphinDatasource,
  type DolphinUiPlugin,
  UiPluginSchema,
} from '../schemas';
import {
  type DolphinAlertParams,
  type DolphinCallOptions,
  type DolphinPage,
  NullishData,
  pageOf,
  pluginFields,
} from './common';
import { DolphinLogsApi } from './logs';

/**
 * Data sources, UI plugins, alert plugin instances and alert groups (part of {@link DolphinClient}).
 *
 * @internal
 */
export class DolphinAlertsApi extends DolphinLogsApi {
  /**
   * Lists data sources (paged, `searchVal` filters by name).
   *
   * @param query - search value and paging
   * @param options - abort signal
   * @returns a page of data sources
   */
  async listDatasources(
    query: {
      readonly searchVal?: string;
      readonly pageNo?: number;
      readonly pageSize?: number;
    } = {},
    options?: DolphinCallOptions,
  ): Promise<DolphinPage<DolphinDatasource>> {
    return this.send(
      {
        op: 'listDatasources',
        method: 'GET',
        path: 'datasources',
        params: {
          searchVal: query.searchVal,
          pageNo: query.pageNo ?? 1,
          pageSize: query.pageSize ?? 100,
        },
        schema: pageOf(DatasourceSchema),
      },
      options ?? {},
    );
  }

  /**
   * Lists UI plugin definitions of a type (e.g. `ALERT`).
   *
   * @param pluginType - `ALERT`, `TASK`, …
   * @param options - abort signal
   * @returns the plugin definitions
   */
  async listUiPlugins(
    pluginType: string,
    options?: DolphinCallOptions,
  ): Promise<DolphinUiPlugin[]> {
    return this.send(
      {
        op: 'listUiPlugins',
        method: 'GET',
        path: 'ui-plugins/query-by-type',
        params: { pluginType },
        schema: z.array(UiPluginSchema),
      },
      options ?? {},
    );
  }

  /**
   * Lists alert plugin instances.
   *
   * @param options - abort signal
   * @returns the instances
   */
  async listAlertPluginInstances(
    options?: DolphinCallOptions,
  ): Promise<DolphinAlertPluginInstance[]> {
    return this.send(
      {
        op: 'listAlertPluginInstances',
        method: 'GET',
        path: 'alert-plugin-instances/list',
        // 3.1.1 answers `data: null` while there is no instance (measured, reference §12).
        schema: z
          .array(AlertPluginInstanceSchema)
          .nullable()
          .transform((list) => list ?? []),
      },
      options ?? {},
    );
  }

  /**
   * Creates an alert plugin instance. On 3.2 `instanceType=NORMAL` and `warningType=ALL` are sent
   * (required there).
   *
   * @param input - plugin id, instance name and the plugin's field values
   * @param options - abort signal
   * @returns the instance
   */
  async createAlertPluginInstance(
    input: {
      readonly pluginDefineId: number;
      readonly instanceName: string;
      readonly params: DolphinAlertParams;
    },
    options?: DolphinCallOptions,
  ): Promise<DolphinAlertPluginInstance> {
    const fields = pluginFields(input.params);
    return this.call(
      (n) => ({
        op: 'createAlertPluginInstance',
        method: 'POST',
        path: 'alert-plugin-instances',
        params: {
          pluginDefineId: input.pluginDefineId,
          instanceName: input.instanceName,
          pluginInstanceParams: JSON.stringify(fields),
          instanceType: n.alertInstanceTypeRequired ? 'NORMAL' : undefined,
          warningType: n.alertInstanceTypeRequired ? 'ALL' : undefined,
        },
        schema: AlertPluginInstanceSchema,
      }),
      options,
    );
  }

  /**
   * Updates an alert plugin instance's fields.
   *
   * @param id - instance id
   * @param input - instance name and the plugin's field values
   * @param options - abort signal
   */
  async updateAlertPluginInstance(
    id: number,
    input: { readonly instanceName: string; readonly params: DolphinAlertParams },
    options?: DolphinCallOptions,
  ): Promise<void> {
    const fields = pluginFields(input.params);
    await this.call(
      (n) => ({
        op: 'updateAlertPluginInstance',
        method: 'PUT',
        path: `alert-plugin-instances/${id}`,
        params: {
          instanceName: input.instanceName,
          pluginInstanceParams: JSON.stringify(fields),
          instanceType: n.alertInstanceTypeRequired ? 'NORMAL' : undefined,
          warningType: n.alertInstanceTypeRequired ? 'ALL' : undefined,
        },
        schema: NullishData,
      }),
      options,
    );
  }

  /**
   * Lists alert groups.
   *
   * @param options - abort signal
   * @returns the groups
   */
  async listAlertGroups(options?: DolphinCallOptions): Promise<DolphinAlertGroup[]> {
    return this.send(
      {
        op: 'listAlertGroups',
        method: 'GET',
        path: 'alert-groups/list',
        schema: z.array(AlertGroupSchema),
      },
      options ?? {},
    );
  }

  /**
   * Creates an alert group of plugin instances.
   *
   * @param input - group name, description and instance ids
   * @param options - abort signal
   * @returns the group
   */
  async createAlertGroup(
    input: {
      readonly groupName: string;
      readonly description?: string;
      readonly alertInstanceIds: readonly number[];
    },
    options?: DolphinCallOptions,
  ): Promise<DolphinAlertGroup> {
    return this.send(
      {
        op: 'createAlertGroup',
        method: 'POST',
        path: 'alert-groups',
        params: {
          groupName: input.groupName,
          description: input.description,
          alertInstanceIds: input.alertInstanceIds.join(','),
        },
        schema: AlertGroupSchema,
      },
      options ?? {},
    );
  }
}
