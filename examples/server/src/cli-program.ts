import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HttpTransport } from '@dataportal/openlineage';
import {
  createSecretBox,
  IdentityService,
  openStore,
  PortalService,
  parseSecretKey,
  RoleSchema,
  redactUrl,
  rotateSecrets,
  type SecretBox,
  SYSTEM_ACTOR,
} from '@dataportal/sdk';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { buildApp } from './app';
import { bootstrapAdmin, bootstrapBanner } from './auth/bootstrap';
import { createOidcVerifier } from './auth/oidc';
import {
  ConfigError,
  isSecretRefAllowed,
  loadClientConfig,
  loadConfig,
  resolvePasswordRef,
  type ServerConfig,
} from './config';
import { runDatasourceSync, startPeriodicSync } from './datasource-sync';
import { loadDemo } from './demo/load-demo';
import { bannerFacts, bannerText, chooseLogFormat, createServerLogger } from './logging';
import { createOpenLineageEmitter } from './openlineage';
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

/** A failed CLI command: a one-line message and, when it helps, a hint for the next step. */
export class CliError extends Error {
  override name = 'CliError';
  /** What to do about it, printed after the message. */
  readonly hint: string | undefined;

  /**
   * @param message - what failed and why, one line
   * @param options - a hint and the underlying cause
   */
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.hint = options.hint;
  }
}

// Hints by the error code of the deepest cause (mysql2, Node's network errors, the sdk).
const HINTS: Readonly<Record<string, string>> = {
  ER_ACCESS_DENIED_ERROR:
    'check the user and password (DATAPORTAL_DATABASE_URL for the store, the password reference for a datasource)',
  ER_DBACCESS_DENIED_ERROR: 'grant the user access to that database, or use another database',
  ER_BAD_DB_ERROR: 'create the database first (CREATE DATABASE …) or fix its name in the URL',
  ECONNREFUSED: 'is the database server running, and listening on that host and port?',
  ENOTFOUND: 'check the host name in the URL',
  ETIMEDOUT: 'the host did not answer: check the host, port and firewall',
  ERR_UNKNOWN_BUILTIN_MODULE:
    'DataPortal needs Node.js >= 22.13: run it through `npx dataportal` or `npm start`',
  NOT_FOUND: 'check the id or name (list them with the API, e.g. GET /api/v1/tasks)',
  UNAUTHORIZED:
    'set DATAPORTAL_TOKEN to an API token (the admin token printed at first start, or `dataportal token create`)',
  FORBIDDEN:
    "the token's role does not allow this: use a token of a developer who owns it, or an admin",
  VALIDATION_FAILED: 'fix the value named in the message',
  CONFLICT: 'someone changed it meanwhile: read it again and retry',
};

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 8; ) {
    chain.push(e);
    if (e instanceof AggregateError && e.errors.length > 0) e = e.errors[0];
    else e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

function messageOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  if (err.message !== '') return err.message.replace(/^sdk: /, '');
  return typeof code === 'string' ? code : err.name;
}

/**
 * Formats a failed command for the terminal: one line with the message, every cause (e.g.
 * "migration failed: Access denied for user …") and a hint; with `verbose`, the stacks too.
 *
 * @param err - what the command threw
 * @param verbose - whether to add the stack of each error in the chain
 * @returns the text to print (ends with a newline)
 * @example
 * ```ts
 * formatCliError(new CliError('nothing to publish', { hint: 'pass --all' }), false);
 * // 'dataportal: nothing to publish; hint: pass --all\n'
 * ```
 */
export function formatCliError(err: unknown, verbose: boolean): string {
  const chain = causes(err);
  const parts: string[] = [];
  for (const e of chain) {
    const m = messageOf(e);
    if (!parts.some((p) => p.includes(m))) parts.push(m);
  }
  let hint: string | undefined;
  for (const e of [...chain].reverse()) {
    hint = e instanceof CliError ? e.hint : undefined;
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string') {
      // mysql2 names several variants: ER_ACCESS_DENIED_ERROR, ER_ACCESS_DENIED_NO_PASSWORD_ERROR …
      hint ??=
        HINTS[code] ??
        (code.startsWith('ER_ACCESS_DENIED') ? HINTS['ER_ACCESS_DENIED_ERROR'] : undefined);
    }
    if (e instanceof ConfigError) hint = 'see the configuration table in examples/server/README.md';
    if (hint) break;
  }
  const line = `dataportal: ${parts.join(': ')}${hint ? `; hint: ${hint}` : ''}`;
  if (!verbose) return `${line.replace(/\s*\n\s*/g, ' ')}\n`;
  const stacks = chain
    .map((e) => (e instanceof Error ? (e.stack ?? e.message) : String(e)))
    .join('\ncaused by: ');
  return `${line}\n${stacks}\n`;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

async function api(path: string, init: RequestInit = {}): Promise<unknown> {
  const { url, token } = loadClientConfig();
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      ...init,
      headers: {
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(token && { authorization: `Bearer ${token}` }),
      },
    });
  } catch (err) {
    throw new CliError(`cannot reach the DataPortal server at ${url}`, {
      cause: err,
      hint: 'start it with `npm start`, or point DATAPORTAL_URL at it',
    });
  }
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') && text !== '' ? JSON.parse(text) : text;
  if (!res.ok) {
    const msg = (body as { message?: string } | null)?.message ?? `HTTP ${res.status}`;
    const code = (body as { code?: string } | null)?.code;
    throw new CliError(`${init.method ?? 'GET'} ${path} failed (${res.status}): ${msg}`, {
      ...(code && HINTS[code] && { hint: HINTS[code] }),
    });
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

/**
 * The AES-256-GCM box for secrets at rest from `DATAPORTAL_SECRET_KEY` (and the previous keys
 * still accepted while rotating), or null when no key is set.
 *
 * @param config - the server configuration
 * @returns the box or null
 */
function secretBoxOf(config: ServerConfig): SecretBox | null {
  if (!config.secretKey) return null;
  return createSecretBox(
    parseSecretKey(config.secretKey),
    config.previousSecretKeys.map((k) => parseSecretKey(k)),
  );
}

async function serve(io: CliIo): Promise<void> {
  const config = loadConfig();
  const format = chooseLogFormat(config.logFormat, Boolean(process.stdout.isTTY));
  const logger = createServerLogger(config.logLevel, format);
  logger.info(
    { store: redactUrl(config.databaseUrl), dataDir: config.dataDir },
    'starting DataPortal',
  );
  const runtime = await createRuntime(config, { logger });
  const identity = new IdentityService({ store: runtime.store });
  const secretBox = secretBoxOf(config);
  const boot = config.auth ? await bootstrapAdmin(identity, config.adminToken) : null;
  const simulated = Object.entries(runtime.engineModes)
    .filter(([, m]) => m === 'simulated')
    .map(([name]) => name);
  logger.info(
    { engines: runtime.engineModes },
    `engines: ${Object.entries(runtime.engineModes)
      .map(([name, m]) => `${name} (${m})`)
      .join(', ')}${
      simulated.length > 0
        ? `; ${simulated.join(' and ')} ${simulated.length > 1 ? 'are' : 'is'} SIMULATED in-process (set ${simulated.map((n) => `${n.toUpperCase()}_URL`).join(' / ')} for real engines)`
        : ''
    }`,
  );
  const periodic = config.syncIntervalMinutes
    ? startPeriodicSync(runtime.portal, {
        intervalMs: config.syncIntervalMinutes * 60_000,
        resolvePassword: (ref) => resolvePasswordRef(ref),
        secretBox,
        onResult: (datasource, r) =>
          r.error
            ? logger.warn({ datasource, err: r.error }, 'periodic metadata sync failed')
            : logger.info({ datasource, counts: r.report?.counts }, 'periodic metadata sync'),
      })
    : null;
  const app = await buildApp({
    portal: runtime.portal,
    engineModes: runtime.engineModes,
    loggerInstance: logger,
    callbackSecret: config.callbackSecret,
    callbackWindowSeconds: config.callbackWindowSeconds,
    corsOrigins: config.corsOrigins,
    bodyLimit: config.bodyLimit,
    limits: config.limits,
    ...(config.publicUrl && { publicUrl: config.publicUrl }),
    resolvePassword: (ref) => resolvePasswordRef(ref),
    secretBox,
    allowSecretRef: (ref) => isSecretRefAllowed(ref),
    auth: config.auth
      ? {
          identity,
          oidc: config.oidc ? createOidcVerifier(config.oidc) : null,
          sessionHours: config.sessionHours,
        }
      : 'off',
    rateLimit:
      config.rateLimitPerMinute === 0
        ? false
        : { max: config.rateLimitPerMinute, windowMs: 60_000 },
    ...(config.dolphin && { dolphinAlertTimeZone: config.dolphin.serverTimezone }),
    ...(runtime.dolphin && { dolphinClient: runtime.dolphin.client }),
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
  const base = (config.publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!config.auth) {
    logger.warn('DATAPORTAL_AUTH=off: every caller on this machine acts as an admin');
  } else if (boot?.newToken) {
    // Printed, never logged: pino's redaction would hide it and log shippers must not see it.
    process.stdout.write(`${bootstrapBanner(boot.newToken, base)}\n`);
  } else if (boot?.source === 'existing') {
    logger.info(
      `sign in with the admin token printed at first start (${base}/login); lost it? run \`dataportal token create --user admin --name recovery\``,
    );
  }
  const facts = bannerFacts(config, base);
  if (format === 'pretty') io.out(bannerText(facts));
  else
    logger.info(
      { port, ...facts },
      `DataPortal is listening on ${base}; API docs at ${facts.docs}`,
    );
  if (!existsSync(join(config.webRoot, 'index.html'))) {
    logger.warn(
      { webRoot: config.webRoot },
      'the web app is not built (run `npm run build`): serving the API only',
    );
  }
  if (!config.callbackSecret) {
    logger.warn(
      config.auth
        ? 'DATAPORTAL_CALLBACK_SECRET is not set: run callbacks need a developer token; DolphinScheduler alerts (which cannot send one) are refused, and runs come back by polling'
        : 'DATAPORTAL_CALLBACK_SECRET is not set: run callbacks are accepted without authentication',
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
    .option('--verbose', 'print the stack of every error (a one-line message otherwise)')
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('serve')
    .description(
      'start the API server (PORT, default 8080; SQLite store and local engine in ./.data unless configured)',
    )
    .action(() => serve(io));

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
    .command('token')
    .description('manage API tokens directly in the store (for the operator on the server machine)')
    .command('create')
    .description('make an API token and print it once (makes the user when missing)')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--user <user>', 'user the token acts as', 'admin')
    .option('--role <role>', "role of the token (viewer, developer, admin); defaults to the user's")
    .option('--expires-in-days <days>', 'days until it expires', positiveInt)
    .action(async (opts: { name: string; user: string; role?: string; expiresInDays?: number }) => {
      const config = loadConfig();
      ensureDataDirs(config);
      const store = await openStore({ url: config.databaseUrl, migrate: true });
      try {
        const identity = new IdentityService({ store });
        const role = opts.role === undefined ? undefined : RoleSchema.safeParse(opts.role);
        if (role && !role.success) throw new CliError('--role must be viewer, developer or admin');
        const existing = await identity.getUser(opts.user).catch(() => null);
        if (!existing) {
          await identity.saveUser({ name: opts.user, role: role?.data ?? 'viewer' }, SYSTEM_ACTOR);
        }
        const made = await identity.createToken(
          {
            userName: opts.user,
            name: opts.name,
            ...(role?.data && { role: role.data }),
            expiresInDays: opts.expiresInDays ?? null,
          },
          SYSTEM_ACTOR,
        );
        io.out(`${made.token}\n`);
        io.err(
          `token ${made.record.prefix}… for ${made.record.userName} (${made.record.role}); shown once, only its hash is stored\n`,
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('secrets')
    .description('secrets stored encrypted in the store (datasource passwords)')
    .command('rotate')
    .description(
      're-encrypt every stored secret under DATAPORTAL_SECRET_KEY (keep the old key in DATAPORTAL_SECRET_KEY_PREVIOUS until this ran)',
    )
    .action(async () => {
      const config = loadConfig();
      const box = secretBoxOf(config);
      if (!box) throw new CliError('set DATAPORTAL_SECRET_KEY (the new key) first');
      ensureDataDirs(config);
      const store = await openStore({ url: config.databaseUrl, migrate: true });
      try {
        const n = await rotateSecrets(store, box);
        io.out(`re-encrypted ${n} secret(s) under key ${box.keyId}\n`);
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
    .argument('<table>', 'table name as written in SQL, e.g. dwd.order_detail or ods_user')
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
      new Option(
        '--scheduler <engine>',
        'engine to publish to; a task on another engine is refused unless --move is given',
      ).choices(['local', 'dolphin', 'dinky']),
    )
    .option('--move', 'with --scheduler: move tasks that are on another engine to it')
    .option('--auto-start', 'start a run (batch) or the job (stream) right away')
    .option('--offline', 'publish without bringing the schedule online')
    .action(
      async (
        names: string[],
        opts: {
          all?: boolean;
          scheduler?: string;
          move?: boolean;
          autoStart?: boolean;
          offline?: boolean;
        },
      ) => {
        // name -> engine the task is on now (null when unknown yet)
        const targets = new Map<string, string | null>(names.map((n) => [n, null]));
        if (opts.all) {
          for (const status of ['draft', 'failed']) {
            let cursor: string | null = null;
            do {
              const page = (await api(
                `/api/v1/tasks?status=${status}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
              )) as { items: { name: string; engine: string }[]; next_cursor: string | null };
              for (const t of page.items) targets.set(t.name, t.engine);
              cursor = page.next_cursor;
            } while (cursor);
          }
        }
        if (targets.size === 0) {
          throw new CliError('nothing to publish', { hint: 'name tasks, or pass --all' });
        }
        const payload = JSON.stringify({
          ...(opts.scheduler && { scheduler: opts.scheduler }),
          auto_start: Boolean(opts.autoStart),
          online: !opts.offline,
        });
        const bar = targets.size > 1 ? progressBar(io, 'publish') : null;
        const failed: string[] = [];
        let i = 0;
        for (const [name, known] of targets) {
          const ref = encodeURIComponent(name);
          try {
            if (opts.scheduler && !opts.move) {
              const engine =
                known ?? ((await api(`/api/v1/tasks/${ref}`)) as { engine: string }).engine;
              if (engine !== opts.scheduler) {
                throw new CliError(
                  `${name} runs on ${engine}; --scheduler ${opts.scheduler} would move it (pass --move to move it)`,
                );
              }
            }
            const t = (await api(`/api/v1/tasks/${ref}/publish`, {
              method: 'POST',
              body: payload,
            })) as { name: string; status: string; engine: string };
            if (!bar) io.out(`${t.name}: ${t.status} on ${t.engine}\n`);
          } catch (err) {
            failed.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
          }
          i++;
          bar?.update({ phase: 'publish', done: i, total: targets.size, item: name });
        }
        bar?.stop();
        if (bar) io.out(`published ${targets.size - failed.length}/${targets.size} task(s)\n`);
        if (failed.length === 1 && targets.size === 1 && !opts.all) {
          throw new CliError(failed[0] ?? '', {
            ...(failed[0]?.includes('--move') && { hint: 'pass --move to change its engine' }),
          });
        }
        if (failed.length > 0) {
          for (const f of failed) io.err(`  ${f}\n`);
          throw new CliError(`${failed.length} of ${targets.size} task(s) were not published`, {
            hint: failed.some((f) => f.includes('--move'))
              ? 'tasks on another engine need --move to change engine'
              : 'see the lines above',
          });
        }
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
            secretBox: secretBoxOf(config),
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

  const ol = program
    .command('openlineage')
    .description("OpenLineage: send the portal's run history to a catalog (Marquez, DataHub, …)");
  ol.command('export')
    .description(
      'backfill: emit START and end events of every recorded run (oldest first) over the configured transport (OPENLINEAGE_URL …) or to a file',
    )
    .option('--from <time>', 'only runs recorded at or after this time (ISO 8601)', isoTime)
    .option('--to <time>', 'only runs recorded before this time (ISO 8601)', isoTime)
    .option('--task <id>', 'only runs of this task id', positiveInt)
    .option('--file <path>', 'write NDJSON to this file instead of the configured transport')
    .option('--stdout', 'print the events as NDJSON instead of sending them')
    .action(
      async (opts: { from?: Date; to?: Date; task?: number; file?: string; stdout?: boolean }) => {
        const config = loadConfig();
        const base = config.openlineage ?? {
          transport: 'console' as const,
          url: null,
          endpoint: null,
          apiKey: null,
          namespace: 'dataportal',
          file: '',
          queueDir: '',
        };
        const olConfig = opts.stdout
          ? { ...base, transport: 'console' as const }
          : opts.file
            ? { ...base, transport: 'file' as const, file: opts.file }
            : base;
        if (!opts.stdout && !opts.file && config.openlineage === null) {
          throw new CliError('no OpenLineage transport configured', {
            hint: 'set OPENLINEAGE_URL (or OPENLINEAGE_TRANSPORT=file), or pass --file or --stdout',
          });
        }
        ensureDataDirs(config);
        const store = await openStore({ url: config.databaseUrl, migrate: true });
        const emitter = createOpenLineageEmitter(olConfig, new PortalService({ store }), {
          warn: (obj, msg) => io.err(`${msg}${obj['err'] ? `: ${String(obj['err'])}` : ''}\n`),
        });
        try {
          const r = await emitter.exportHistory({
            ...(opts.from && { from: opts.from }),
            ...(opts.to && { to: opts.to }),
            ...(opts.task && { taskId: opts.task }),
          });
          const transport = emitter.transport;
          const pending = transport instanceof HttpTransport ? await transport.pending() : 0;
          io.err(
            `openlineage: ${r.events} event(s) of ${r.runs} run(s) exported${pending > 0 ? `, ${pending} queued for delivery` : ''}\n`,
          );
        } finally {
          await emitter.transport.close();
          await store.close();
        }
      },
    );

  return program;
}

function isoTime(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError('not an ISO 8601 time');
  return d;
}
