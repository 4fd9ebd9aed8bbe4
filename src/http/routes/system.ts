import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../error-handler.js';
import { bearerToken, fromLoopback, tokenMatches } from '../local-access.js';
import type { App } from '../types.js';

export function registerSystem(app: App) {
  app.get('/healthz', { schema: { tags: ['System'], summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['System'],
        summary: 'Readiness: database reachable and migrations applied',
        response: { 200: z.object({ status: z.string(), database: z.string(), migrations: z.string() }), 503: z.object({ status: z.string(), database: z.string(), migrations: z.string() }) },
      },
    },
    async (_request, reply) => {
      const { database } = app.container;
      let reachable = false;
      try {
        await sql`select 1`.execute(database.db);
        reachable = true;
      } catch {
        reachable = false;
      }
      const migrated = reachable && (await database.isMigrated());
      const body = { status: reachable && migrated ? 'ready' : 'not_ready', database: reachable ? database.kind : 'unreachable', migrations: migrated ? 'applied' : 'pending' };
      if (!(reachable && migrated)) reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return reply.status(reachable && migrated ? 200 : 503).send(body);
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    // Metrics name routes, volumes and timings: open to this machine (a direct connection, not one
    // relayed by a local reverse proxy) and, with COLLOQUY_METRICS_TOKEN, to whoever presents it.
    const token = app.container.config.metricsToken;
    const direct = fromLoopback(request) && request.headers['x-forwarded-for'] === undefined;
    if (!direct && !(token && tokenMatches(bearerToken(request), token))) {
      throw token
        ? new AppError('unauthorized', 'Metrics need Authorization: Bearer <COLLOQUY_METRICS_TOKEN>', { headers: { 'www-authenticate': 'Bearer' } })
        : new AppError('forbidden', 'Metrics are served to loopback clients only; set COLLOQUY_METRICS_TOKEN to scrape them remotely');
    }
    const { registry } = app.container.metrics;
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
