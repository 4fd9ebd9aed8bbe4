import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, idParams, segmentSchema } from '../../schemas.js';

const speakerStatSchema = z.object({
  name: z.string(),
  segments: z.number().int().min(0),
  words: z.number().int().min(0),
  /** Null for chats and for transcripts without real timestamps. */
  talkTimeSeconds: z.number().min(0).nullable(),
  /** Fraction 0..1 of all words. */
  share: z.number().min(0).max(1),
});

export function registerGetTranscript(app: App) {
  app.get(
    '/conversations/:id/transcript',
    {
      config: { preloadConversation: true },
      schema: {
        tags: ['Conversations'],
        summary: 'Get the transcript',
        description:
          'Meeting segments and chat messages, in order, with speaker labels and timestamps, and per speaker the segments, words, share of all words and (meetings with real timestamps) talk time in seconds. Free: no AI credit.',
        params: idParams,
        response: { 200: z.object({ data: z.object({ id: z.string(), segments: z.array(segmentSchema), speakers: z.array(speakerStatSchema) }) }), ...commonErrors },
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
