import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OpenLineageError } from '../errors';
import type { RunEvent } from '../model';
import type { OpenLineageTransport } from './transport';

/**
 * Appends each event as one line of NDJSON to a file (created with its folder when missing).
 * Appends are serialised, so lines never interleave.
 *
 * @example
 * ```ts
 * import { FileTransport } from '@dataportal/openlineage';
 * const t = new FileTransport('/var/log/dataportal/openlineage.ndjson');
 * ```
 */
export class FileTransport implements OpenLineageTransport {
  readonly #path: string;
  #tail: Promise<void> = Promise.resolve();

  /**
   * @param path - the NDJSON file
   */
  constructor(path: string) {
    if (path === '')
      throw new OpenLineageError('INVALID_CONFIG', 'openlineage: file path is empty');
    this.#path = path;
  }

  /**
   * Appends the event.
   *
   * @param event - the event
   * @throws {@link OpenLineageError} with code TRANSPORT_FAILED when the file cannot be written
   */
  emit(event: RunEvent): Promise<void> {
    const line = `${JSON.stringify(event)}\n`;
    const next = this.#tail.then(async () => {
      try {
        await mkdir(dirname(this.#path), { recursive: true });
        await appendFile(this.#path, line, 'utf8');
      } catch (err) {
        throw new OpenLineageError(
          'TRANSPORT_FAILED',
          `openlineage: cannot append to ${this.#path}`,
          {
            cause: err,
          },
        );
      }
    });
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Waits for pending appends. */
  async close(): Promise<void> {
    await this.#tail;
  }
}
