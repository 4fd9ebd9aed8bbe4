import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, idParams, segmentSchema } from '../../schemas.js';

export function registerGetTranscript(app: App) {
  app.get(
    '/conversations/:id/transcript',
    {
      config: { preloadConversation: true },
      schema: {
        tags: ['Conversations'],
        summary: 'Get the transcript',
        description: 'Meeting segments and chat messages, in order, with speaker labels and timestamps.',
        params: idParams,
        response: { 200: z.object({ data: z.object({ id: z.string(), segments: z.array(segmentSchema) }) }), ...commonErrors },
      },
    },
    // The body is pre-serialized (and cached by version), so it bypasses the response serializer; the
    // schema above still documents it and the API tests check the shape.
    async (request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send((await app.container.conversations.transcriptJson(principalOf(request).userId, request.params.id, request.preloadedConversation)) as never),
  );
}
