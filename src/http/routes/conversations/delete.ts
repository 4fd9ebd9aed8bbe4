import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, idParams } from '../../schemas.js';

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
