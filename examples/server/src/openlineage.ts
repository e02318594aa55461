import {
  createTransport,
  OpenLineageEmitter,
  type OpenLineageTransport,
} from '@dataportal/openlineage';
import type { PortalService } from '@dataportal/sdk';
import type { OpenLineageConfig } from './config';

/** Where the OpenLineage wiring logs. */
export interface OpenLineageLogger {
  /** Something went wrong but the portal carries on. */
  warn(obj: Record<string, unknown>, msg: string): void;
}

/**
 * The transport the configuration asks for: HTTP to `OPENLINEAGE_URL` + `OPENLINEAGE_ENDPOINT`
 * with the bearer key and an on-disk queue under the data folder, an NDJSON file, or stdout.
 *
 * @param config - the OpenLineage settings
 * @param log - receives delivery failures and drops
 * @returns the transport
 */
export function openLineageTransport(
  config: OpenLineageConfig,
  log: OpenLineageLogger,
): OpenLineageTransport {
  if (config.transport === 'http' && config.url !== null) {
    return createTransport({
      type: 'http',
      url: config.url,
      ...(config.endpoint !== null && { endpoint: config.endpoint }),
      ...(config.apiKey !== null && { apiKey: config.apiKey }),
      queueDir: config.queueDir,
      onError: (err) => log.warn({ err }, 'openlineage: delivery failed; events stay queued'),
      onDrop: (d) => log.warn({ ...d }, 'openlineage: events dropped'),
    });
  }
  if (config.transport === 'file') return createTransport({ type: 'file', path: config.file });
  return createTransport({
    type: 'console',
    write: (line) => process.stdout.write(`${line}\n`),
  });
}

/**
 * An emitter of the portal's runs as OpenLineage events over the configured transport.
 *
 * @param config - the OpenLineage settings
 * @param portal - the portal whose runs are reported
 * @param log - receives failures
 * @returns the emitter (close its transport on shutdown)
 */
export function createOpenLineageEmitter(
  config: OpenLineageConfig,
  portal: PortalService,
  log: OpenLineageLogger,
): OpenLineageEmitter {
  return new OpenLineageEmitter({
    portal,
    namespace: config.namespace,
    transport: openLineageTransport(config, log),
    onError: (err) => log.warn({ err }, 'openlineage: could not build an event'),
  });
}
