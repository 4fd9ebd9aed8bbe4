import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, WebhookAttemptsTable, WebhookDeliveriesTable, WebhooksTable } from '../../db/schema.js';

export type WebhooksDb = Kysely<DB>;
export type WebhooksTrx = Transaction<DB>;
export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;
