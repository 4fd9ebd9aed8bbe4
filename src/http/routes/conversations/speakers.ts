import { z } from 'zod';
import { renameSpeakers, speakersOf } from '../../../domain/conversations/speakers.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, idParams } from '../../schemas.js';

const label = z.string().trim().min(1, 'Must not be empty').max(200, 'At most 200 characters').refine((s) => !s.includes('\u0000'), 'Must not contain NUL');
const payload = z.object({
  id: z.string(),
  speakers: z.array(z.object({ name: z.string(), segmentCount: z.number().int() })).describe('Every speaker of the transcript after the change, in order of first appearance'),
});

export function registerSpeakers(app: App) {
  app.get(
    '/conversations/:id/speakers',
    {
      schema: {
        tags: ['Conversations'],
        summary: "List a transcript's speakers",
        params: idParams,
        response: { 200: z.object({ data: payload }), ...commonErrors },
      },
    },
    async (request) => {
      const conv = await app.container.conversations.require(principalOf(request).userId, request.params.id);
      return { data: { id: conv.id, speakers: await speakersOf(app.container.db, conv.id) } };
    },
  );

  app.patch(
    '/conversations/:id/speakers',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Rename or merge speakers',
        description:
          '`{ "rename": { "Speaker 1": "Alice Chen" } }` renames a speaker in every segment; renaming one label to another label of the transcript merges them. All renames apply at once (two labels can be swapped), atomically. Fires `conversation.updated` with `changedFields: ["speakers"]`; cached key points, feedback and insights are marked stale (`stale: true` on GET) and the next POST regenerates them.',
        params: idParams,
        body: z
          .object({
            rename: z
              // At least one entry: checked after the conversation is found (another user's id is 404 first).
              .record(z.string().min(1, 'Must not be empty').max(200, 'At most 200 characters'), label)
              .refine((r) => Object.keys(r).length <= 100, 'At most 100 speakers at once'),
          })
          .strict(),
        response: { 200: z.object({ data: payload }), ...commonErrors },
      },
    },
    async (request) => ({
      data: await renameSpeakers(app.container.db, app.container.conversations, principalOf(request).userId, request.params.id, request.body.rename),
    }),
  );
}
