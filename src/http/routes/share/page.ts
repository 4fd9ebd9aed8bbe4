import { z } from 'zod';
import { AppError } from '../../../domain/errors.js';
import { IpRateLimiter } from '../../ip-rate-limit.js';
import type { App } from '../../types.js';
import { renderNotFoundPage, renderSharedPage, SHARE_PAGE_HEADERS } from './render.js';
import { shareService } from './service.js';

/** The public share page: no key, outside the authenticated API scope, limited per client address. */
export function registerSharedPage(app: App) {
  const shares = shareService(app);
  const { container } = app;
  const limiter = new IpRateLimiter(container.config.share.ratePerMinute);
  app.get(
    '/shared/:token',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Public share page (HTML)',
        description:
          'Read-only page of a shared conversation; no API key. 404 for unknown, revoked or deleted links and for pages past the end. ' +
          'The transcript comes 500 segments to a page (`?page=2`, …). Each client address may fetch a limited number of pages per minute (429 beyond).',
        security: [],
        params: z.object({ token: z.string() }),
        querystring: z.object({
          page: z.coerce.number({ error: 'Must be a whole number from 1' }).int('Must be a whole number from 1').min(1, 'Must be a whole number from 1').max(1_000_000).default(1),
        }),
      },
      onRequest: async (request) => {
        const d = limiter.hit(request.ip, container.clock().getTime());
        if (!d.allowed) {
          throw new AppError('rate_limited', `Too many share page requests from this address; retry in ${d.retryAfter} s`, {
            headers: { 'retry-after': String(d.retryAfter) },
          });
        }
      },
    },
    async (request, reply) => {
      const conv = await shares.findShared(request.params.token, request.query.page);
      reply.headers(SHARE_PAGE_HEADERS);
      if (!conv) return reply.status(404).send(renderNotFoundPage());
      return reply.status(200).send(renderSharedPage(conv));
    },
  );
}
