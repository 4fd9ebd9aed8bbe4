// The rules behind the /webhooks endpoints: tier limits, URL vetting, the one-off test send,
// the delivery log and replays. Sending queued events is the worker's job (worker.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Tier } from '../accounts/tiers.js';
import { AppError } from '../errors.js';
import type { IdGenerator } from '../ids.js';
import { checkUrl, guardedDispatcher, systemLookup, type LookupFn } from '../../integrations/net/ssrf.js';
import { deliverOnce, DELIVERY_TIMEOUT_MS } from '../../integrations/webhooks/deliver.js';
import { buildPayload, type WebhookEvent } from '../../integrations/webhooks/events.js';
import { generateWebhookSecret, signedHeaders } from '../../integrations/webhooks/signing.js';
import { plainBox, type SecretBox } from '../secret-box.js';
import type { WebhooksDb } from './db.js';
import { presentDelivery, presentWebhook, type DeliveryView, type WebhookView } from './present.js';
import type { DeliveryStatus } from './record.js';
import * as store from './store.js';

export interface WebhooksServiceDeps {
  db: Kysely<DB>;
  newId: IdGenerator;
  clock?: () => Date;
  /** Operator opt-in (COLLOQUY_WEBHOOKS_ALLOW_PRIVATE) for http:// and private addresses. */
  allowPrivate: boolean;
  lookup?: LookupFn;
  newSecret?: () => string;
  timeoutMs?: number;
  /** Seals signing secrets at rest; stored as given without it. */
  secrets?: SecretBox;
}

/** Who is asking: enough of the authenticated principal to apply the tier's webhook limit. */
export interface Caller {
  userId: string;
  tier: string;
  limits: Pick<Tier, 'maxWebhooks'>;
}

export interface CreatedWebhook {
  id: string;
  url: string;
  events: string[];
  secret: string;
  createdAt: string;
}

export interface TestResult {
  webhookId: string;
  delivered: boolean;
  statusCode: number | null;
  deliveryId: string;
  latencyMs: number;
  error: string | null;
}

export const TEST_MESSAGE = 'Test event from Colloquy';

const webhookNotFound = () => new AppError('not_found', 'Webhook not found');

export class WebhooksService {
  readonly #db: WebhooksDb;
  readonly #newId: IdGenerator;
  readonly #clock: () => Date;
  readonly #allowPrivate: boolean;
  readonly #lookup: LookupFn;
  readonly #newSecret: () => string;
  readonly #timeoutMs: number;
  readonly #secrets: SecretBox;

  constructor(deps: WebhooksServiceDeps) {
    this.#db = deps.db;
    this.#newId = deps.newId;
    this.#clock = deps.clock ?? (() => new Date());
    this.#allowPrivate = deps.allowPrivate;
    this.#lookup = deps.lookup ?? systemLookup;
    this.#newSecret = deps.newSecret ?? (() => generateWebhookSecret());
    this.#timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    this.#secrets = deps.secrets ?? plainBox;
  }

  async list(caller: Caller): Promise<WebhookView[]> {
    requireWebhookTier(caller);
    return (await store.listWebhooks(this.#db, caller.userId)).map(presentWebhook);
  }

  async create(caller: Caller, input: { url: string; events: WebhookEvent[] }): Promise<CreatedWebhook> {
    requireWebhookTier(caller);
    const vetted = await checkUrl(input.url, { allowPrivate: this.#allowPrivate, lookup: this.#lookup });
    const now = this.#clock();
    const secret = this.#newSecret();
    const row = await store.insertWebhookWithinLimit(
      this.#db,
      { id: this.#newId('wh'), userId: caller.userId, url: vetted.url.href, events: [...new Set(input.events)], secret: this.#secrets.seal(secret), now },
      caller.limits.maxWebhooks,
    );
    if (!row) {
      const max = caller.limits.maxWebhooks as number;
      throw new AppError('forbidden', `The ${caller.tier} tier allows ${max} webhook${max === 1 ? '' : 's'}; delete one first`);
    }
    const view = presentWebhook(row);
    return { id: view.id, url: view.url, events: view.events, secret, createdAt: view.createdAt };
  }

  async remove(caller: Caller, id: string): Promise<{ id: string; deleted: true }> {
    requireWebhookTier(caller);
    if (!(await store.deleteWebhook(this.#db, caller.userId, id, this.#clock()))) throw webhookNotFound();
    return { id, deleted: true };
  }

  /** Sends a signed `webhook.test` now, waits for the answer (10 s at most) and logs it as a delivery. */
  async sendTest(caller: Caller, webhookId: string): Promise<TestResult> {
    requireWebhookTier(caller);
    const hook = await store.findWebhook(this.#db, caller.userId, webhookId);
    if (!hook) throw webhookNotFound();
    const id = this.#newId('msg');
    const attemptedAt = this.#clock();
    const payload = buildPayload('webhook.test', { message: TEST_MESSAGE }, attemptedAt);
    const headers = signedHeaders({ secret: this.#secrets.open(hook.secret), eventType: 'webhook.test', msgId: id, nowMs: attemptedAt.getTime(), rawBody: payload });
    // A dispatcher per test send: these are rare, and it keeps the service free of resources to close.
    const dispatcher = guardedDispatcher({ allowPrivate: this.#allowPrivate, lookup: this.#lookup });
    let result;
    try {
      result = await deliverOnce({ url: hook.url, headers, body: payload, dispatcher, timeoutMs: this.#timeoutMs });
    } finally {
      await dispatcher.close().catch(() => undefined);
    }
    await store.insertFinishedDelivery(this.#db, {
      id,
      webhookId,
      userId: caller.userId,
      event: 'webhook.test',
      payload,
      attemptedAt,
      now: this.#clock(),
      ok: result.ok,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: result.error,
    });
    return { webhookId, delivered: result.ok, statusCode: result.statusCode, deliveryId: id, latencyMs: Math.round(result.latencyMs), error: result.error };
  }

  async deliveries(
    caller: Caller,
    webhookId: string,
    q: { limit: number; offset: number; status?: DeliveryStatus; event?: string; includePayload?: boolean },
  ): Promise<{ data: DeliveryView[]; total: number }> {
    requireWebhookTier(caller);
    if (!(await store.findWebhook(this.#db, caller.userId, webhookId))) throw webhookNotFound();
    const { rows, total } = await store.listDeliveries(this.#db, webhookId, q);
    const attempts = await store.attemptsFor(
      this.#db,
      rows.map((r) => r.id),
    );
    return { data: rows.map((r) => presentDelivery(r, attempts.get(r.id) ?? [], q.includePayload)), total };
  }

  async delivery(caller: Caller, webhookId: string, deliveryId: string, includePayload = false): Promise<DeliveryView> {
    requireWebhookTier(caller);
    if (!(await store.findWebhook(this.#db, caller.userId, webhookId))) throw webhookNotFound();
    const row = await store.findDelivery(this.#db, webhookId, deliveryId);
    if (!row) throw new AppError('not_found', 'Delivery not found');
    const attempts = await store.attemptsFor(this.#db, [row.id]);
    return presentDelivery(row, attempts.get(row.id) ?? [], includePayload);
  }

  /** Queues the same delivery again (same webhook-id, same bytes), due now, with a fresh retry schedule. */
  async replay(caller: Caller, webhookId: string, deliveryId: string): Promise<DeliveryView> {
    requireWebhookTier(caller);
    const hook = await store.findWebhook(this.#db, caller.userId, webhookId);
    if (!hook) throw webhookNotFound();
    const existing = await store.findDelivery(this.#db, webhookId, deliveryId);
    if (!existing) throw new AppError('not_found', 'Delivery not found');
    if (hook.disabled_at) {
      throw new AppError('conflict', `This webhook was disabled (${hook.disabled_reason ?? 'unknown reason'}); register the endpoint again to receive events`);
    }
    const row = await store.requeueDelivery(this.#db, webhookId, deliveryId, this.#clock());
    if (!row) throw new AppError('conflict', 'This delivery is being sent right now; replay it once the attempt has finished');
    const attempts = await store.attemptsFor(this.#db, [row.id]);
    return presentDelivery(row, attempts.get(row.id) ?? []);
  }
}

/**
 * Webhooks are a Professional and Enterprise feature (maxWebhooks 0 elsewhere). Every webhook
 * endpoint checks it, reads included: the Convo reference answers 403 "insufficient plan tier for
 * this endpoint" to lower tiers, and a client may rely on that to detect the plan.
 */
function requireWebhookTier(caller: Caller): void {
  if (caller.limits.maxWebhooks === 0) {
    throw new AppError('forbidden', `Webhooks are not available on the ${caller.tier} tier; they need Professional or Enterprise`);
  }
}
