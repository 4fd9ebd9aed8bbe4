import { z } from 'zod';
import { feedbackSchema, type FeedbackResult } from '../../../engines/schemas.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { clientGone } from '../../client-gone.js';
import { commonErrors, errorSchema, idParams } from '../../schemas.js';
import { staleField } from './shared.js';

const payload = z.object({
  id: z.string(),
  feedback: feedbackSchema,
  overallScore: z.number(),
  userSpeakerName: z.string(),
  createdAt: z.string(),
  stale: staleField,
});

function present(id: string, r: { result: FeedbackResult; createdAt: Date; stale?: boolean }) {
  const { userSpeakerName, ...feedback } = r.result;
  return { id, feedback, overallScore: feedback.overallScore, userSpeakerName, createdAt: r.createdAt.toISOString(), ...(r.stale ? { stale: true as const } : {}) };
}

export function registerFeedback(app: App) {
  app.get(
    '/conversations/:id/feedback',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Get cached communication feedback (free); 404 if not generated yet',
        params: idParams,
        response: { 200: z.object({ data: payload }), ...commonErrors },
      },
    },
    async (request) => {
      const r = await app.container.analysis.getCached<FeedbackResult>(principalOf(request).userId, request.params.id, 'feedback');
      return { data: present(request.params.id, r) };
    },
  );

  app.post(
    '/conversations/:id/feedback',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Generate communication feedback (1 AI credit unless cached); needs at least 10 segments',
        description: '`userSpeakerName` picks the speaker to coach; by default the one who speaks most.',
        params: idParams,
        body: z
          .object({
            forceRefresh: z.boolean({ error: 'Must be true or false' }).default(false),
            userSpeakerName: z.string().trim().min(1, 'Must not be empty').max(200, 'At most 200 characters').optional(),
          })
          .strict()
          .nullish(),
        response: { 200: z.object({ data: payload.extend({ cached: z.boolean() }) }), 502: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const r = await app.container.analysis.feedback(principalOf(request), request.params.id, {
        forceRefresh: request.body?.forceRefresh,
        userSpeakerName: request.body?.userSpeakerName,
        signal: clientGone(reply),
      });
      return { data: { ...present(request.params.id, r), cached: r.cached } };
    },
  );
}
