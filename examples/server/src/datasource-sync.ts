import {
  type Datasource,
  getSecret,
  type MetadataSyncProgress,
  type MetadataSyncReport,
  type PortalService,
  type SecretBox,
  SYNCABLE_DATASOURCE_KINDS,
  type SyncMetadataOptions,
  syncMetadata,
} from '@dataportal/sdk';

/** What a sync may narrow or change (the REST body and the CLI flags map onto it). */
export type DatasourceSyncOptions = Pick<
  SyncMetadataOptions,
  | 'databases'
  | 'tables'
  | 'catalog'
  | 'registerUnknown'
  | 'defaultLayer'
  | 'updateFields'
  | 'exactCounts'
>;

/**
 * Syncs one datasource's metadata over the MySQL protocol with mysql2: the one place the
 * server opens warehouse connections, shared by the REST route, the CLI and the periodic sync.
 *
 * @param portal - the portal
 * @param datasource - the datasource to read
 * @param options - scope and behaviour, plus the password resolver and progress callback
 * @returns the sync report
 */
export async function runDatasourceSync(
  portal: PortalService,
  datasource: Datasource,
  options: DatasourceSyncOptions & {
    readonly resolvePassword: (ref: string) => string | undefined;
    readonly onProgress?: (p: MetadataSyncProgress) => void;
    /** Decrypts passwords stored encrypted in the store (`secret:<name>` found in `dp_secret`). */
    readonly secretBox?: SecretBox | null;
  },
): Promise<MetadataSyncReport> {
  const mysql = (await import('mysql2/promise')).default;
  const { resolvePassword: fromEnv, onProgress, secretBox, ...scope } = options;
  const ref = datasource.passwordRef;
  const stored =
    secretBox && ref?.startsWith('secret:')
      ? await getSecret(portal.store, secretBox, ref.slice('secret:'.length))
      : undefined;
  const resolvePassword = (r: string) => (r === ref && stored !== undefined ? stored : fromEnv(r));
  return syncMetadata(portal, datasource, {
    ...scope,
    resolvePassword,
    ...(onProgress && { onProgress }),
    connect: async (t) =>
      mysql.createConnection({
        host: t.host,
        port: t.port,
        ...(t.user !== undefined && { user: t.user }),
        ...(t.password !== undefined && { password: t.password }),
        ...(t.database !== undefined && { database: t.database }),
        connectTimeout: 10_000,
      }),
  });
}

/** A periodic sync of every syncable datasource; see {@link startPeriodicSync}. */
export interface PeriodicSync {
  /** Stops the timer and waits for a sync in progress. */
  stop(): Promise<void>;
}

/**
 * Syncs every Doris/MySQL/MariaDB datasource every `intervalMs`, one after another, reporting
 * each result (or failure) to `onResult`. A failing datasource never stops the others.
 *
 * @param portal - the portal
 * @param options - interval, password resolver and result callback
 * @returns a handle to stop it
 */
export function startPeriodicSync(
  portal: PortalService,
  options: {
    readonly intervalMs: number;
    readonly resolvePassword: (ref: string) => string | undefined;
    readonly secretBox?: SecretBox | null;
    readonly onResult: (
      datasource: string,
      result: { readonly report?: MetadataSyncReport; readonly error?: unknown },
    ) => void;
  },
): PeriodicSync {
  let stopped = false;
  let running: Promise<void> | null = null;
  const pass = async () => {
    for (const ds of await portal.listDatasources()) {
      if (stopped) return;
      if (!SYNCABLE_DATASOURCE_KINDS.includes(ds.kind)) continue;
      try {
        const report = await runDatasourceSync(portal, ds, {
          resolvePassword: options.resolvePassword,
          secretBox: options.secretBox ?? null,
        });
        options.onResult(ds.name, { report });
      } catch (error) {
        options.onResult(ds.name, { error });
      }
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = pass()
      .catch((error: unknown) => options.onResult('*', { error }))
      .finally(() => {
        running = null;
      });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
