import { z } from 'zod';
import { contentMessageSchema, toContentMessage } from '../../../domain/transcripts/content.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, errorSchema, idParams } from '../../schemas.js';

const body = z
  .object({
    messages: z.array(contentMessageSchema, { error: 'Must be an array of messages' }).min(1, 'At least one message is required'),
    status: z.enum(['active', 'in_progress', 'completed', 'abandoned'], { error: 'Must be active, in_progress, completed or abandoned' }).optional(),
    metadata: z.record(z.string(), z.unknown(), { error: 'Must be an object' }).optional(),
  })
  .strict();

export function registerAppendMessages(app: App) {
  app.post(
    '/conversations/:id/messages',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Append messages',
        description:
          'Atomic and ordered under concurrency. `status: "completed"` (once) triggers analysis; `metadata` is shallow-merged. Send `Prefer: return=minimal` to get the conversation without the accumulated messages.',
        params: idParams,
        body,
        response: {
          200: z.object({
            data: conversationSchema.extend({
              userId: z.string(),
              content: z.string().optional(),
              messages: z.array(z.record(z.string(), z.unknown())).optional(),
            }),
          }),
          409: errorSchema,
          413: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const minimal = /return=minimal/i.test(String(request.headers.prefer ?? ''));
      const data = await app.container.conversations.append(
        principalOf(request).userId,
        request.params.id,
        { messages: request.body.messages.map(toContentMessage), status: request.body.status, metadata: request.body.metadata },
        { minimal },
      );
      return { data };
    },
  );
}
