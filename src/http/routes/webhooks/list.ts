import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors } from '../../schemas.js';
import type { WebhooksService } from '../../../domain/webhooks/service.js';
import { webhookSchema } from './schemas.js';

export function registerListWebhooks(app: App, webhooks: WebhooksService) {
  app.get(
    '/webhooks',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'List your webhooks',
        description: 'Professional and Enterprise only (403 `forbidden` below, like every webhook endpoint). Disabled endpoints are listed too, with `disabledAt` and `disabledReason` (`gone` after a 410, `failing_too_long` after 5 days of failures).',
        response: { 200: z.object({ data: z.array(webhookSchema) }), ...commonErrors },
      },
    },
    async (request) => ({ data: await webhooks.list(principalOf(request)) }),
  );
}
