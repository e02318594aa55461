import { LogPageSchema } from '../schemas';
import { type DolphinCallOptions, type DolphinLogChunk, LOG_PAGE_BYTE_CAP } from './common';
import { DolphinInstancesApi } from './instances';

/**
 * Task logs (part of {@link DolphinClient}).
 *
 * @internal
 */
export class DolphinLogsApi extends DolphinInstancesApi {
  /**
   * Reads one page of a task instance's log (line-based paging).
   *
   * @param taskInstanceId - task instance id
   * @param page - lines to skip and the page size
   * @param options - abort signal
   * @returns the page's text and line count
   */
  async getLogPage(
    taskInstanceId: number,
    page: { readonly skipLineNum: number; readonly limit: number },
    options?: DolphinCallOptions,
  ): Promise<{ readonly lineNum: number; readonly message: string }> {
    return this.send(
      {
        op: 'getLogPage',
        method: 'GET',
        path: 'log/detail',
        params: { taskInstanceId, skipLineNum: page.skipLineNum, limit: page.limit },
        schema: LogPageSchema,
      },
      options ?? {},
    );
  }

  /**
   * Reads one page of a task instance's log and counts the log-file lines it holds.
   *
   * The server joins file lines with `\r\n`, prefixes the first page with a
   * `[LOG-PATH]: …, [HOST]: …` header line (not a file line), stops a page early after 64 KiB and
   * reports `lineNum` as the number of `\r\n`-separated segments (1 for an empty page), so the
   * file lines are counted here instead.
   *
   * @param taskInstanceId - task instance id
   * @param page - file lines to skip and the page size
   * @param options - abort signal
   * @returns the text (line endings normalised to `\n`), the number of file lines, and whether the end was reached
   * @example
   * ```ts
   * const first = await client.readLogPage(taskInstanceId, { skipLineNum: 0, limit: 500 });
   * const next = first.end ? null : await client.readLogPage(taskInstanceId, { skipLineNum: first.lines, limit: 500 });
   * ```
   */
  async readLogPage(
    taskInstanceId: number,
    page: { readonly skipLineNum: number; readonly limit: number },
    options?: DolphinCallOptions,
  ): Promise<DolphinLogChunk> {
    const raw = await this.getLogPage(taskInstanceId, page, options);
    const message = raw.message;
    const lines = message.split('\r\n').length - 1;
    const bytes = Buffer.byteLength(message, 'utf8');
    return {
      text: message.replace(/\r\n/g, '\n'),
      lines,
      end: lines === 0 || (lines < page.limit && bytes < LOG_PAGE_BYTE_CAP),
    };
  }

  /**
   * Reads a task instance's whole log, page by page to the end.
   *
   * @param taskInstanceId - task instance id
   * @param options - page size (default 1000 lines), abort signal
   * @returns the log text (with the `[LOG-PATH]` header line)
   * @example
   * ```ts
   * console.log(await client.readLog(taskInstanceId));
   * ```
   */
  async readLog(
    taskInstanceId: number,
    options: DolphinCallOptions & { readonly pageLines?: number } = {},
  ): Promise<string> {
    const limit = options.pageLines ?? 1000;
    const parts: string[] = [];
    let skip = 0;
    for (;;) {
      const page = await this.readLogPage(taskInstanceId, { skipLineNum: skip, limit }, options);
      parts.push(page.text);
      skip += page.lines;
      if (page.end) break;
    }
    return parts.join('');
  }
}
