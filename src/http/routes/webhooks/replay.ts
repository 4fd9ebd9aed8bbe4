import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, errorSchema } from '../../schemas.js';
import type { WebhooksService } from '../../../domain/webhooks/service.js';
import { deliveryParams, deliverySchema } from './schemas.js';

export function registerReplayDelivery(app: App, webhooks: WebhooksService) {
  app.post(
    '/webhooks/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Send a delivery again',
        description:
          'Queues the same delivery (same `webhook-id`, same body; a new `webhook-timestamp` and signature) to be sent now, with the full retry schedule. Works on delivered and failed deliveries; 409 while an attempt is in flight or when the webhook is disabled.',
        params: deliveryParams,
        response: { 202: z.object({ data: deliverySchema }), 409: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const data = await webhooks.replay(principalOf(request), request.params.id, request.params.deliveryId);
      return reply.status(202).send({ data });
    },
  );
}
