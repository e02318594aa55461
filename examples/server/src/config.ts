import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** DolphinScheduler settings (from `DOLPHIN_*`). */
export interface DolphinConfig {
  /** API base URL including the context path (`DOLPHIN_URL`). */
  readonly url: string;
  /** Access token (`DOLPHIN_TOKEN`). */
  readonly token: string;
  /** Project holding the portal's workflows (`DOLPHIN_PROJECT`, default `dataportal`). */
  readonly project: string;
  /** Default DolphinScheduler datasource for SQL nodes (`DOLPHIN_DATASOURCE`). */
  readonly datasource: string | null;
  /** Zone the tasks' crons are meant in (`DOLPHIN_TIMEZONE`, default `UTC`). */
  readonly timezone: string;
  /** Zone DolphinScheduler prints dates in (`DOLPHIN_SERVER_TIMEZONE`, default `UTC`). */
  readonly serverTimezone: string;
  /** Tenant for runs and schedules (`DOLPHIN_TENANT`). */
  readonly tenant: string | null;
  /** Worker group (`DOLPHIN_WORKER_GROUP`). */
  readonly workerGroup: string | null;
}

/** Dinky settings (from `DINKY_*`). */
export interface DinkyConfig {
  /** Base URL (`DINKY_URL`). */
  readonly url: string;
  /** `/api` token (`DINKY_TOKEN`). */
  readonly token: string | null;
  /** Login for publishing and metrics (`DINKY_USER` + `DINKY_PASSWORD`). */
  readonly login: { readonly username: string; readonly password: string } | null;
  /** Zone of Dinky's clock (`DINKY_TIMEZONE`, default `UTC`). */
  readonly timezone: string;
}

/**
 * OpenLineage settings, read the way OpenLineage clients read them (`OPENLINEAGE_URL`,
 * `OPENLINEAGE_ENDPOINT`, `OPENLINEAGE_API_KEY`, `OPENLINEAGE_NAMESPACE`), plus the transport
 * choice and the queue folder.
 */
export interface OpenLineageConfig {
  /** `http` when `OPENLINEAGE_URL` is set, else `OPENLINEAGE_TRANSPORT` (`file`, `console`). */
  readonly transport: 'http' | 'file' | 'console';
  /** Consumer base URL (`OPENLINEAGE_URL`). */
  readonly url: string | null;
  /** Lineage endpoint path under the URL (`OPENLINEAGE_ENDPOINT`, default `api/v1/lineage`). */
  readonly endpoint: string | null;
  /** Bearer token (`OPENLINEAGE_API_KEY`). */
  readonly apiKey: string | null;
  /** Job namespace (`OPENLINEAGE_NAMESPACE`, default `dataportal`). */
  readonly namespace: string;
  /** NDJSON file of the file transport (`OPENLINEAGE_FILE`, default `<dataDir>/openlineage.ndjson`). */
  readonly file: string;
  /** Folder of the HTTP transport's on-disk queue (`<dataDir>/openlineage-queue`). */
  readonly queueDir: string;
}

/** Everything the server reads from its environment. */
export interface ServerConfig {
  /** Port to listen on (`PORT`, default 8080). */
  readonly port: number;
  /** Interface to bind (`HOST`, default `127.0.0.1`; set `0.0.0.0` explicitly to serve a network). */
  readonly host: string;
  /** Folder for the embedded store and warehouse (`DATAPORTAL_DATA_DIR`, default `./.data`). */
  readonly dataDir: string;
  /** Store URL (`DATAPORTAL_DATABASE_URL`; default `sqlite:<dataDir>/portal.db`). */
  readonly databaseUrl: string;
  /** Local engine warehouse: a `mysql://` URL, or null for SQLite files in `<dataDir>/warehouse`. */
  readonly warehouseUrl: string | null;
  /** Run the local engine (`DATAPORTAL_LOCAL_ENGINE`, default true). */
  readonly localEngine: boolean;
  /** Load the demo warehouse into an empty store (`DATAPORTAL_DEMO`, default true). */
  readonly demo: boolean;
  /** Time zone of local cron schedules (`DATAPORTAL_TIMEZONE`, default the process zone). */
  readonly timezone: string | null;
  /** Shared secret for callbacks (`DATAPORTAL_CALLBACK_SECRET`). */
  readonly callbackSecret: string | null;
  /** Replay window for signed callbacks in seconds (`DATAPORTAL_CALLBACK_WINDOW_SECONDS`). */
  readonly callbackWindowSeconds: number;
  /** CORS: `*` for any origin, a comma list, or empty for none (`DATAPORTAL_CORS_ORIGINS`). */
  readonly corsOrigins: boolean | readonly string[];
  /** Largest request body in bytes (`DATAPORTAL_BODY_LIMIT`, default 2 MiB). */
  readonly bodyLimit: number;
  /**
   * Request bounds: whole request (`DATAPORTAL_REQUEST_TIMEOUT_SECONDS`, 30), headers
   * (`DATAPORTAL_HEADERS_TIMEOUT_SECONDS`, 10), idle keep-alive
   * (`DATAPORTAL_KEEP_ALIVE_TIMEOUT_SECONDS`, 5), connections per client address
   * (`DATAPORTAL_MAX_CONNECTIONS_PER_IP`, 256).
   */
  readonly limits: {
    readonly requestTimeoutMs: number;
    readonly headersTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxConnectionsPerIp: number;
  };
  /** `pretty`, `json`, or `auto`: pretty when stdout is a terminal (`DATAPORTAL_LOG_FORMAT`). */
  readonly logFormat: 'auto' | 'pretty' | 'json';
  /** Log level (`DATAPORTAL_LOG_LEVEL`, default `info`). */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Public URL of the server for docs and alert callbacks (`DATAPORTAL_PUBLIC_URL`). */
  readonly publicUrl: string | null;
  /** Folder of the built web app served at `/` (`DATAPORTAL_WEB_ROOT`, default `examples/web/dist`). */
  readonly webRoot: string;
  /** How often DolphinScheduler runs and Dinky jobs are polled (`DATAPORTAL_POLL_INTERVAL_SECONDS`, 30). */
  readonly pollIntervalSeconds: number;
  /** Minutes between periodic metadata syncs of every datasource (`DATAPORTAL_SYNC_INTERVAL_MINUTES`); null: off. */
  readonly syncIntervalMinutes: number | null;
  /** Authentication on (default) or off (`DATAPORTAL_AUTH=off`, loopback only). */
  readonly auth: boolean;
  /** The first admin's token (`DATAPORTAL_ADMIN_TOKEN`, ≥ 32 characters), or null to generate one. */
  readonly adminToken: string | null;
  /** Company OIDC provider (`DATAPORTAL_OIDC_ISSUER` …), or null. */
  readonly oidc: {
    readonly issuer: string;
    readonly audience: string | null;
    readonly rolesClaim: string;
    readonly jwksUrl: string | null;
  } | null;
  /** AES-256-GCM key for secrets at rest (`DATAPORTAL_SECRET_KEY`), or null. */
  readonly secretKey: string | null;
  /** Older keys still accepted while rotating (`DATAPORTAL_SECRET_KEY_PREVIOUS`, comma list). */
  readonly previousSecretKeys: readonly string[];
  /** Requests per caller and minute (`DATAPORTAL_RATE_LIMIT_PER_MINUTE`, default 600; 0: off). */
  readonly rateLimitPerMinute: number;
  /** Browser session length in hours (`DATAPORTAL_SESSION_HOURS`, default 12). */
  readonly sessionHours: number;
  /**
   * Run simulated DolphinScheduler and Dinky engines (the adapters' fakes, in-process on
   * loopback) where `DOLPHIN_URL` / `DINKY_URL` are not set (`DATAPORTAL_SIMULATED_ENGINES`;
   * default true on the embedded store, false when `DATAPORTAL_DATABASE_URL` is set).
   */
  readonly simulatedEngines: boolean;
  /**
   * Seconds between two steps of the simulated DolphinScheduler's runs
   * (`DATAPORTAL_SIMULATION_STEP_SECONDS`, default 20; 0: runs move only on callbacks).
   */
  readonly simulationStepSeconds: number;
  /** DolphinScheduler, when `DOLPHIN_URL` is set. */
  readonly dolphin: DolphinConfig | null;
  /** Dinky, when `DINKY_URL` is set. */
  readonly dinky: DinkyConfig | null;
  /**
   * OpenLineage emission, when `OPENLINEAGE_URL` or `OPENLINEAGE_TRANSPORT` is set and
   * `OPENLINEAGE_DISABLED` is not.
   */
  readonly openlineage: OpenLineageConfig | null;
}

const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : ['true', '1', 'yes', 'on'].includes(v)));
const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATAPORTAL_DATA_DIR: z.string().min(1).default('.data'),
  DATAPORTAL_DATABASE_URL: text.pipe(
    z
      .string()
      .regex(/^(mysql:\/\/|sqlite:)/i, 'must start with mysql:// or sqlite:')
      .nullable(),
  ),
  DATAPORTAL_WAREHOUSE_URL: text.pipe(
    z
      .string()
      .regex(/^mysql:\/\//i, 'must be a mysql:// URL')
      .nullable(),
  ),
  DATAPORTAL_LOCAL_ENGINE: flag(true),
  DATAPORTAL_DEMO: flag(true),
  DATAPORTAL_TIMEZONE: text,
  DATAPORTAL_CALLBACK_SECRET: text,
  DATAPORTAL_CALLBACK_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  DATAPORTAL_CORS_ORIGINS: text,
  DATAPORTAL_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1 << 30)
    .default(2 * 1024 * 1024),
  DATAPORTAL_REQUEST_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  DATAPORTAL_HEADERS_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(10),
  DATAPORTAL_KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(5),
  DATAPORTAL_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(256),
  DATAPORTAL_LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  DATAPORTAL_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  DATAPORTAL_PUBLIC_URL: text,
  DATAPORTAL_WEB_ROOT: text,
  DATAPORTAL_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  DATAPORTAL_SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(10_080).default(0),
  DATAPORTAL_AUTH: z.enum(['on', 'off', '']).optional(),
  DATAPORTAL_ADMIN_TOKEN: text.pipe(
    z.string().min(32, 'must have at least 32 characters').nullable(),
  ),
  DATAPORTAL_OIDC_ISSUER: text.pipe(z.url().nullable()),
  DATAPORTAL_OIDC_AUDIENCE: text,
  DATAPORTAL_OIDC_ROLES_CLAIM: text,
  DATAPORTAL_OIDC_JWKS_URL: text.pipe(z.url().nullable()),
  DATAPORTAL_SECRET_KEY: text,
  DATAPORTAL_SECRET_KEY_PREVIOUS: text,
  DATAPORTAL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  DATAPORTAL_SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  DATAPORTAL_SIMULATED_ENGINES: z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
    .optional()
    .transform((v) =>
      v === undefined || v === '' ? null : ['true', '1', 'yes', 'on'].includes(v),
    ),
  DATAPORTAL_SIMULATION_STEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(20),
  DOLPHIN_URL: text.pipe(z.url().nullable()),
  DOLPHIN_TOKEN: text,
  DOLPHIN_PROJECT: text,
  DOLPHIN_DATASOURCE: text,
  DOLPHIN_TIMEZONE: text,
  DOLPHIN_SERVER_TIMEZONE: text,
  DOLPHIN_TENANT: text,
  DOLPHIN_WORKER_GROUP: text,
  DINKY_URL: text.pipe(z.url().nullable()),
  DINKY_TOKEN: text,
  DINKY_USER: text,
  DINKY_PASSWORD: text,
  DINKY_TIMEZONE: text,
  OPENLINEAGE_URL: text.pipe(z.url({ protocol: /^https?$/ }).nullable()),
  OPENLINEAGE_ENDPOINT: text,
  OPENLINEAGE_API_KEY: text,
  OPENLINEAGE_NAMESPACE: text,
  OPENLINEAGE_TRANSPORT: text.pipe(z.enum(['http', 'file', 'console']).nullable()),
  OPENLINEAGE_FILE: text,
  OPENLINEAGE_DISABLED: flag(false),
});

/**
 * Whether a host name or address is loopback only.
 *
 * @param host - `HOST`
 * @returns true for 127.0.0.0/8, ::1 and localhost
 */
export function isLoopbackHost(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1' || host === 'localhost';
}

function isSecretKeyText(text: string): boolean {
  const t = text.trim();
  return /^[0-9a-f]{64}$/i.test(t) || Buffer.from(t, 'base64url').length === 32;
}

/** A configuration problem, naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the server's configuration from environment variables (the only place that does).
 *
 * @param env - the environment (defaults to `process.env`)
 * @param cwd - folder relative paths are resolved against (defaults to `process.cwd()`)
 * @returns the configuration
 * @throws {@link ConfigError} naming each bad variable
 * @example
 * ```ts
 * const config = loadConfig({ PORT: '9090', DOLPHIN_URL: 'http://ds:12345/dolphinscheduler', DOLPHIN_TOKEN: 't' });
 * ```
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if (e.DOLPHIN_URL && !e.DOLPHIN_TOKEN) {
    throw new ConfigError('invalid configuration: DOLPHIN_TOKEN is required with DOLPHIN_URL');
  }
  if (e.DINKY_URL && !e.DINKY_TOKEN && !(e.DINKY_USER && e.DINKY_PASSWORD)) {
    throw new ConfigError(
      'invalid configuration: DINKY_TOKEN (or DINKY_USER and DINKY_PASSWORD) is required with DINKY_URL',
    );
  }
  const auth = e.DATAPORTAL_AUTH !== 'off';
  if (!auth && !isLoopbackHost(e.HOST)) {
    throw new ConfigError(
      `invalid configuration: DATAPORTAL_AUTH=off is allowed only while listening on loopback (HOST=127.0.0.1, ::1 or localhost), not HOST=${e.HOST}`,
    );
  }
  for (const [name, key] of [
    ['DATAPORTAL_SECRET_KEY', e.DATAPORTAL_SECRET_KEY],
    ...(e.DATAPORTAL_SECRET_KEY_PREVIOUS ?? '')
      .split(',')
      .filter((k) => k.trim() !== '')
      .map((k) => ['DATAPORTAL_SECRET_KEY_PREVIOUS', k] as const),
  ] as const) {
    if (key && !isSecretKeyText(key)) {
      throw new ConfigError(
        `invalid configuration: ${name} must be 32 bytes as 64 hex characters or base64 (openssl rand -base64 32)`,
      );
    }
  }
  if (e.OPENLINEAGE_TRANSPORT === 'http' && !e.OPENLINEAGE_URL) {
    throw new ConfigError(
      'invalid configuration: OPENLINEAGE_URL is required with OPENLINEAGE_TRANSPORT=http',
    );
  }
  const dataDir = resolve(cwd, e.DATAPORTAL_DATA_DIR);
  const cors = e.DATAPORTAL_CORS_ORIGINS;
  const olTransport = e.OPENLINEAGE_TRANSPORT ?? (e.OPENLINEAGE_URL ? 'http' : null);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATAPORTAL_DATABASE_URL ?? `sqlite:${join(dataDir, 'portal.db')}`,
    warehouseUrl: e.DATAPORTAL_WAREHOUSE_URL,
    localEngine: e.DATAPORTAL_LOCAL_ENGINE,
    demo: e.DATAPORTAL_DEMO,
    timezone: e.DATAPORTAL_TIMEZONE,
    callbackSecret: e.DATAPORTAL_CALLBACK_SECRET,
    callbackWindowSeconds: e.DATAPORTAL_CALLBACK_WINDOW_SECONDS,
    corsOrigins:
      cors === null
        ? false
        : cors === '*'
          ? true
          : cors
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== ''),
    bodyLimit: e.DATAPORTAL_BODY_LIMIT,
    limits: {
      requestTimeoutMs: e.DATAPORTAL_REQUEST_TIMEOUT_SECONDS * 1000,
      headersTimeoutMs: e.DATAPORTAL_HEADERS_TIMEOUT_SECONDS * 1000,
      keepAliveTimeoutMs: e.DATAPORTAL_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      maxConnectionsPerIp: e.DATAPORTAL_MAX_CONNECTIONS_PER_IP,
    },
    logFormat: e.DATAPORTAL_LOG_FORMAT,
    logLevel: e.DATAPORTAL_LOG_LEVEL,
    publicUrl: e.DATAPORTAL_PUBLIC_URL,
    // Both src/config.ts (tests) and dist/cli.js (the bundle) sit one folder below the package.
    webRoot: e.DATAPORTAL_WEB_ROOT
      ? resolve(cwd, e.DATAPORTAL_WEB_ROOT)
      : fileURLToPath(new URL('../../web/dist', import.meta.url)),
    pollIntervalSeconds: e.DATAPORTAL_POLL_INTERVAL_SECONDS,
    syncIntervalMinutes:
      e.DATAPORTAL_SYNC_INTERVAL_MINUTES === 0 ? null : e.DATAPORTAL_SYNC_INTERVAL_MINUTES,
    auth,
    adminToken: e.DATAPORTAL_ADMIN_TOKEN,
    oidc: e.DATAPORTAL_OIDC_ISSUER
      ? {
          issuer: e.DATAPORTAL_OIDC_ISSUER,
          audience: e.DATAPORTAL_OIDC_AUDIENCE,
          rolesClaim: e.DATAPORTAL_OIDC_ROLES_CLAIM ?? 'roles',
          jwksUrl: e.DATAPORTAL_OIDC_JWKS_URL,
        }
      : null,
    secretKey: e.DATAPORTAL_SECRET_KEY,
    previousSecretKeys: (e.DATAPORTAL_SECRET_KEY_PREVIOUS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== ''),
    rateLimitPerMinute: e.DATAPORTAL_RATE_LIMIT_PER_MINUTE,
    sessionHours: e.DATAPORTAL_SESSION_HOURS,
    // Simulators belong to the embedded default: a portal on its own MySQL store gets them only when asked.
    simulatedEngines: e.DATAPORTAL_SIMULATED_ENGINES ?? e.DATAPORTAL_DATABASE_URL === null,
    simulationStepSeconds: e.DATAPORTAL_SIMULATION_STEP_SECONDS,
    dolphin:
      e.DOLPHIN_URL && e.DOLPHIN_TOKEN
        ? {
            url: e.DOLPHIN_URL,
            token: e.DOLPHIN_TOKEN,
            project: e.DOLPHIN_PROJECT ?? 'dataportal',
            datasource: e.DOLPHIN_DATASOURCE,
            timezone: e.DOLPHIN_TIMEZONE ?? 'UTC',
            serverTimezone: e.DOLPHIN_SERVER_TIMEZONE ?? 'UTC',
            tenant: e.DOLPHIN_TENANT,
            workerGroup: e.DOLPHIN_WORKER_GROUP,
          }
        : null,
    dinky: e.DINKY_URL
      ? {
          url: e.DINKY_URL,
          token: e.DINKY_TOKEN,
          login:
            e.DINKY_USER && e.DINKY_PASSWORD
              ? { username: e.DINKY_USER, password: e.DINKY_PASSWORD }
              : null,
          timezone: e.DINKY_TIMEZONE ?? 'UTC',
        }
      : null,
    openlineage:
      olTransport === null || e.OPENLINEAGE_DISABLED
        ? null
        : {
            transport: olTransport,
            url: e.OPENLINEAGE_URL,
            endpoint: e.OPENLINEAGE_ENDPOINT,
            apiKey: e.OPENLINEAGE_API_KEY,
            namespace: e.OPENLINEAGE_NAMESPACE ?? 'dataportal',
            file: resolve(cwd, e.OPENLINEAGE_FILE ?? join(dataDir, 'openlineage.ndjson')),
            queueDir: join(dataDir, 'openlineage-queue'),
          },
  };
}

/** Settings of the CLI commands that talk to a running server. */
export interface ClientConfig {
  /** Base URL of the server (`DATAPORTAL_URL`, default `http://127.0.0.1:<PORT>`). */
  readonly url: string;
  /** Log level for local commands (`DATAPORTAL_LOG_LEVEL`). */
  readonly logLevel: string;
  /** API token the CLI sends (`DATAPORTAL_TOKEN`), or null. */
  readonly token: string | null;
}

/**
 * Reads where the CLI finds the running server.
 *
 * @param env - the environment (defaults to `process.env`)
 * @returns the client configuration
 * @example
 * ```ts
 * loadClientConfig({ DATAPORTAL_URL: 'http://portal:8080' }).url; // 'http://portal:8080'
 * ```
 */
export function loadClientConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ClientConfig {
  const port = env['PORT'] && /^\d+$/.test(env['PORT']) ? env['PORT'] : '8080';
  const url = env['DATAPORTAL_URL']?.trim() || `http://127.0.0.1:${port}`;
  return {
    url: url.replace(/\/+$/, ''),
    logLevel: env['DATAPORTAL_LOG_LEVEL'] ?? 'info',
    token: env['DATAPORTAL_TOKEN']?.trim() || null,
  };
}

/** Prefix of the environment variables a `secret:name` reference reads. */
export const SECRET_ENV_PREFIX = 'DATAPORTAL_SECRET_';

/**
 * Whether a datasource password reference may be resolved: `secret:name` always (it reads
 * `DATAPORTAL_SECRET_<NAME>`), `env:VAR` only when `VAR` starts with `DATAPORTAL_SECRET_` or
 * is listed in `DATAPORTAL_SECRET_REFS` (comma-separated). Any other variable of the server
 * (its DolphinScheduler token, its store URL …) is never handed to a datasource.
 *
 * @param ref - `env:VAR` or `secret:name`
 * @param env - the environment (defaults to `process.env`)
 * @returns true when the operator allowed that reference
 * @example
 * ```ts
 * isSecretRefAllowed('env:DOLPHIN_TOKEN', {}); // false
 * isSecretRefAllowed('secret:doris', {}); // true
 * ```
 */
export function isSecretRefAllowed(
  ref: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (ref.startsWith('secret:')) return /^[A-Za-z0-9_./-]+$/.test(ref.slice(7));
  if (!ref.startsWith('env:')) return false;
  const name = ref.slice(4);
  if (name.startsWith(SECRET_ENV_PREFIX) && name.length > SECRET_ENV_PREFIX.length) return true;
  const listed = (env['DATAPORTAL_SECRET_REFS'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return listed.includes(name);
}

/**
 * Resolves a datasource's password reference: `secret:name` reads `DATAPORTAL_SECRET_<NAME>`
 * (upper-cased, non-alphanumerics as `_`); `env:VAR` reads `VAR` only when
 * {@link isSecretRefAllowed} allows it.
 *
 * @param ref - `env:VAR` or `secret:name`
 * @param env - the environment (defaults to `process.env`)
 * @returns the password, or undefined when unset or not allowed
 * @example
 * ```ts
 * resolvePasswordRef('env:DATAPORTAL_SECRET_DORIS', { DATAPORTAL_SECRET_DORIS: 'x' }); // 'x'
 * resolvePasswordRef('env:DOLPHIN_TOKEN', { DOLPHIN_TOKEN: 't' }); // undefined
 * ```
 */
export function resolvePasswordRef(
  ref: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  if (!isSecretRefAllowed(ref, env)) return undefined;
  if (ref.startsWith('env:')) return env[ref.slice(4)];
  return env[
    `${SECRET_ENV_PREFIX}${ref
      .slice(7)
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '_')}`
  ];
}
