import type { RunEvent } from '../model';
import type { OpenLineageTransport } from './transport';

/**
 * Writes each event as one JSON line to a writer (the server passes its logger or stdout).
 *
 * @example
 * ```ts
 * import { ConsoleTransport } from '@dataportal/openlineage';
 * const t = new ConsoleTransport((line) => process.stdout.write(`${line}\n`));
 * ```
 */
export class ConsoleTransport implements OpenLineageTransport {
  readonly #write: (line: string) => void;

  /**
   * @param write - receives one JSON line per event
   */
  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  /**
   * Writes the event.
   *
   * @param event - the event
   */
  async emit(event: RunEvent): Promise<void> {
    this.#write(JSON.stringify(event));
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
