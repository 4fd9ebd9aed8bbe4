import type { Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { DB, WebhookAttemptsTable, WebhookDeliveriesTable, WebhooksTable } from '../../db/schema.js';

// Migration 0002-webhooks adds two delivery columns that only the webhook modules use. They are
// declared here rather than in the shared schema so the feature stays in its own folder; both
// types describe the same tables, so a Kysely<DB> is viewed as a Kysely<WebhooksDB> by a cast.
export interface DeliveriesTable extends WebhookDeliveriesTable {
  /** Attempt count when the current retry run began (a replay starts a new run). */
  retry_base: Generated<number>;
  /** Id of the worker holding the lease; its write-backs are fenced on it. */
  locked_by: string | null;
}

export interface WebhooksDB extends Omit<DB, 'webhook_deliveries'> {
  webhook_deliveries: DeliveriesTable;
}

export type WebhooksDb = Kysely<WebhooksDB>;
export type WebhooksTrx = Transaction<WebhooksDB>;
export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;

export function webhooksDb(db: Kysely<DB>): WebhooksDb {
  return db as unknown as WebhooksDb;
}
