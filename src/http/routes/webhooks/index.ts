import type { App } from '../../types.js';
import { WebhooksService } from '../../../domain/webhooks/service.js';
import { registerListWebhooks } from './list.js';
import { registerCreateWebhook } from './create.js';
import { registerDeleteWebhook } from './delete.js';
import { registerTestWebhook } from './test.js';
import { registerDeliveries } from './deliveries.js';
import { registerReplayDelivery } from './replay.js';

/** Every /webhooks route, sharing one service built from the container. */
export function registerWebhookRoutes(app: App, webhooks?: WebhooksService) {
  const c = app.container;
  const service = webhooks ?? new WebhooksService({ db: c.db, newId: c.newId, clock: c.clock, allowPrivate: c.config.webhooks.allowPrivate, secrets: c.secrets });
  registerListWebhooks(app, service);
  registerCreateWebhook(app, service);
  registerDeleteWebhook(app, service);
  registerTestWebhook(app, service);
  registerDeliveries(app, service);
  registerReplayDelivery(app, service);
}
