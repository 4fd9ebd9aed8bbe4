import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors } from '../../schemas.js';
import type { WebhooksService } from '../../../domain/webhooks/service.js';

export function registerTestWebhook(app: App, webhooks: WebhooksService) {
  app.post(
    '/webhooks/test',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Send a signed webhook.test event now',
        description:
          'Waits for your endpoint (10-second timeout) and returns its status code; `statusCode` is null when no response arrived. The attempt is logged as a delivery and is not retried.',
        body: z.object({ webhookId: z.string({ error: 'Required' }).min(1, 'Must not be empty').max(100) }).strict(),
        response: {
          200: z.object({
            data: z.object({
              webhookId: z.string(),
              delivered: z.boolean(),
              statusCode: z.number().int().nullable(),
              deliveryId: z.string(),
              latencyMs: z.number().int(),
              error: z.string().nullable(),
            }),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => ({ data: await webhooks.sendTest(principalOf(request), request.body.webhookId) }),
  );
}
