import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, idParams } from '../../schemas.js';

export function registerUpdateConversation(app: App) {
  app.patch(
    '/conversations/:id',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Update a conversation title',
        params: idParams,
        body: z.object({ title: z.string({ error: 'Required' }).trim().min(1, 'Must not be empty').max(500, 'At most 500 characters') }).strict(),
        response: { 200: z.object({ data: conversationSchema }), ...commonErrors },
      },
    },
    async (request) => ({
      data: await app.container.conversations.retitle(principalOf(request).userId, request.params.id, request.body.title),
    }),
  );
}
