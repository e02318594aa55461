import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openStore, PortalService, redactUrl } from '@dataportal/sdk';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { buildApp, REDACTED_LOG_PATHS } from './app';
import { isSecretRefAllowed, loadClientConfig, loadConfig, resolvePasswordRef } from './config';
import { runDatasourceSync, startPeriodicSync } from './datasource-sync';
import { loadDemo } from './demo/load-demo';
import { createRuntime, ensureDataDirs } from './runtime';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  /** Normal output. */
  readonly out: (text: string) => void;
  /** Errors and progress. */
  readonly err: (text: string) => void;
  /** Whether `err` is a terminal (progress bars only then). */
  readonly interactive: boolean;
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  interactive: Boolean(process.stderr.isTTY),
};

/** A failed CLI command with its exit code. */
export class CliError extends Error {
  override name = 'CliError';
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

async function api(path: string, init: RequestInit = {}): Promise<unknown> {
  const { url } = loadClientConfig();
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      ...init,
      headers: {
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
  } catch {
    throw new CliError(
      `cannot reach the DataPortal server at ${url}; start it with \`npm start\` or set DATAPORTAL_URL`,
    );
  }
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') && text !== '' ? JSON.parse(text) : text;
  if (!res.ok) {
    const msg = (body as { message?: string } | null)?.message ?? `HTTP ${res.status}`;
    throw new CliError(`${init.method ?? 'GET'} ${path} failed (${res.status}): ${msg}`);
  }
  return body;
}

/** Progress of a long CLI operation, in phases. */
interface Progress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly item?: string;
}

function progressBar(io: CliIo, label: string): { update(p: Progress): void; stop(): void } {
  if (!io.interactive) {
    return {
      update: (p) => {
        if (p.done === p.total) io.err(`${p.phase}: ${p.total} done\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    format: `${label} {phase} [{bar}] {value}/{total} {item}`,
    hideCursor: true,
    stream: process.stderr,
  });
  let phase = '';
  return {
    update(p) {
      if (p.phase !== phase) {
        if (phase !== '') bar.stop();
        phase = p.phase;
        bar.start(p.total, 0, { phase: p.phase.padEnd(9), item: '' });
      }
      bar.update(p.done, { item: p.item ?? '' });
    },
    stop: () => bar.stop(),
  };
}

async function serve(): Promise<void> {
  const config = loadConfig();
  const logger = pino({
    level: config.logLevel,
    redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
  });
  const engines = [
    config.localEngine && 'local',
    config.dolphin && 'dolphin',
    config.dinky && 'dinky',
  ].filter(Boolean);
  logger.info(
    { store: redactUrl(config.databaseUrl), dataDir: config.dataDir, engines },
    'starting DataPortal',
  );
  const runtime = await createRuntime(config, { logger });
  const periodic = config.syncIntervalMinutes
    ? startPeriodicSync(runtime.portal, {
        intervalMs: config.syncIntervalMinutes * 60_000,
        resolvePassword: (ref) => resolvePasswordRef(ref),
        onResult: (datasource, r) =>
          r.error
            ? logger.warn({ datasource, err: r.error }, 'periodic metadata sync failed')
            : logger.info({ datasource, counts: r.report?.counts }, 'periodic metadata sync'),
      })
    : null;
  const app = await buildApp({
    portal: runtime.portal,
    loggerInstance: logger,
    callbackSecret: config.callbackSecret,
    callbackWindowSeconds: config.callbackWindowSeconds,
    corsOrigins: config.corsOrigins,
    bodyLimit: config.bodyLimit,
    ...(config.publicUrl && { publicUrl: config.publicUrl }),
    resolvePassword: (ref) => resolvePasswordRef(ref),
    allowSecretRef: (ref) => isSecretRefAllowed(ref),
    ...(config.dolphin && { dolphinAlertTimeZone: config.dolphin.serverTimezone }),
    webRoot: config.webRoot,
    onClose: async () => {
      await periodic?.stop();
      await runtime.close();
    },
  });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close();
    throw err;
  }
  const port = (app.server.address() as AddressInfo).port;
  const base = config.publicUrl ?? `http://localhost:${port}`;
  logger.info({ port }, `DataPortal is listening on ${base}; API docs at ${base}/docs`);
  if (existsSync(join(config.webRoot, 'index.html'))) {
    logger.info({ webRoot: config.webRoot }, `the web portal is at ${base}/`);
  } else {
    logger.warn(
      { webRoot: config.webRoot },
      'the web app is not built (run `npm run build`): serving the API only',
    );
  }
  if (!config.callbackSecret) {
    logger.warn(
      'DATAPORTAL_CALLBACK_SECRET is not set: run callbacks are accepted without authentication',
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info(
      { signal },
      'shutting down: draining requests, stopping engines, closing the store',
    );
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 25 s: exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * Builds the `dataportal` command line: `serve`, `migrate`, `seed-demo`, `lineage`,
 * `publish`, `runs`, each with `--help`.
 *
 * @param io - where to write (defaults to stdout/stderr)
 * @returns the commander program; call `parseAsync(process.argv)`
 * @example
 * ```ts
 * await createProgram().parseAsync(['node', 'dataportal', 'lineage', 'dwd.order_detail', '--up']);
 * ```
 */
export function createProgram(io: CliIo = defaultIo): Command {
  const program = new Command('dataportal')
    .description('DataPortal: tables, tasks and lineage for DolphinScheduler + Dinky + Doris')
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('serve')
    .description(
      'start the API server (PORT, default 8080; SQLite store and local engine in ./.data unless configured)',
    )
    .action(() => serve());

  program
    .command('migrate')
    .description('apply pending store migrations (DATAPORTAL_DATABASE_URL) and exit')
    .action(async () => {
      const config = loadConfig();
      ensureDataDirs(config);
      const store = await openStore({ url: config.databaseUrl });
      try {
        const applied = await store.migrate();
        io.out(
          applied.length === 0
            ? `store ${redactUrl(config.databaseUrl)} is up to date\n`
            : `applied ${applied.length} migration(s): ${applied.join(', ')}\n`,
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('seed-demo')
    .description(
      'load the demo warehouse (tables, sample rows, tasks published to the local engine)',
    )
    .option('--no-run', 'do not run the demo tasks once after publishing')
    .action(async (opts: { run: boolean }) => {
      const config = loadConfig();
      const runtime = await createRuntime(config, { demo: false });
      const bar = progressBar(io, 'demo');
      try {
        const r = await loadDemo({
          portal: runtime.portal,
          warehouse: config.warehouseUrl ? null : runtime.warehouse,
          publish: true,
          runNow: opts.run,
          onProgress: (p) => bar.update(p),
        });
        bar.stop();
        await runtime.localEngine?.idle();
        io.out(
          `demo: ${r.tables} table(s) and ${r.tasks} task(s) added, ${r.published} published, ${r.runs} run(s)\n`,
        );
      } finally {
        bar.stop();
        await runtime.close();
      }
    });

  program
    .command('lineage')
    .description('print the lineage around a table (asks the running server)')
    .argument('<table>', 'qualified table name, e.g. dwd.order_detail')
    .option('--up', 'only upstream (what feeds the table)')
    .option('--down', 'only downstream (what the table feeds)')
    .option('--depth <n>', 'hops to walk', positiveInt)
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['json', 'mermaid', 'dot'])
        .default('mermaid'),
    )
    .action(
      async (
        table: string,
        opts: { up?: boolean; down?: boolean; depth?: number; format: string },
      ) => {
        const direction =
          opts.up && !opts.down ? 'upstream' : opts.down && !opts.up ? 'downstream' : 'both';
        const q = new URLSearchParams({ table, direction, format: opts.format });
        if (opts.depth !== undefined) q.set('depth', String(opts.depth));
        const body = await api(`/api/v1/lineage?${q}`);
        io.out(typeof body === 'string' ? body : `${JSON.stringify(body, null, 2)}\n`);
      },
    );

  program
    .command('publish')
    .description(
      'publish tasks to their engines (asks the running server); a progress bar for several',
    )
    .argument('[tasks...]', 'task ids or names')
    .option('--all', 'every task that is not published yet (draft or failed)')
    .addOption(
      new Option('--scheduler <engine>', 'engine to publish to').choices([
        'local',
        'dolphin',
        'dinky',
      ]),
    )
    .option('--auto-start', 'start a run (batch) or the job (stream) right away')
    .option('--offline', 'publish without bringing the schedule online')
    .action(
      async (
        names: string[],
        opts: { all?: boolean; scheduler?: string; autoStart?: boolean; offline?: boolean },
      ) => {
        let targets = [...names];
        if (opts.all) {
          for (const status of ['draft', 'failed']) {
            let cursor: string | null = null;
            do {
              const page = (await api(
                `/api/v1/tasks?status=${status}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
              )) as { items: { name: string }[]; next_cursor: string | null };
              targets.push(...page.items.map((t) => t.name));
              cursor = page.next_cursor;
            } while (cursor);
          }
          targets = [...new Set(targets)];
        }
        if (targets.length === 0)
          throw new CliError('nothing to publish: name tasks or pass --all');
        const payload = JSON.stringify({
          ...(opts.scheduler && { scheduler: opts.scheduler }),
          auto_start: Boolean(opts.autoStart),
          online: !opts.offline,
        });
        const bar = targets.length > 1 ? progressBar(io, 'publish') : null;
        const failed: string[] = [];
        for (const [i, name] of targets.entries()) {
          try {
            const t = (await api(`/api/v1/tasks/${encodeURIComponent(name)}/publish`, {
              method: 'POST',
              body: payload,
            })) as { name: string; status: string; engine: string };
            if (!bar) io.out(`${t.name}: ${t.status} on ${t.engine}\n`);
          } catch (err) {
            failed.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
          }
          bar?.update({ phase: 'publish', done: i + 1, total: targets.length, item: name });
        }
        bar?.stop();
        if (bar) io.out(`published ${targets.length - failed.length}/${targets.length} task(s)\n`);
        if (failed.length > 0) throw new CliError(failed.join('\n'));
      },
    );

  program
    .command('sync')
    .description(
      'sync tables, columns, row counts and sizes from a Doris/MySQL/MariaDB datasource into the registry and print the drift report',
    )
    .argument('<datasource>', 'datasource id or name')
    .option('--databases <list>', 'comma-separated databases to read (default: all)')
    .option('--register-unknown', 'register warehouse tables the portal lacks as drafts')
    .option('--exact-counts', 'count rows with SELECT COUNT(*) instead of estimates')
    .option('--json', 'print the whole report as JSON')
    .action(
      async (
        ref: string,
        opts: {
          databases?: string;
          registerUnknown?: boolean;
          exactCounts?: boolean;
          json?: boolean;
        },
      ) => {
        const config = loadConfig();
        ensureDataDirs(config);
        const store = await openStore({ url: config.databaseUrl, migrate: true });
        const bar = progressBar(io, 'sync');
        try {
          const portal = new PortalService({ store });
          const ds = await portal.getDatasource(/^\d+$/.test(ref) ? Number(ref) : ref);
          const report = await runDatasourceSync(portal, ds, {
            ...(opts.databases && {
              databases: opts.databases
                .split(',')
                .map((d) => d.trim())
                .filter((d) => d !== ''),
            }),
            ...(opts.registerUnknown && { registerUnknown: true }),
            ...(opts.exactCounts && { exactCounts: true }),
            resolvePassword: (r) => resolvePasswordRef(r),
            onProgress: (p) => bar.update({ phase: p.phase, done: p.done, total: p.total }),
          });
          bar.stop();
          if (opts.json) {
            io.out(`${JSON.stringify(report, null, 2)}\n`);
            return;
          }
          const c = report.counts;
          io.out(
            `${ds.name} (${report.server.kind} ${report.server.version}): ${c.warehouseTables} warehouse table(s), ${c.registered} registered, ${c.inSync} in sync, ${c.drifted} drifted, ${c.missing} missing, ${c.unregistered} unregistered, ${c.newlyRegistered} newly registered; ${report.queries} queries\n`,
          );
          for (const t of report.tables.filter((x) => x.status !== 'in-sync')) {
            const parts = [
              t.missingInWarehouse && 'missing in the warehouse',
              t.columnsAdded.length > 0 && `added ${t.columnsAdded.join(', ')}`,
              t.columnsRemoved.length > 0 && `removed ${t.columnsRemoved.join(', ')}`,
              ...t.typeChanged.map((x) => `${x.name}: ${x.from} -> ${x.to}`),
            ].filter(Boolean);
            io.out(
              `  ${t.qualifiedName}: ${t.status}${parts.length ? ` (${parts.join('; ')})` : ''}\n`,
            );
          }
          for (const e of report.errors) {
            io.err(`  ${e.qualifiedName}: ${e.operation} failed (${e.code}): ${e.message}\n`);
          }
        } finally {
          bar.stop();
          await store.close();
        }
      },
    );

  program
    .command('runs')
    .description("list a task's recent runs and statistics (asks the running server)")
    .argument('<task>', 'task id or name')
    .option('--limit <n>', 'how many runs', positiveInt, 20)
    .option('--json', 'print JSON')
    .action(async (task: string, opts: { limit: number; json?: boolean }) => {
      const ref = encodeURIComponent(task);
      const page = (await api(`/api/v1/tasks/${ref}/executions?limit=${opts.limit}`)) as {
        items: Record<string, unknown>[];
      };
      const stats = (await api(`/api/v1/tasks/${ref}/stats`)) as Record<string, unknown>;
      if (opts.json) {
        io.out(`${JSON.stringify({ runs: page.items, stats }, null, 2)}\n`);
        return;
      }
      const rows = page.items.map((e) =>
        [
          e['id'],
          e['status'],
          e['start_time'] ?? '-',
          e['duration_ms'] ?? '-',
          e['rows_output'] ?? '-',
          e['external_run_id'],
        ]
          .map(String)
          .join('\t'),
      );
      io.out(
        `id\tstatus\tstart\tduration_ms\trows\trun\n${rows.join('\n')}${rows.length ? '\n' : ''}`,
      );
      const rate = stats['success_rate'];
      io.out(
        `runs ${String(stats['runs'])}, success rate ${typeof rate === 'number' ? `${Math.round(rate * 100)}%` : '-'}, p50 ${String(stats['p50_duration_ms'] ?? '-')} ms, p95 ${String(stats['p95_duration_ms'] ?? '-')} ms\n`,
      );
    });

  return program;
}
