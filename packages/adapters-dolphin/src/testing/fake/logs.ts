import type { DolphinNames } from '../../version';
import { ApiError, javaSplitCount, num, type Params, type Route, r } from './core';
import { FakeInstances } from './instances';

/**
 * The fake's task logs.
 */
export class FakeLogs extends FakeInstances {
  protected log(p: Params): unknown {
    const id = num(p['taskInstanceId'], -1);
    const found = this.state.instances
      .flatMap((i) => i.tasks.map((t) => ({ i, t })))
      .find(({ t }) => t.id === id);
    if (!found) throw new ApiError(10008, `task instance ${id} not found`);
    if (!found.t.host) throw new ApiError(10191, 'task instance host is null');
    const skip = num(p['skipLineNum'], 0);
    const limit = num(p['limit'], 0);
    // Worker: file lines joined with \r\n, page cut after 64 KiB (LogUtils.rollViewLogLines).
    let body = '';
    let bytes = 0;
    for (const line of found.t.log.slice(skip, skip + limit)) {
      body += `${line}\r\n`;
      bytes += Buffer.byteLength(line, 'utf8');
      if (bytes >= 65_535) break;
    }
    // API: header (system line separator) on the first page; lineNum = split("\r\n").length.
    const header =
      skip === 0
        ? `[LOG-PATH]: /opt/ds/logs/${found.i.id}/${found.t.id}.log, [HOST]: ${found.t.host}\n`
        : '';
    const message = header + body;
    return { lineNum: javaSplitCount(message, '\r\n'), message };
  }

  /** The logs endpoints. */
  protected logsRoutes(_n: DolphinNames): Route[] {
    return [
      r('GET', '/log/detail', 10103, ({ p }) => this.log(p), {
        required: ['taskInstanceId', 'skipLineNum', 'limit'],
      }),
    ];
  }
}
