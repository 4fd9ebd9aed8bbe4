import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors } from '../../schemas.js';
import type { WebhooksService } from '../../../domain/webhooks/service.js';
import { deliveryParams, deliverySchema, deliveryStatus, eventName, webhookIdParams } from './schemas.js';

const include = z
  .string()
  .regex(/^(attempts|payload)(,(attempts|payload))*$/, 'Comma-separated: attempts, payload')
  .transform((v) => new Set(v.split(',')));

const listQuery = z
  .object({
    limit: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(1, 'Must be 1–100').max(100, 'Must be 1–100').default(20),
    offset: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(0, 'Must be 0 or more').max(1_000_000).default(0),
    status: deliveryStatus.optional(),
    event: eventName.optional(),
    include: include.optional(),
  })
  .strict();

export function registerDeliveries(app: App, webhooks: WebhooksService) {
  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['Webhooks'],
        summary: "List a webhook's deliveries, newest first, with every attempt",
        description:
          'Each event sent to this endpoint is one delivery; `id` is its `webhook-id`, the same on every attempt. `attemptLog` lists the attempts (always included; `include=attempts` is accepted). `include=payload` adds the exact signed body.',
        params: webhookIdParams,
        querystring: listQuery,
        response: {
          200: z.object({ data: z.array(deliverySchema), pagination: z.object({ total: z.number(), limit: z.number(), offset: z.number() }) }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { data, total } = await webhooks.deliveries(principalOf(request), request.params.id, {
        limit: q.limit,
        offset: q.offset,
        status: q.status,
        event: q.event,
        includePayload: q.include?.has('payload') ?? false,
      });
      return { data, pagination: { total, limit: q.limit, offset: q.offset } };
    },
  );

  app.get(
    '/webhooks/:id/deliveries/:deliveryId',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'One delivery with its attempts',
        params: deliveryParams,
        querystring: z.object({ include: include.optional() }).strict(),
        response: { 200: z.object({ data: deliverySchema }), ...commonErrors },
      },
    },
    async (request) => ({
      data: await webhooks.delivery(principalOf(request), request.params.id, request.params.deliveryId, request.query.include?.has('payload') ?? false),
    }),
  );
}
