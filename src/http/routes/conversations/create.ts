import { z } from 'zod';
import { contentMessageSchema, toContentMessage } from '../../../domain/transcripts/content.js';
import { AppError } from '../../../domain/errors.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, errorSchema, isoDate, timeZone } from '../../schemas.js';

const statusEnum = z.enum(['active', 'in_progress', 'completed', 'abandoned'], { error: 'Must be one of active, in_progress, completed, abandoned' });

export const createBody = z
  .object({
    title: z.string().trim().min(1, 'Must not be empty').max(500, 'At most 500 characters').optional(),
    kind: z.enum(['meeting', 'chat'], { error: 'Must be meeting or chat' }).optional(),
    status: statusEnum.optional(),
    startTime: isoDate.optional(),
    endTime: isoDate.optional(),
    timeZone: timeZone.optional(),
    promptId: z.string().trim().min(1).max(200, 'At most 200 characters').optional(),
    llmModel: z.string().max(200, 'At most 200 characters').optional(),
    companyName: z.string().max(200, 'At most 200 characters').optional(),
    metadata: z.record(z.string(), z.unknown(), { error: 'Must be an object' }).optional(),
    content: z.string({ error: 'Must be a string' }).optional(),
    messages: z.array(contentMessageSchema, { error: 'Must be an array' }).min(1, 'At least one message').optional(),
    segments: z
      .array(
        z.object({
          text: z.string({ error: 'Must be a string' }).min(1, 'Must not be empty'),
          speaker: z.string({ error: 'Must be a string' }).trim().min(1, 'Must not be empty').max(200, 'At most 200 characters'),
          timestamp: isoDate.nullish(),
        }),
        { error: 'Must be an array' },
      )
      .min(1, 'At least one segment')
      .optional(),
    idempotencyKey: z.string().min(1).max(255, 'At most 255 characters').optional(),
  })
  .strict();

const links = (id: string) => ({
  appendMessages: {
    href: `/api/v1/conversations/${id}/messages`,
    method: 'POST',
    hint: "Append turns to this conversation. Send status: 'completed' on the final call to trigger analysis.",
  },
});

export function registerCreateConversation(app: App) {
  app.post(
    '/conversations',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Create a conversation',
        description:
          'From role-labelled text or a JSON string in `content`, from `messages`, or from `segments`. With `idempotencyKey` (or an `Idempotency-Key` header) a repeat returns the original conversation for 24 h with `Idempotent-Replayed: true`. The same `idempotencyKey` with another body also returns the original conversation, adding `Idempotency-Mismatch: true` (Converra: no duplicate is created); the same `Idempotency-Key` header with another body is 409 `idempotency_conflict`.',
        body: createBody,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }).passthrough(),
        response: {
          200: z.object({ data: conversationSchema.extend({ _links: z.record(z.string(), z.unknown()) }) }),
          409: errorSchema,
          413: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const headerKey = request.headers['idempotency-key'];
      if (headerKey && body.idempotencyKey && headerKey !== body.idempotencyKey) {
        throw new AppError('validation_error', 'Idempotency-Key header and idempotencyKey differ', {
          details: { idempotencyKey: 'Must match the Idempotency-Key header' },
        });
      }
      // Converra's `idempotencyKey` returns the existing conversation even when the body differs
      // (flagged by Idempotency-Mismatch); the Idempotency-Key header is this server's addition and
      // keeps the stricter 409.
      const { conversation, replayed, mismatch } = await app.container.conversations.create(
        principalOf(request).userId,
        { ...body, messages: body.messages?.map(toContentMessage), idempotencyKey: body.idempotencyKey ?? headerKey },
        { keyReuse: headerKey ? 'conflict' : 'replay' },
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      if (mismatch) reply.header('idempotency-mismatch', 'true');
      return { data: { ...conversation, _links: links(conversation.id) } };
    },
  );
}
