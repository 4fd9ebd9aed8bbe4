import { z } from 'zod';
import type { App } from '../../types.js';
import { renderNotFoundPage, renderSharedPage, SHARE_PAGE_HEADERS } from './render.js';
import { shareService } from './service.js';

/** The public share page: no key, outside the authenticated API scope. */
export function registerSharedPage(app: App) {
  const shares = shareService(app);
  app.get(
    '/shared/:token',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Public share page (HTML)',
        description: 'Read-only page of a shared conversation; no API key. 404 for unknown, revoked or deleted links.',
        security: [],
        params: z.object({ token: z.string() }),
      },
    },
    async (request, reply) => {
      const conv = await shares.findShared(request.params.token);
      reply.headers(SHARE_PAGE_HEADERS);
      if (!conv) return reply.status(404).send(renderNotFoundPage());
      return reply.status(200).send(renderSharedPage(conv));
    },
  );
}
