import { z } from 'zod';
import { AppError } from '../../../domain/errors.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, idParams } from '../../schemas.js';
import { isoOrNull } from '../../../domain/iso.js';

const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});


// Colloquy addition: the seeds create keys in a desktop app; here the dashboard manages them.
export function registerKeys(app: App) {
  app.get(
    '/keys',
    { schema: { tags: ['API keys'], summary: 'List your API keys', response: { 200: z.object({ data: z.array(keySchema) }), ...commonErrors } } },
    async (request) => {
      const rows = await app.container.accounts.listKeys(principalOf(request).userId);
      return {
        data: rows.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, createdAt: k.created_at.toISOString(), lastUsedAt: isoOrNull(k.last_used_at), revokedAt: isoOrNull(k.revoked_at) })),
      };
    },
  );

  app.post(
    '/keys',
    {
      schema: {
        tags: ['API keys'],
        summary: 'Create an API key (the key is shown only in this response)',
        // No body at all is fine (fetch sends none and Fastify then hands over null).
        body: z.object({ name: z.string().trim().max(100, 'At most 100 characters').optional() }).strict().nullish(),
        response: { 201: z.object({ data: keySchema.pick({ id: true, name: true, prefix: true, createdAt: true }).extend({ key: z.string() }) }), ...commonErrors },
      },
    },
    async (request, reply) => {
      // null with a content type is a body that is not a JSON object (a JSON `null`, a multipart form…).
      if (request.body == null && request.headers['content-type']) {
        throw new AppError('validation_error', 'Send a JSON object or no body', { details: { body: 'Expected a JSON object like {"name": "CI"}' } });
      }
      const k = await app.container.accounts.createKey(principalOf(request).userId, request.body?.name);
      return reply.status(201).send({ data: { id: k.id, name: k.name, prefix: k.prefix, key: k.key, createdAt: k.createdAt.toISOString() } });
    },
  );

  app.delete(
    '/keys/:id',
    {
      schema: {
        tags: ['API keys'],
        summary: 'Revoke an API key',
        params: idParams,
        response: { 200: z.object({ data: z.object({ id: z.string(), revoked: z.literal(true) }) }), ...commonErrors },
      },
    },
    async (request) => {
      const row = await app.container.accounts.revokeKey(request.params.id, principalOf(request).userId);
      return { data: { id: row.id, revoked: true as const } };
    },
  );
}
