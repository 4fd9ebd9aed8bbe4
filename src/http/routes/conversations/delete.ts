import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, idParams } from '../../schemas.js';

const trashQuery = z
  .object({
    limit: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(1, 'Must be 1–100').max(100, 'Must be 1–100').default(20),
    offset: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(0, 'Must be 0 or more').max(1_000_000).default(0),
    id: idParams.shape.id.optional(),
  })
  .strict();

export function registerDeleteConversation(app: App) {
  app.delete(
    '/conversations/:id',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Soft-delete a conversation',
        description: 'It disappears from every endpoint except restore.',
        params: idParams,
        response: { 200: z.object({ data: z.object({ id: z.string(), deleted: z.literal(true) }) }), ...commonErrors },
      },
    },
    async (request) => ({ data: await app.container.conversations.remove(principalOf(request).userId, request.params.id) }),
  );

  // Colloquy addition: the trash, so that a person can find what to restore.
  app.get(
    '/conversations/deleted',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'List deleted conversations (the trash)',
        description: 'Soft-deleted conversations, most recently deleted first, each with `deletedAt`; `id` asks about one conversation. Restore brings one back.',
        querystring: trashQuery,
        response: {
          200: z.object({
            data: z.array(conversationSchema.extend({ deletedAt: z.string() })),
            pagination: z.object({ total: z.number(), limit: z.number(), offset: z.number() }),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { data, total } = await app.container.conversations.listDeleted(principalOf(request).userId, q);
      return { data, pagination: { total, limit: q.limit, offset: q.offset } };
    },
  );

  app.post(
    '/conversations/:id/restore',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Restore a soft-deleted conversation',
        params: idParams,
        response: { 200: z.object({ data: conversationSchema }), ...commonErrors },
      },
    },
    async (request) => ({ data: await app.container.conversations.restore(principalOf(request).userId, request.params.id) }),
  );
}
