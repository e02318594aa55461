import { redactUrl } from '@dataportal/sdk';
import { type Logger, type LoggerOptions, pino } from 'pino';
import { REDACTED_LOG_PATHS } from './app';
import type { ServerConfig } from './config';

/** `pretty`: coloured lines for people (pino-pretty); `json`: one JSON object per line. */
export type LogFormat = 'pretty' | 'json';

/** Options pino-pretty runs with: one line per entry, local time, no pid/hostname noise. */
export const PRETTY_OPTIONS = {
  colorize: true,
  singleLine: true,
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname,reqId,method,url,statusCode,ms,remote',
} as const;

/**
 * Picks the log format: `DATAPORTAL_LOG_FORMAT` when set, otherwise pretty when stdout is a
 * terminal and JSON when it is a pipe or a file (log collectors read JSON).
 *
 * @param configured - the configured format, or `auto`
 * @param isTty - whether stdout is a terminal
 * @returns the format to use
 */
export function chooseLogFormat(configured: LogFormat | 'auto', isTty: boolean): LogFormat {
  if (configured !== 'auto') return configured;
  return isTty ? 'pretty' : 'json';
}

/**
 * pino options for the server: secrets redacted; with `pretty`, pino-pretty as a transport (it
 * formats in a worker thread, off the event loop).
 *
 * @param level - the log level
 * @param format - pretty or JSON
 * @returns the options for `pino()`
 */
export function serverLoggerOptions(level: string, format: LogFormat): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
    ...(format === 'pretty' && {
      transport: { target: 'pino-pretty', options: { ...PRETTY_OPTIONS } },
    }),
  };
}

/**
 * Creates the server's logger (see {@link serverLoggerOptions}).
 *
 * @param level - the log level
 * @param format - pretty or JSON
 * @returns the logger
 */
export function createServerLogger(level: string, format: LogFormat): Logger {
  return pino(serverLoggerOptions(level, format));
}

/** What the banner reports about the running server. */
export interface BannerFacts {
  /** Base URL people open. */
  readonly url: string;
  /** Store URL (password masked here). */
  readonly store: string;
  /** One entry per engine, configured or not. */
  readonly engines: readonly string[];
  /** Interactive API docs. */
  readonly docs: string;
  /** Where the guides live. */
  readonly guides: string;
}

/**
 * The start-up banner's facts: URL, store, every engine (embedded, real with its address, or
 * not configured with the variables to set) and where the docs are.
 *
 * @param config - the server configuration
 * @param url - the base URL the server answers on
 * @returns the facts
 */
export function bannerFacts(config: ServerConfig, url: string): BannerFacts {
  const engines = [
    config.localEngine
      ? `local: embedded, runs batch SQL ${config.warehouseUrl ? `on ${redactUrl(config.warehouseUrl)}` : `on SQLite files in ${config.dataDir}/warehouse`}`
      : 'local: off (DATAPORTAL_LOCAL_ENGINE=false)',
    config.dolphin
      ? `dolphin: DolphinScheduler at ${config.dolphin.url}, project ${config.dolphin.project}`
      : 'dolphin: not configured (set DOLPHIN_URL and DOLPHIN_TOKEN)',
    config.dinky
      ? `dinky: Dinky at ${config.dinky.url}`
      : 'dinky: not configured (set DINKY_URL and DINKY_TOKEN)',
  ];
  return {
    url,
    store: redactUrl(config.databaseUrl),
    engines,
    docs: `${url}/docs`,
    guides: 'README.md, examples/server/README.md and docs/ in the repository',
  };
}

/**
 * The banner as text for a terminal.
 *
 * @param facts - see {@link bannerFacts}
 * @returns lines ending with a newline
 */
export function bannerText(facts: BannerFacts): string {
  const rows: [string, string][] = [
    ['API', facts.url],
    ['docs', `${facts.docs} (OpenAPI: ${facts.url}/openapi.json)`],
    ['store', facts.store],
    ...facts.engines.map((e, i): [string, string] => [i === 0 ? 'engines' : '', e]),
    ['guides', facts.guides],
  ];
  return `\nDataPortal is listening on ${facts.url}; API docs at ${facts.docs}\n${rows
    .map(([k, v]) => `  ${k.padEnd(8)} ${v}`)
    .join('\n')}\n\n`;
}
