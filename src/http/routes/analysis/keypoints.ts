import { z } from 'zod';
import { actionItemSchema, keypointsSchema } from '../../../engines/schemas.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, errorSchema, idParams } from '../../schemas.js';
import { refreshBody, staleField } from './shared.js';
import { clientGone } from '../../client-gone.js';

// Stored key points carry each action item's tracked id (GET/PATCH /action-items); migration 0009
// gave ids to those stored before. Optional in the schema: an engine's own output has none.
const storedKeypoints = keypointsSchema.extend({
  actionItems: z.array(
    actionItemSchema.extend({
      id: z.string().optional().describe('The action item\'s id in /action-items, stable across regenerations.'),
      status: z.enum(['open', 'done', 'dismissed']).optional().describe('As tracked in /action-items; owner and dueDate show a person\'s edits there.'),
    }),
  ),
});
const payload = z.object({ id: z.string(), title: z.string(), keypoints: storedKeypoints, createdAt: z.string(), stale: staleField });

export function registerKeypoints(app: App) {
  app.get(
    '/conversations/:id/keypoints',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Get cached key points (free); 404 if not generated yet',
        params: idParams,
        response: { 200: z.object({ data: payload }), ...commonErrors },
      },
    },
    async (request) => {
      const r = await app.container.analysis.getCached<z.infer<typeof keypointsSchema>>(principalOf(request).userId, request.params.id, 'keypoints');
      return { data: { id: request.params.id, title: r.title, keypoints: r.result, createdAt: r.createdAt.toISOString(), ...(r.stale ? { stale: true as const } : {}) } };
    },
  );

  app.post(
    '/conversations/:id/keypoints',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Generate key points (1 AI credit unless cached)',
        description: 'Sections, decisions, action items with owners, participants and important dates, each with evidence pointing into the transcript.',
        params: idParams,
        body: refreshBody.nullish(),
        response: { 200: z.object({ data: payload.extend({ cached: z.boolean() }) }), 502: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const r = await app.container.analysis.keypoints(principalOf(request), request.params.id, {
        forceRefresh: request.body?.forceRefresh,
        signal: clientGone(reply),
      });
      return { data: { id: request.params.id, title: r.title, keypoints: r.result, createdAt: r.createdAt.toISOString(), cached: r.cached } };
    },
  );
}
