import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors } from '../../schemas.js';
import { actionItemSchema, actionItemStatus, calendarDate } from './schemas.js';

const query = z
  .object({
    status: actionItemStatus.default('open'),
    owner: z.string().trim().min(1, 'Must not be empty').max(200, 'At most 200 characters').optional(),
    dueBefore: calendarDate.optional(),
    conversationId: z.string().min(1).max(100).optional(),
    limit: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(1, 'Must be 1–100').max(100, 'Must be 1–100').default(20),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export function registerListActionItems(app: App) {
  app.get(
    '/action-items',
    {
      schema: {
        tags: ['Action items'],
        summary: 'List action items across conversations',
        description:
          'Action items from the stored key points of your conversations, soonest due first (items without a due date last). `status` defaults to `open`. `owner` matches the whole name, ignoring case; `dueBefore` (YYYY-MM-DD) keeps items due before that day. Pass `pagination.nextCursor` as `cursor` for the next page.',
        querystring: query,
        response: {
          200: z.object({ data: z.array(actionItemSchema), pagination: z.object({ limit: z.number(), nextCursor: z.string().nullable() }) }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { data, nextCursor } = await app.container.actionItems.list({
        userId: principalOf(request).userId,
        status: q.status,
        owner: q.owner,
        dueBefore: q.dueBefore,
        conversationId: q.conversationId,
        limit: q.limit,
        cursor: q.cursor,
      });
      return { data, pagination: { limit: q.limit, nextCursor } };
    },
  );
}
