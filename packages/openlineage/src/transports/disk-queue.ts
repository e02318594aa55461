import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenLineageError } from '../errors';
import type { RunEvent } from '../model';

const NAME = /^(\d{16})\.json$/;

/**
 * A bounded FIFO of events in a folder, one file per event named by a sequence number, written
 * atomically (temporary file + rename) so a crash never leaves half an event. Survives restarts:
 * a new queue on the same folder continues where the old one stopped.
 *
 * @internal
 */
export class DiskQueue {
  readonly #dir: string;
  readonly #max: number;
  #seqs: number[] | undefined;
  #next = 0;

  constructor(dir: string, maxEvents: number) {
    this.#dir = dir;
    this.#max = maxEvents;
  }

  async #load(): Promise<number[]> {
    if (this.#seqs !== undefined) return this.#seqs;
    try {
      await mkdir(this.#dir, { recursive: true });
      const names = await readdir(this.#dir);
      const seqs = names
        .map((n) => NAME.exec(n)?.[1])
        .filter((s): s is string => s !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
      this.#seqs = seqs;
      this.#next = (seqs[seqs.length - 1] ?? 0) + 1;
      return seqs;
    } catch (err) {
      throw new OpenLineageError('QUEUE_FAILED', `openlineage: cannot read queue ${this.#dir}`, {
        cause: err,
      });
    }
  }

  #file(seq: number): string {
    return join(this.#dir, `${String(seq).padStart(16, '0')}.json`);
  }

  /** Number of queued events. */
  async size(): Promise<number> {
    return (await this.#load()).length;
  }

  /** Appends an event; when full, drops the oldest and returns how many were dropped. */
  async push(event: RunEvent): Promise<number> {
    const seqs = await this.#load();
    const seq = this.#next++;
    const file = this.#file(seq);
    try {
      await writeFile(`${file}.tmp`, JSON.stringify(event), 'utf8');
      await rename(`${file}.tmp`, file);
    } catch (err) {
      throw new OpenLineageError('QUEUE_FAILED', `openlineage: cannot write queue ${this.#dir}`, {
        cause: err,
      });
    }
    seqs.push(seq);
    let dropped = 0;
    while (seqs.length > this.#max) {
      const old = seqs.shift();
      if (old !== undefined) await rm(this.#file(old), { force: true });
      dropped++;
    }
    return dropped;
  }

  /** The oldest event without removing it. */
  async peek(): Promise<{ seq: number; event: RunEvent } | undefined> {
    const seqs = await this.#load();
    while (seqs.length > 0) {
      const seq = seqs[0] as number;
      try {
        const text = await readFile(this.#file(seq), 'utf8');
        return { seq, event: JSON.parse(text) as RunEvent };
      } catch {
        // A file removed or corrupted outside the queue is skipped, not retried forever.
        seqs.shift();
        await rm(this.#file(seq), { force: true });
      }
    }
    return undefined;
  }

  /** Removes the event `seq` after delivery. */
  async remove(seq: number): Promise<void> {
    const seqs = await this.#load();
    const i = seqs.indexOf(seq);
    if (i >= 0) seqs.splice(i, 1);
    await rm(this.#file(seq), { force: true });
  }
}

/**
 * The same FIFO in memory, for a transport configured without a folder.
 *
 * @internal
 */
export class MemoryQueue {
  readonly #items: Array<{ seq: number; event: RunEvent }> = [];
  readonly #max: number;
  #next = 0;

  constructor(maxEvents: number) {
    this.#max = maxEvents;
  }

  async size(): Promise<number> {
    return this.#items.length;
  }

  async push(event: RunEvent): Promise<number> {
    this.#items.push({ seq: this.#next++, event });
    let dropped = 0;
    while (this.#items.length > this.#max) {
      this.#items.shift();
      dropped++;
    }
    return dropped;
  }

  async peek(): Promise<{ seq: number; event: RunEvent } | undefined> {
    return this.#items[0];
  }

  async remove(seq: number): Promise<void> {
    const i = this.#items.findIndex((x) => x.seq === seq);
    if (i >= 0) this.#items.splice(i, 1);
  }
}
