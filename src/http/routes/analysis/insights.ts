import { z } from 'zod';
import { insightsSchema, type Insights } from '../../../engines/schemas.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, errorSchema, idParams } from '../../schemas.js';
import { refreshBody, staleField } from './shared.js';
import { clientGone } from '../../client-gone.js';

const payload = insightsSchema.extend({ conversationId: z.string(), createdAt: z.string(), stale: staleField });

export function registerInsights(app: App) {
  app.get(
    '/conversations/:id/insights',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Get insights (Converra): sentiment, topics, summary, task completion, issues; 404 if not generated yet',
        params: idParams,
        response: { 200: z.object({ data: payload }), ...commonErrors },
      },
    },
    async (request) => {
      const r = await app.container.analysis.getCached<Insights>(principalOf(request).userId, request.params.id, 'insights');
      return { data: { conversationId: request.params.id, ...r.result, createdAt: r.createdAt.toISOString(), ...(r.stale ? { stale: true as const } : {}) } };
    },
  );

  app.post(
    '/conversations/:id/insights',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Generate insights (1 AI credit unless cached)',
        description: 'Completing a chat (`status: "completed"`) also generates them in the background, free of charge.',
        params: idParams,
        body: refreshBody.nullish(),
        response: { 200: z.object({ data: payload.extend({ cached: z.boolean() }) }), 502: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const r = await app.container.analysis.insights(principalOf(request), request.params.id, {
        forceRefresh: request.body?.forceRefresh,
        signal: clientGone(reply),
      });
      return { data: { conversationId: request.params.id, ...r.result, createdAt: r.createdAt.toISOString(), cached: r.cached } };
    },
  );
}
