import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors } from '../../schemas.js';
import type { WebhooksService } from '../../../domain/webhooks/service.js';
import { eventName } from './schemas.js';

const body = z
  .object({
    url: z.string({ error: 'Required' }).trim().min(1, 'Must not be empty').max(2048, 'At most 2048 characters'),
    events: z.array(eventName, { error: 'Must be an array of event names' }).min(1, 'At least one event').max(50, 'At most 50 events'),
  })
  .strict();

const created = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  secret: z.string().describe('whsec_…; shown only in this response'),
  createdAt: z.string(),
});

export function registerCreateWebhook(app: App, webhooks: WebhooksService) {
  app.post(
    '/webhooks',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Register a webhook (the secret is shown only in this response)',
        description:
          'HTTPS URLs only; URLs that resolve to private, loopback, link-local or otherwise non-public addresses are refused. Professional: up to 3 webhooks; Enterprise: unlimited.',
        body,
        response: { 201: z.object({ data: created }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const data = await webhooks.create(principalOf(request), request.body);
      return reply.status(201).send({ data });
    },
  );
}
