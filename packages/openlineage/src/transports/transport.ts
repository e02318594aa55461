import type { RunEvent } from '../model';

/**
 * Where events go. `emit` resolves once the event is delivered or safely queued; it never rejects
 * for a delivery failure that the transport can retry later.
 *
 * @example
 * ```ts
 * import type { OpenLineageTransport, RunEvent } from '@dataportal/openlineage';
 * const seen: RunEvent[] = [];
 * const memory: OpenLineageTransport = { emit: async (e) => { seen.push(e); }, close: async () => {} };
 * ```
 */
export interface OpenLineageTransport {
  /**
   * Sends one event (or queues it for a later attempt).
   *
   * @param event - the event
   */
  emit(event: RunEvent): Promise<void>;
  /** Flushes what can be flushed and releases timers and handles. */
  close(): Promise<void>;
}
