import { z } from 'zod';
import { queryResultSchema } from '../../../engines/schemas.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, errorSchema, idParams, isoDate } from '../../schemas.js';
import { AppError } from '../../../domain/errors.js';
import { clientGone } from '../../client-gone.js';

export function registerQuery(app: App) {
  app.post(
    '/conversations/:id/query',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Ask a question about a conversation (1 AI credit)',
        params: idParams,
        body: z
          .object({
            query: z.string({ error: 'Required' }).trim().min(1, 'Must not be empty').max(500, 'Query must be 500 characters or fewer'),
          })
          .strict(),
        response: { 200: z.object({ data: queryResultSchema.extend({ id: z.string(), query: z.string() }) }), 502: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => ({ data: await app.container.analysis.query(principalOf(request), request.params.id, request.body.query, clientGone(reply)) }),
  );
}

const citationSchema = z.object({
  conversationId: z.string(),
  title: z.string(),
  startTime: z.string().nullable(),
  segmentIndex: z.number().int(),
  quote: z.string(),
});

export function registerQueryAcross(app: App) {
  app.post(
    '/query',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Ask a question across your conversations (1 AI credit)',
        description:
          'Answers from all your conversations (or those in `conversationIds`, or started between `since` and `until`), citing the conversation and segment of every claim. Questions about decisions and action items ("what did we decide about pricing?", "what is still open for Alice?") are answered from the key points already generated for each conversation (`source: "key_points"`); other questions from the transcripts\' best-matching passages (`source: "transcripts"`).',
        body: z
          .object({
            query: z.string({ error: 'Required' }).trim().min(1, 'Must not be empty').max(500, 'Query must be 500 characters or fewer'),
            since: isoDate.optional(),
            until: isoDate.optional(),
            conversationIds: z.array(z.string().min(1).max(200)).min(1, 'At least one id, or leave it out').max(100, 'At most 100 ids').optional(),
            limit: z.number({ error: 'Must be a number' }).int('Must be an integer').min(1, 'Must be 1–50').max(50, 'Must be 1–50').default(10),
          })
          .strict(),
        response: {
          200: z.object({
            data: z.object({
              query: z.string(),
              response: z.string(),
              source: z.enum(['key_points', 'transcripts']),
              intent: z.enum(['decisions', 'action_items', 'general']),
              citations: z.array(citationSchema),
              conversationsConsidered: z.number().int(),
            }),
          }),
          502: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.since && b.until && Date.parse(b.since) >= Date.parse(b.until))
        throw new AppError('validation_error', 'since must be before until', { details: { until: 'Must be after since' } });
      const data = await app.container.analysis.queryAcross(
        principalOf(request),
        { query: b.query, since: b.since ? new Date(b.since) : undefined, until: b.until ? new Date(b.until) : undefined, conversationIds: b.conversationIds, limit: b.limit },
        clientGone(reply),
      );
      return { data };
    },
  );
}
