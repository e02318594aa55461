import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** A readiness check: resolves when the dependency answers, throws otherwise. */
export type ReadinessCheck = () => Promise<void>;

/** Options of {@link healthRoutes}. */
export interface HealthRoutesOptions {
  /** Named readiness checks (store, engines). */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  /** Milliseconds each check may take. Defaults to 3000. */
  readonly timeoutMs?: number;
  /** How each engine is provided (`embedded`, `simulated`, `external`), shown by `/healthz`. */
  readonly engines?: Readonly<Record<string, 'embedded' | 'simulated' | 'external'>>;
}

const HealthWireSchema = z
  .object({
    status: z.literal('ok'),
    engines: z
      .record(z.string(), z.enum(['embedded', 'simulated', 'external']))
      .optional()
      .describe(
        'How each engine is provided: `embedded` (the local engine), `simulated` (an in-process ' +
          'stand-in for DolphinScheduler or Dinky on a fresh `npm start`; set DOLPHIN_URL / ' +
          'DINKY_URL to use real ones) or `external`',
      ),
  })
  .meta({ id: 'Health' });

const ReadyWireSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })),
  })
  .meta({ id: 'Readiness' });

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return null;
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).slice(0, 300);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` (the process answers) and `/readyz` (the store and every configured engine answer;
 * 503 otherwise).
 *
 * @param app - the Fastify instance (zod type provider)
 * @param opts - the readiness checks
 * @example
 * ```ts
 * await app.register(healthRoutes, { checks: { store: () => store.ping() } });
 * ```
 */
export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, opts) => {
  const tags = ['health'];
  app.get(
    '/healthz',
    {
      logLevel: 'warn',
      schema: {
        tags,
        summary: 'Liveness: the process answers',
        response: { 200: HealthWireSchema },
      },
    },
    async () => ({ status: 'ok' as const, ...(opts.engines && { engines: { ...opts.engines } }) }),
  );

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        tags,
        summary: 'Readiness: the store and every configured engine answer',
        response: { 200: ReadyWireSchema, 503: ReadyWireSchema },
      },
    },
    async (_req, reply) => {
      const entries = Object.entries(opts.checks);
      const results = await Promise.all(
        entries.map(
          async ([name, check]) => [name, await runCheck(check, opts.timeoutMs ?? 3000)] as const,
        ),
      );
      const checks: Record<string, { ok: boolean; error?: string }> = {};
      for (const [name, error] of results)
        checks[name] = error === null ? { ok: true } : { ok: false, error };
      const ready = results.every(([, e]) => e === null);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
};
