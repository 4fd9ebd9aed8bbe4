import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors } from '../../schemas.js';
import type { WebhooksService } from '../../../domain/webhooks/service.js';
import { webhookIdParams } from './schemas.js';

const deleted = z.object({ data: z.object({ id: z.string(), deleted: z.literal(true) }) });

export function registerDeleteWebhook(app: App, webhooks: WebhooksService) {
  app.delete(
    '/webhooks',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Delete a webhook by id',
        description: 'Deliveries still queued for it are dropped (listed with status `disabled`).',
        body: z.object({ id: z.string({ error: 'Required' }).min(1, 'Must not be empty').max(100) }).strict(),
        response: { 200: deleted, ...commonErrors },
      },
    },
    async (request) => ({ data: await webhooks.remove(principalOf(request), request.body.id) }),
  );

  // The same with the id in the path, for clients that cannot send a body with DELETE.
  app.delete(
    '/webhooks/:id',
    {
      schema: { tags: ['Webhooks'], summary: 'Delete a webhook (id in the path)', params: webhookIdParams, response: { 200: deleted, ...commonErrors } },
    },
    async (request) => ({ data: await webhooks.remove(principalOf(request), request.params.id) }),
  );
}
