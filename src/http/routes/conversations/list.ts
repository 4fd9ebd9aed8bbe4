import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, isoDate, queryBool } from '../../schemas.js';

const query = z
  .object({
    limit: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(1, 'Must be 1–100').max(100, 'Must be 1–100').default(20),
    offset: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(0, 'Must be 0 or more').max(1_000_000).default(0),
    search: z.string().trim().max(200, 'At most 200 characters').optional(),
    since: isoDate.optional(),
    promptId: z.string().max(200).optional(),
    status: z.enum(['active', 'in_progress', 'completed', 'abandoned']).optional(),
    kind: z.enum(['meeting', 'chat']).optional(),
    hasInsights: queryBool.optional(),
  })
  .strict();

export function registerListConversations(app: App) {
  app.get(
    '/conversations',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'List conversations',
        description: 'Newest first. `search` matches titles and transcript text (PostgreSQL full-text search).',
        querystring: query,
        response: {
          200: z.object({ data: z.array(conversationSchema), pagination: z.object({ total: z.number(), limit: z.number(), offset: z.number() }) }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { data, total } = await app.container.conversations.list({
        userId: principalOf(request).userId,
        limit: q.limit,
        offset: q.offset,
        search: q.search || undefined,
        since: q.since ? new Date(q.since) : undefined,
        promptId: q.promptId,
        status: q.status,
        kind: q.kind,
        hasInsights: q.hasInsights,
      });
      return { data, pagination: { total, limit: q.limit, offset: q.offset } };
    },
  );
}
