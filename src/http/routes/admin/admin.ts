import { z } from 'zod';
import { adminOps } from '../../../domain/admin-operations.js';
import { AppError } from '../../../domain/errors.js';
import type { App } from '../../types.js';
import { bearerToken, fromLoopback, tokenMatches } from '../../local-access.js';

/**
 * The local admin interface the CLI uses while the server holds the embedded database (PGlite allows
 * one process). Loopback only, authenticated by the token the server writes into its data folder.
 */
export function registerAdmin(app: App, token: string) {
  app.register(async (scope) => {
    const s = scope as unknown as App;
    s.addHook('onRequest', async (request) => {
      if (!fromLoopback(request)) throw new AppError('not_found', 'Not found');
      if (!tokenMatches(bearerToken(request), token)) throw new AppError('unauthorized', 'Invalid admin token');
    });
    const ops = adminOps(app.container);
    const hide = { hide: true };
    s.post('/_admin/users', { schema: { ...hide, body: z.object({ email: z.string(), name: z.string(), tier: z.string(), timezone: z.string().optional() }) } }, async (r, reply) =>
      reply.status(201).send({ data: await ops.createUser(r.body) }),
    );
    s.post('/_admin/keys', { schema: { ...hide, body: z.object({ email: z.string(), name: z.string().optional() }) } }, async (r, reply) =>
      reply.status(201).send({ data: await ops.createKey(r.body) }),
    );
    s.post('/_admin/keys/revoke', { schema: { ...hide, body: z.object({ id: z.string() }) } }, async (r) => ({ data: await ops.revokeKey(r.body) }));
    s.post(
      '/_admin/import',
      {
        bodyLimit: 16 * 1024 * 1024,
        schema: { ...hide, body: z.object({ email: z.string(), filename: z.string(), data: z.string(), title: z.string().optional(), startTime: z.string().optional() }) },
      },
      async (r, reply) => reply.status(201).send({ data: await ops.importFile({ ...r.body, data: Buffer.from(r.body.data, 'base64') }) }),
    );
    s.post('/_admin/calendar', { schema: { ...hide, body: z.object({ email: z.string(), ics: z.string() }) } }, async (r) => ({ data: await ops.calendarSet(r.body) }));
  });
}
