import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, idParams } from '../../schemas.js';
import { actionItemSchema, actionItemStatus, calendarDate } from './schemas.js';

const body = z
  .object({
    status: actionItemStatus.optional(),
    owner: z.string({ error: 'Must be a string or null' }).trim().min(1, 'Must not be empty; use null to clear').max(200, 'At most 200 characters').nullable().optional(),
    dueDate: calendarDate.nullable().optional(),
  })
  .strict()
  .refine((b) => b.status !== undefined || b.owner !== undefined || b.dueDate !== undefined, { message: 'Give at least one of status, owner, dueDate', path: ['body'] });

export function registerUpdateActionItem(app: App) {
  app.patch(
    '/action-items/:id',
    {
      schema: {
        tags: ['Action items'],
        summary: 'Update an action item (status, owner, due date)',
        description:
          'A person\'s change wins over later regenerations of the key points. Setting `status` (for example accepting `suggestedStatus`) clears the suggestion. Fires `action_item.updated` with the changed fields.',
        params: idParams,
        body,
        response: { 200: z.object({ data: actionItemSchema }), ...commonErrors },
      },
    },
    async (request) => ({
      data: await app.container.actionItems.update(principalOf(request).userId, request.params.id, request.body),
    }),
  );
}
