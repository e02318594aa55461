import { OpenLineageError } from '../errors';
import type { RunEvent } from '../model';
import { ConsoleTransport } from './console-transport';
import { FileTransport } from './file-transport';
import { HttpTransport, type HttpTransportConfig } from './http-transport';
import type { OpenLineageTransport } from './transport';

/**
 * Which transport to build and its settings.
 *
 * @example
 * ```ts
 * import type { TransportConfig } from '@dataportal/openlineage';
 * const http: TransportConfig = { type: 'http', url: 'http://marquez:5000' };
 * const file: TransportConfig = { type: 'file', path: './openlineage.ndjson' };
 * ```
 */
export type TransportConfig =
  | ({ readonly type: 'http' } & HttpTransportConfig)
  | { readonly type: 'file'; readonly path: string }
  | { readonly type: 'console'; readonly write: (line: string) => void }
  | { readonly type: 'composite'; readonly transports: ReadonlyArray<TransportConfig> };

/**
 * Builds a transport from its configuration. `composite` sends every event to each transport.
 *
 * @param config - the transport's type and settings
 * @returns the transport
 * @throws {@link OpenLineageError} with code INVALID_CONFIG for a malformed configuration
 * @example
 * ```ts
 * import { createTransport } from '@dataportal/openlineage';
 * const t = createTransport({ type: 'file', path: './openlineage.ndjson' });
 * ```
 */
export function createTransport(config: TransportConfig): OpenLineageTransport {
  switch (config.type) {
    case 'http':
      return new HttpTransport(config);
    case 'file':
      return new FileTransport(config.path);
    case 'console':
      return new ConsoleTransport(config.write);
    case 'composite': {
      const parts = config.transports.map(createTransport);
      return {
        async emit(event: RunEvent) {
          await Promise.all(parts.map((p) => p.emit(event)));
        },
        async close() {
          await Promise.all(parts.map((p) => p.close()));
        },
      };
    }
    default:
      throw new OpenLineageError('INVALID_CONFIG', 'openlineage: unknown transport type', {
        details: { type: (config as { type?: unknown }).type },
      });
  }
}
