import { sql } from 'kysely';
import { z } from 'zod';
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
      return reply.status(reachable && migrated ? 200 : 503).send(body);
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const { registry } = app.container.metrics;
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
