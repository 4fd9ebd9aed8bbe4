import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, idParams } from '../../schemas.js';
import { shareService } from './service.js';

export function registerShareConversation(app: App) {
  const shares = shareService(app);

  app.post(
    '/conversations/:id/share',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Share a conversation',
        description:
          'Returns a public, read-only link to the conversation (title, date, key points and transcript). ' +
          'Sharing an already shared conversation returns its current link; after a revoke, sharing again issues a new one. ' +
          'Fires `conversation.shared` when a new link is issued.',
        params: idParams,
        response: { 200: z.object({ data: z.object({ id: z.string(), shareUrl: z.string() }) }), ...commonErrors },
      },
    },
    async (request) => ({ data: await shares.share(principalOf(request).userId, request.params.id) }),
  );

  app.delete(
    '/conversations/:id/share',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Revoke a share link',
        description: 'The link stops working at once. Revoking a conversation that is not shared changes nothing.',
        params: idParams,
        response: { 200: z.object({ data: z.object({ id: z.string(), shared: z.literal(false) }) }), ...commonErrors },
      },
    },
    async (request) => ({ data: await shares.revoke(principalOf(request).userId, request.params.id) }),
  );
}
