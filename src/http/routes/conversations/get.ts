import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, idParams, queryBool } from '../../schemas.js';

export function registerGetConversation(app: App) {
  app.get(
    '/conversations/:id',
    {
      config: { preloadConversation: true },
      schema: {
        tags: ['Conversations'],
        summary: 'Get a conversation',
        params: idParams,
        querystring: z.object({ includeInsights: queryBool.default(true) }).strict(),
        response: {
          200: z.object({ data: conversationSchema.extend({ content: z.string(), insights: z.record(z.string(), z.unknown()).nullable().optional() }) }),
          ...commonErrors,
        },
      },
    },
    async (request) => ({
      data: await app.container.conversations.get(principalOf(request).userId, request.params.id, request.query.includeInsights, request.preloadedConversation),
    }),
  );
}
