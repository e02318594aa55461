import ky, { HTTPError } from 'ky';
import { OpenLineageError } from '../errors';
import type { RunEvent } from '../model';
import { DiskQueue, MemoryQueue } from './disk-queue';
import type { OpenLineageTransport } from './transport';

/**
 * Configuration of an {@link HttpTransport}, named after the OpenLineage clients' settings
 * (`OPENLINEAGE_URL`, `OPENLINEAGE_ENDPOINT`, `OPENLINEAGE_API_KEY`).
 *
 * @example
 * ```ts
 * import type { HttpTransportConfig } from '@dataportal/openlineage';
 * const marquez: HttpTransportConfig = { url: 'http://marquez:5000' };
 * const datahub: HttpTransportConfig = { url: 'http://datahub-gms:8080', endpoint: 'openapi/openlineage/api/v1/lineage', apiKey: 'token' };
 * ```
 */
export interface HttpTransportConfig {
  /** Base URL of the consumer (`http://marquez:5000`). */
  readonly url: string;
  /**
   * Path of the lineage endpoint under `url`. Defaults to `api/v1/lineage` (Marquez); DataHub
   * uses `openapi/openlineage/api/v1/lineage`, OpenMetadata `v1/openlineage/lineage`.
   */
  readonly endpoint?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string;
  /** Per-attempt timeout in milliseconds. Defaults to 5 000. */
  readonly timeoutMs?: number;
  /** Attempts per delivery after the first (exponential backoff, capped). Defaults to 3. */
  readonly retries?: number;
  /** Cap of one backoff delay in milliseconds. Defaults to 10 000. */
  readonly maxBackoffMs?: number;
  /**
   * Folder of the on-disk queue. Undelivered events wait there, in order, across restarts.
   * Without it the queue lives in memory (and is lost with the process).
   */
  readonly queueDir?: string;
  /** The most events the queue holds; beyond it the oldest are dropped. Defaults to 10 000. */
  readonly maxQueuedEvents?: number;
  /** Delay before the queue is tried again after a failed delivery. Defaults to 5 000 ms. */
  readonly retryIntervalMs?: number;
  /** Called when events are dropped (a full queue, or the consumer rejected an event as invalid). */
  readonly onDrop?: (info: {
    readonly reason: 'queue-full' | 'rejected';
    readonly count: number;
  }) => void;
  /** Called when a delivery fails (the events stay queued). */
  readonly onError?: (error: unknown) => void;
  /** A `fetch` implementation (tests); defaults to the global one. */
  readonly fetch?: typeof fetch;
}

interface Queue {
  size(): Promise<number>;
  push(event: RunEvent): Promise<number>;
  peek(): Promise<{ seq: number; event: RunEvent } | undefined>;
  remove(seq: number): Promise<void>;
}

/** Statuses that mean "this event will never be accepted": drop it instead of blocking the queue. */
function isPermanentRejection(err: unknown): boolean {
  if (!(err instanceof HTTPError)) return false;
  const s = err.response.status;
  return s >= 400 && s < 500 && s !== 401 && s !== 403 && s !== 408 && s !== 429;
}

/**
 * Posts events to an OpenLineage HTTP endpoint (Marquez, DataHub, OpenMetadata): bearer auth,
 * retries with exponential backoff (ky), and a bounded queue — on disk when `queueDir` is set —
 * so that an outage of the consumer loses nothing: events wait in order and are sent when it is
 * back. `emit` resolves once the event is delivered or queued.
 *
 * @example
 * ```ts
 * import { HttpTransport } from '@dataportal/openlineage';
 * const t = new HttpTransport({ url: 'http://marquez:5000', queueDir: '/var/lib/dataportal/ol-queue' });
 * ```
 */
export class HttpTransport implements OpenLineageTransport {
  readonly #config: HttpTransportConfig;
  readonly #queue: Queue;
  readonly #target: string;
  readonly #client: typeof ky;
  #draining: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  /**
   * @param config - URL, endpoint, key, retries and queue
   * @throws {@link OpenLineageError} with code INVALID_CONFIG when the URL is not http(s)
   */
  constructor(config: HttpTransportConfig) {
    if (!/^https?:\/\//i.test(config.url)) {
      throw new OpenLineageError('INVALID_CONFIG', 'openlineage: url must be http(s)://…', {
        details: { field: 'url' },
      });
    }
    this.#config = config;
    const endpoint = (config.endpoint ?? 'api/v1/lineage').replace(/^\/+/, '');
    this.#target = `${config.url.replace(/\/+$/, '')}/${endpoint}`;
    const max = config.maxQueuedEvents ?? 10_000;
    this.#queue =
      config.queueDir === undefined ? new MemoryQueue(max) : new DiskQueue(config.queueDir, max);
    const maxBackoff = config.maxBackoffMs ?? 10_000;
    this.#client = ky.create({
      timeout: config.timeoutMs ?? 5000,
      retry: {
        limit: config.retries ?? 3,
        // Posting the same event again is safe: consumers key runs by runId and event type.
        methods: ['post'],
        statusCodes: [408, 429, 500, 502, 503, 504],
        backoffLimit: maxBackoff,
        delay: (attempt) => Math.min(maxBackoff, 200 * 2 ** (attempt - 1)),
        retryOnTimeout: true,
      },
      headers: config.apiKey === undefined ? {} : { authorization: `Bearer ${config.apiKey}` },
      ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
    });
  }

  /** The full URL events are posted to. */
  get target(): string {
    return this.#target;
  }

  /** Number of events waiting for delivery. */
  pending(): Promise<number> {
    return this.#queue.size();
  }

  /**
   * Queues the event and tries to deliver the queue in order.
   *
   * @param event - the event
   * @throws {@link OpenLineageError} with code QUEUE_FAILED when the queue cannot be written
   */
  async emit(event: RunEvent): Promise<void> {
    const dropped = await this.#queue.push(event);
    if (dropped > 0) this.#config.onDrop?.({ reason: 'queue-full', count: dropped });
    await this.flush();
  }

  /**
   * Tries to deliver every queued event now (one drain at a time).
   *
   * @returns the number of events still queued
   */
  async flush(): Promise<number> {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = null;
    });
    await this.#draining;
    return this.#queue.size();
  }

  async #drain(): Promise<void> {
    for (;;) {
      const head = await this.#queue.peek();
      if (head === undefined) return;
      try {
        await this.#client.post(this.#target, { json: head.event });
      } catch (err) {
        if (isPermanentRejection(err)) {
          await this.#queue.remove(head.seq);
          this.#config.onDrop?.({ reason: 'rejected', count: 1 });
          this.#config.onError?.(err);
          continue;
        }
        this.#config.onError?.(err);
        this.#schedule();
        return;
      }
      await this.#queue.remove(head.seq);
    }
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush().catch((err: unknown) => this.#config.onError?.(err));
    }, this.#config.retryIntervalMs ?? 5000);
    // A waiting retry must not keep the process alive; the queue is on disk.
    this.#timer.unref?.();
  }

  /** Stops retrying; queued events stay on disk for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#draining;
  }
}
